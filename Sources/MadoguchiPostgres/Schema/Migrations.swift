#if PostgreSQL
// The database's schema as versioned migrations (issue 15). `madoguchi db init` applies the missing ones
// in order, each in one transaction, and records it in madoguchi.schema_version; each is written to be
// re-run safely (IF NOT EXISTS, CREATE OR REPLACE, DROP … IF EXISTS before CREATE TRIGGER/POLICY).
// A released migration is never edited: a change is a new migration with the next version.
//
// What the engine enforces (and what it does not — the hash chain and the signatures stay the proof):
// - append-only: clerks have SELECT and INSERT only; triggers refuse UPDATE/DELETE/TRUNCATE for the
//   owner too (a superuser can still disable triggers);
// - per office: row-level security (FORCE) lets a role see and insert only its own office's rows,
//   the city's roles see every office's and insert none;
// - who: the row's operator_id and db_role come from session_user (peer or SCRAM proved it), never
//   from the client, and the line's own "operator" must be that operator;
// - order: seq is the office's last + 1 under a per-office advisory lock (gapless; a rolled-back
//   insert leaves no gap), and the line's own "seq" must be the row's;
// - a NOTIFY on channel madoguchi_journal_<office> with the seq after every insert.

/// One step of the schema.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

public enum Migrations {
    /// Every migration, in version order (1, 2, …, no gaps).
    public static let all: [Migration] = [journal]

    /// The SQL state the triggers use for "this role may not write there" (also the engine's own
    /// `permission denied`) and for "the row contradicts itself or its place in the chain".
    public static let sqlStateNotAllowed = "42501"
    public static let sqlStateBadRow = "23514"
    /// The channel an office's inserts are announced on (payload: the seq).
    public static func channel(office: String) -> String { "madoguchi_journal_" + office }

    static let journal = Migration(version: 1, name: "journal: offices, staff, append-only journal with RLS, triggers, NOTIFY", sql: #"""
        -- Group roles: cluster-wide, created once (another database of the same cluster may have made them).
        DO $roles$
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'madoguchi_owner') THEN
                CREATE ROLE madoguchi_owner NOLOGIN;
            END IF;
            IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'madoguchi_clerk') THEN
                CREATE ROLE madoguchi_clerk NOLOGIN;
            END IF;
            IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'madoguchi_city') THEN
                CREATE ROLE madoguchi_city NOLOGIN;
            END IF;
        END
        $roles$;

        CREATE SCHEMA IF NOT EXISTS madoguchi AUTHORIZATION madoguchi_owner;
        REVOKE ALL ON SCHEMA madoguchi FROM PUBLIC;

        CREATE TABLE IF NOT EXISTS madoguchi.schema_version (
            version    int PRIMARY KEY,
            name       text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        );

        -- An office is its 公費負担者番号 (8 digits): safe inside a channel name and an advisory-lock key.
        CREATE TABLE IF NOT EXISTS madoguchi.offices (
            office text PRIMARY KEY CHECK (office ~ '^[0-9]{8}$'),
            name   text NOT NULL
        );

        -- A login role → its office and its journal operator id. Only the city's roles have no office.
        CREATE TABLE IF NOT EXISTS madoguchi.staff (
            db_role     name PRIMARY KEY,
            office      text REFERENCES madoguchi.offices,
            operator_id text NOT NULL,
            kind        text NOT NULL CHECK (kind IN ('clerk', 'supervisor', 'city')),
            CHECK ((kind = 'city') = (office IS NULL))
        );

        -- The journal: `line` is the exact JSON line without its newline (text: jsonb reorders keys and the
        -- hash chain is over the bytes).
        CREATE TABLE IF NOT EXISTS madoguchi.journal (
            office      text NOT NULL REFERENCES madoguchi.offices,
            seq         bigint NOT NULL CHECK (seq > 0),
            operator_id text NOT NULL,
            line        text NOT NULL,
            db_role     name NOT NULL DEFAULT session_user,
            recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            PRIMARY KEY (office, seq)
        );

        ALTER TABLE madoguchi.schema_version OWNER TO madoguchi_owner;
        ALTER TABLE madoguchi.offices OWNER TO madoguchi_owner;
        ALTER TABLE madoguchi.staff OWNER TO madoguchi_owner;
        ALTER TABLE madoguchi.journal OWNER TO madoguchi_owner;

        -- Who the session's login role is (peer or SCRAM proved it): no row → nothing.
        CREATE OR REPLACE FUNCTION madoguchi.whoami()
        RETURNS TABLE (office text, operator_id text, kind text)
        LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
        AS $fn$
            SELECT s.office, s.operator_id, s.kind FROM madoguchi.staff s WHERE s.db_role = session_user
        $fn$;

        -- True for a superuser or a member of madoguchi_owner: the administrator's path (`madoguchi migrate`).
        CREATE OR REPLACE FUNCTION madoguchi.is_admin()
        RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
        AS $fn$
            SELECT coalesce((SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user), false)
                OR pg_has_role(session_user, 'madoguchi_owner', 'MEMBER')
        $fn$;

        -- The per-office append lock, the same the insert trigger takes: a writer takes it before reading the
        -- last line it chains onto. Only for one's own office (or the administrator's).
        CREATE OR REPLACE FUNCTION madoguchi.lock_office(p_office text)
        RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
        AS $fn$
        DECLARE
            mine text;
        BEGIN
            IF p_office IS NULL OR p_office !~ '^[0-9]{8}$' THEN
                RAISE EXCEPTION '事務所の番号 "%" は 8 桁の数字ではありません', p_office
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
            IF NOT madoguchi.is_admin() THEN
                SELECT w.office INTO mine FROM madoguchi.whoami() w;
                IF mine IS DISTINCT FROM p_office THEN
                    RAISE EXCEPTION 'ロール "%" は事務所 % の記録を書けません（自分の事務所は %）', session_user, p_office, coalesce(mine, 'なし')
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
            END IF;
            PERFORM pg_advisory_xact_lock(hashtextextended('journal:' || p_office, 0));
        END
        $fn$;

        -- Every insert: the office's lock, then who, where, which seq, and the line's own fields.
        CREATE OR REPLACE FUNCTION madoguchi.journal_before_insert()
        RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
        AS $fn$
        DECLARE
            me      record;
            admin   boolean;
            parsed  jsonb;
            last    bigint;
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtextextended('journal:' || NEW.office, 0));
            SELECT w.office, w.operator_id, w.kind INTO me FROM madoguchi.whoami() w;
            admin := madoguchi.is_admin();
            -- A superuser or the owner takes the administrator's path even with a staff row of its own
            -- (a bench, a test cluster's administrator who is also a desk's clerk): the engine cannot
            -- hold them anyway; the chain and the signatures do.
            IF admin OR me IS NULL OR me.kind IS NULL THEN
                IF NOT admin THEN
                    RAISE EXCEPTION 'ロール "%" は職員として登録されていません（madoguchi.staff に行がありません）。記録は書けません', session_user
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
            ELSIF me.kind = 'city' THEN
                RAISE EXCEPTION 'ロール "%" は市の閲覧用（kind = city）です。記録は書けません', session_user
                    USING ERRCODE = 'insufficient_privilege';
            ELSIF NEW.office IS DISTINCT FROM me.office THEN
                RAISE EXCEPTION 'office "%" はロール "%" の事務所（%）ではありません。ほかの事務所の記録は書けません', NEW.office, session_user, me.office
                    USING ERRCODE = 'insufficient_privilege';
            END IF;

            SELECT coalesce(max(j.seq), 0) INTO last FROM madoguchi.journal j WHERE j.office = NEW.office;
            IF NEW.seq IS DISTINCT FROM last + 1 THEN
                RAISE EXCEPTION 'seq が連番ではありません：事務所 % の次は % ですが、% が送られました', NEW.office, last + 1, NEW.seq
                    USING ERRCODE = 'check_violation';
            END IF;
            IF strpos(NEW.line, E'\n') > 0 OR strpos(NEW.line, E'\r') > 0 THEN
                RAISE EXCEPTION 'line に改行があります（seq %）：記録は 1 行ずつです', NEW.seq
                    USING ERRCODE = 'check_violation';
            END IF;
            BEGIN
                parsed := NEW.line::jsonb;
            EXCEPTION WHEN others THEN
                RAISE EXCEPTION 'line が JSON として読めません（seq %）：%', NEW.seq, SQLERRM
                    USING ERRCODE = 'check_violation';
            END;
            IF jsonb_typeof(parsed) IS DISTINCT FROM 'object' THEN
                RAISE EXCEPTION 'line が JSON のオブジェクトではありません（seq %）', NEW.seq
                    USING ERRCODE = 'check_violation';
            END IF;
            IF (parsed ->> 'seq') IS DISTINCT FROM NEW.seq::text THEN
                RAISE EXCEPTION 'line の seq（%）が列 seq（%）と違います', coalesce(parsed ->> 'seq', 'なし'), NEW.seq
                    USING ERRCODE = 'check_violation';
            END IF;

            IF admin OR me IS NULL OR me.kind IS NULL THEN
                -- The administrator carries lines over as they are (`madoguchi migrate`): the operator is the line's.
                IF coalesce(parsed ->> 'operator', '') = '' THEN
                    RAISE EXCEPTION 'line に operator がありません（seq %）', NEW.seq
                        USING ERRCODE = 'check_violation';
                END IF;
                NEW.operator_id := parsed ->> 'operator';
            ELSE
                IF (parsed ->> 'operator') IS DISTINCT FROM me.operator_id THEN
                    RAISE EXCEPTION 'line の operator "%" はロール "%" の操作者 ID "%" と違います', coalesce(parsed ->> 'operator', 'なし'), session_user, me.operator_id
                        USING ERRCODE = 'check_violation';
                END IF;
                NEW.operator_id := me.operator_id;
            END IF;
            NEW.db_role := session_user;
            RETURN NEW;
        END
        $fn$;

        CREATE OR REPLACE FUNCTION madoguchi.journal_append_only()
        RETURNS trigger
        LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp
        AS $fn$
        BEGIN
            RAISE EXCEPTION '記録は追記のみです（UPDATE/DELETE/TRUNCATE はできません）'
                USING ERRCODE = 'insufficient_privilege';
        END
        $fn$;

        CREATE OR REPLACE FUNCTION madoguchi.journal_after_insert()
        RETURNS trigger
        LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp
        AS $fn$
        BEGIN
            PERFORM pg_notify('madoguchi_journal_' || NEW.office, NEW.seq::text);
            RETURN NULL;
        END
        $fn$;

        ALTER FUNCTION madoguchi.whoami() OWNER TO madoguchi_owner;
        ALTER FUNCTION madoguchi.is_admin() OWNER TO madoguchi_owner;
        ALTER FUNCTION madoguchi.lock_office(text) OWNER TO madoguchi_owner;
        ALTER FUNCTION madoguchi.journal_before_insert() OWNER TO madoguchi_owner;
        ALTER FUNCTION madoguchi.journal_append_only() OWNER TO madoguchi_owner;
        ALTER FUNCTION madoguchi.journal_after_insert() OWNER TO madoguchi_owner;

        DROP TRIGGER IF EXISTS journal_before_insert ON madoguchi.journal;
        CREATE TRIGGER journal_before_insert BEFORE INSERT ON madoguchi.journal
            FOR EACH ROW EXECUTE FUNCTION madoguchi.journal_before_insert();
        DROP TRIGGER IF EXISTS journal_no_update_delete ON madoguchi.journal;
        CREATE TRIGGER journal_no_update_delete BEFORE UPDATE OR DELETE ON madoguchi.journal
            FOR EACH ROW EXECUTE FUNCTION madoguchi.journal_append_only();
        DROP TRIGGER IF EXISTS journal_no_truncate ON madoguchi.journal;
        CREATE TRIGGER journal_no_truncate BEFORE TRUNCATE ON madoguchi.journal
            FOR EACH STATEMENT EXECUTE FUNCTION madoguchi.journal_append_only();
        DROP TRIGGER IF EXISTS journal_after_insert ON madoguchi.journal;
        CREATE TRIGGER journal_after_insert AFTER INSERT ON madoguchi.journal
            FOR EACH ROW EXECUTE FUNCTION madoguchi.journal_after_insert();

        -- Row-level security, forced on the owner too: one's own office, or all of them for the city. The
        -- owner's own policy lets its SECURITY DEFINER trigger read the office's last seq (and a superuser's
        -- SET ROLE madoguchi_owner meet the append-only trigger rather than an empty table).
        ALTER TABLE madoguchi.journal ENABLE ROW LEVEL SECURITY;
        ALTER TABLE madoguchi.journal FORCE ROW LEVEL SECURITY;
        DROP POLICY IF EXISTS journal_read ON madoguchi.journal;
        CREATE POLICY journal_read ON madoguchi.journal FOR SELECT TO madoguchi_clerk, madoguchi_city
            USING (office = (SELECT w.office FROM madoguchi.whoami() w) OR (SELECT w.kind FROM madoguchi.whoami() w) = 'city');
        DROP POLICY IF EXISTS journal_write ON madoguchi.journal;
        CREATE POLICY journal_write ON madoguchi.journal FOR INSERT TO madoguchi_clerk
            WITH CHECK (office = (SELECT w.office FROM madoguchi.whoami() w) AND (SELECT w.kind FROM madoguchi.whoami() w) <> 'city');
        DROP POLICY IF EXISTS journal_owner ON madoguchi.journal;
        CREATE POLICY journal_owner ON madoguchi.journal FOR ALL TO madoguchi_owner USING (true) WITH CHECK (true);

        -- Privileges: nobody but the owner may change or remove a row.
        REVOKE ALL ON ALL TABLES IN SCHEMA madoguchi FROM PUBLIC;
        REVOKE ALL ON ALL FUNCTIONS IN SCHEMA madoguchi FROM PUBLIC;
        GRANT USAGE ON SCHEMA madoguchi TO madoguchi_clerk, madoguchi_city;
        GRANT SELECT, INSERT ON madoguchi.journal TO madoguchi_clerk;
        GRANT SELECT ON madoguchi.offices TO madoguchi_clerk, madoguchi_city;
        GRANT SELECT ON madoguchi.journal TO madoguchi_city;
        GRANT EXECUTE ON FUNCTION madoguchi.whoami(), madoguchi.is_admin(), madoguchi.lock_office(text) TO madoguchi_clerk;
        GRANT EXECUTE ON FUNCTION madoguchi.whoami(), madoguchi.is_admin() TO madoguchi_city;
        """#)
}
#endif
