// The journal on PostgreSQL (issue 15). Everything here is built only with the package trait
// `PostgreSQL` (`swift build --traits PostgreSQL`); without it this module is empty and the
// executable says how to get it when an office's config asks for `[store] kind = "postgres"`.
#if PostgreSQL
import PostgresNIO
#endif
