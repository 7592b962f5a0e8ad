BEGIN;

-- Running upgrade 0005 -> 0006

DO $$
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gx_secret_reader') THEN
                CREATE ROLE "gx_secret_reader" NOLOGIN;
            END IF;
        EXCEPTION
            WHEN duplicate_object OR unique_violation THEN
                NULL;  -- another database of this cluster created it at the same moment
            WHEN insufficient_privilege THEN
                RAISE EXCEPTION USING
                    MESSAGE = 'role gx_secret_reader does not exist and ' || current_user
                        || ' may not create it (neither superuser nor CREATEROLE)',
                    HINT = 'an administrator runs: CREATE ROLE gx_secret_reader NOLOGIN;';
        END
        $$;

GRANT USAGE ON SCHEMA public TO "gx_secret_reader";

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;

REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM "gx_app", "gx_readonly";

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "gx_secret_reader";

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "gx_app";

REVOKE INSERT, UPDATE, DELETE ON public."alembic_version", public."SchemaMigrationRun", public."SeedDataset", public."BackupRecord" FROM "gx_app";

REVOKE UPDATE, DELETE ON public."AuditLog" FROM "gx_app";

REVOKE INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public FROM "gx_readonly";

GRANT SELECT ON ALL TABLES IN SCHEMA public TO "gx_readonly";

GRANT SELECT ON public."SystemConfig" TO "gx_secret_reader";

SELECT set_config('gxschema.outer_lock_timeout', current_setting('lock_timeout'), true);

SET LOCAL lock_timeout = '50ms';

LOCK TABLE public."SystemConfig" IN ACCESS EXCLUSIVE MODE;

SELECT set_config('lock_timeout', current_setting('gxschema.outer_lock_timeout'), true);

ALTER TABLE public."SystemConfig" ENABLE ROW LEVEL SECURITY;

CREATE POLICY "gx_config_read_public" ON public."SystemConfig" FOR SELECT TO "gx_app", "gx_readonly" USING (NOT "isSecret");

CREATE POLICY "gx_config_read_secret" ON public."SystemConfig" FOR SELECT TO "gx_secret_reader" USING (true);

CREATE POLICY "gx_config_app_insert" ON public."SystemConfig" FOR INSERT TO "gx_app" WITH CHECK (NOT "isSecret" AND "configKey" <> 'environment');

CREATE POLICY "gx_config_app_update" ON public."SystemConfig" FOR UPDATE TO "gx_app" USING (NOT "isSecret" AND "configKey" <> 'environment') WITH CHECK (NOT "isSecret" AND "configKey" <> 'environment');

CREATE POLICY "gx_config_app_delete" ON public."SystemConfig" FOR DELETE TO "gx_app" USING (NOT "isSecret" AND "configKey" <> 'environment');

UPDATE alembic_version SET version_num='0006' WHERE alembic_version.version_num = '0005';

COMMIT;

