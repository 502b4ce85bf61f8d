#if PostgreSQL
import MadoguchiPostgres
import Testing

/// No server needed: the checks before DDL, and the migration script's split into statements.
@Suite("PostgreSQL names and scripts (no server)", .tags(.unit))
struct DatabaseNamesTests {
    @Test("role names, office codes and operator ids are checked before any DDL")
    func names() throws {
        for ok in ["office_a_yamada", "mdg_clerk_a", "_x", "a1"] { #expect(DatabaseNames.isRole(ok), "\(ok)") }
        for bad in ["", "Yamada", "1abc", "a-b", "a b", "x\"; DROP ROLE postgres; --", "pg_read_all_data", "postgres",
                    "madoguchi_owner", "madoguchi_clerk", "madoguchi_city", "山田", String(repeating: "a", count: 64)] {
            #expect(!DatabaseNames.isRole(bad), "\(bad)")
        }
        #expect(DatabaseNames.isOffice("12130019"))
        for bad in ["1213001", "121300199", "1213001a", "１２１３００１９", "1213'019"] { #expect(!DatabaseNames.isOffice(bad), "\(bad)") }
        #expect(throws: PostgresLinkError.self) { try DatabaseNames.checkOperator("yama da") }
        #expect(throws: Never.self) { try DatabaseNames.checkOperator("yamada.h-1") }
        let refused = #expect(throws: PostgresLinkError.self) { try DatabaseNames.checkRole("Bad") }
        #expect(refused?.description.contains("--db-role") == true)
        #expect(DatabaseNames.quote("a\"b") == "\"a\"\"b\"")
    }

    @Test("channel names: only [a-z0-9_], at most 63")
    func channels() {
        #expect(PostgresLink.isValidChannel("madoguchi_journal_12130019"))
        for bad in ["", "Madoguchi", "a;b", "a b", "a\"", String(repeating: "a", count: 64)] { #expect(!PostgresLink.isValidChannel(bad), "\(bad)") }
        #expect(Migrations.channel(office: "12130019") == "madoguchi_journal_12130019")
    }

    @Test("a script splits at semicolons outside quotes, dollar quotes and comments")
    func scripts() {
        let script = #"""
        -- a comment; with a semicolon
        CREATE TABLE a (x text DEFAULT ';');
        DO $tag$ BEGIN PERFORM 1; PERFORM $1; END $tag$;
        CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;
        SELECT E'it\'s; fine', "odd;name" /* c; */ FROM t;
        """#
        let statements = SQLScript.statements(script)
        #expect(statements.count == 4)
        #expect(statements.first?.hasSuffix("CREATE TABLE a (x text DEFAULT ';')") == true)
        #expect(statements[1] == "DO $tag$ BEGIN PERFORM 1; PERFORM $1; END $tag$")
        #expect(statements[2] == "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$")
        #expect(statements[3] == #"SELECT E'it\'s; fine', "odd;name" /* c; */ FROM t"#)
        // Migration 1: every statement is whole (no split inside a function body).
        let m1 = SQLScript.statements(Migrations.all[0].sql)
        #expect(m1.count > 20)
        #expect(m1.allSatisfy { !$0.hasPrefix("END") && !$0.hasPrefix("$") })
        #expect(Migrations.all.map(\.version) == Array(1...Migrations.all.count))
    }
}
#endif
