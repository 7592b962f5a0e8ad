BEGIN;

-- Running upgrade 0003 -> 0004

DO $$
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gx_app') THEN
                CREATE ROLE "gx_app" NOLOGIN;
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;  -- another database of this cluster created it at the same moment
        END
        $$;

GRANT USAGE ON SCHEMA public TO "gx_app";

DO $$
        DECLARE type_name text;
        BEGIN
            FOR type_name IN
                SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE n.nspname = 'public' AND t.typtype = 'e'
            LOOP
                EXECUTE 'GRANT USAGE ON TYPE public.' || quote_ident(type_name) || ' TO "gx_app"';
            END LOOP;
        END
        $$;

DO $$
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gx_readonly') THEN
                CREATE ROLE "gx_readonly" NOLOGIN;
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;  -- another database of this cluster created it at the same moment
        END
        $$;

GRANT USAGE ON SCHEMA public TO "gx_readonly";

DO $$
        DECLARE type_name text;
        BEGIN
            FOR type_name IN
                SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE n.nspname = 'public' AND t.typtype = 'e'
            LOOP
                EXECUTE 'GRANT USAGE ON TYPE public.' || quote_ident(type_name) || ' TO "gx_readonly"';
            END LOOP;
        END
        $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "gx_app";

GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "gx_app";

ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "gx_app";

ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "gx_app";

GRANT SELECT ON ALL TABLES IN SCHEMA public TO "gx_readonly";

ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO "gx_readonly";

UPDATE alembic_version SET version_num='0004' WHERE alembic_version.version_num = '0003';

COMMIT;

