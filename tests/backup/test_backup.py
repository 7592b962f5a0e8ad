"""Backups against a real PostgreSQL: dumped, checked, recorded, pruned, restored, proven.

The commands run in-process (typer's CliRunner) on a Typer app holding only the
backup, restore and deploy commands; pg_dump and pg_restore are the real ones.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
from psycopg import sql
from sqlalchemy import text
from typer.testing import CliRunner

from gxschema import backup, migrator
from gxschema import deploy as deploy_pipeline
from gxschema.backup import tools as backup_tools
from gxschema.backup import verifying
from gxschema.cli import backup_commands, deploy_command
from gxschema.cli.output import Output
from gxschema.errors import CheckFailedError, ConfigError, OperationError
from gxschema.seeding.run import SeedRun, default_seeds_dir
from gxschema.settings import DatabaseSettings

# Every character that breaks URLs and shell quoting: it must show up nowhere.
ROLE_PASSWORD = "b4ck/up=p@ss:w%rd#?&x 'q'"
SECRET_MARKER = "b4ck/up=p@ss"


def _app() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False)

    @app.callback()
    def _options(json_output: bool = typer.Option(False, "--json")) -> None:
        Output.use(Output(as_json=json_output))

    app.add_typer(backup_commands.app)
    app.add_typer(deploy_command.app)
    return app


@dataclass
class Cli:
    monkeypatch: pytest.MonkeyPatch
    env: dict[str, str]

    def __call__(self, *args: str) -> Any:
        for name, value in self.env.items():
            self.monkeypatch.setenv(name, value)
        return CliRunner().invoke(_app(), list(args))


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, pg_server) -> Iterator[Any]:
    """`cli(database)(*args)`: run a command against `database` as the test superuser."""
    for name in (
        "DATABASE_URL",
        "PGPASSWORD",
        "PGPASSWORD_FILE",
        "GXSCHEMA_PASSWORD_FILE",
        "GXSCHEMA_BACKUP_DIR",
        "PGSSLMODE",
    ):
        monkeypatch.delenv(name, raising=False)

    def for_database(database: str, **overrides: str) -> Cli:
        return Cli(monkeypatch, {**pg_server.env(database), **overrides})

    yield for_database


def _settings(pg_server, database: str, **overrides: Any) -> DatabaseSettings:
    values: dict[str, Any] = {
        "host": pg_server.host,
        "port": pg_server.port,
        "user": pg_server.user,
        "password": pg_server.password,
        "database": database,
    }
    values.update(overrides)
    return DatabaseSettings(**values)


def _fill(engine) -> None:
    """Rows in a few tables, with JSON, arrays, enums, quotes and non-ASCII text."""
    with engine.begin() as connection:
        connection.execute(
            text(
                """INSERT INTO "Country" ("countryCode", "countryName", region) VALUES
                   ('KE', 'Kenya', 'Africa'), ('DE', 'Deutschland', NULL),
                   ('CI', 'Côte d''Ivoire', 'Africa')"""
            )
        )
        connection.execute(
            text(
                """INSERT INTO "LegalTenderStatus"
                   ("statusId", "countryCode", status, "effectiveDate")
                   VALUES (:id, 'KE', 'SANDBOX', '2026-01-01T00:00:00Z')"""
            ),
            {"id": str(uuid.uuid4())},
        )
        connection.execute(
            text(
                """INSERT INTO "SystemConfig" ("configKey", "configValue", "valueType", "updatedAt")
                   VALUES ('fees', '{"bps": 25, "note": "a \\"quoted\\" ü | pipe"}', 'json',
                           CURRENT_TIMESTAMP)"""
            )
        )
        connection.execute(
            text(
                """INSERT INTO "FeatureFlag"
                   ("flagId", "tenantId", "flagKey", "targetRoles", "updatedAt")
                   VALUES ('flag-1', 'global', 'enable_webhooks', ARRAY['admin', 'ops'],
                           CURRENT_TIMESTAMP)"""
            )
        )


def _fingerprint(engine, *, skip: tuple[str, ...] = ()) -> dict[str, tuple[int, str | None]]:
    """Rows and a content hash of every table of the public schema."""
    result: dict[str, tuple[int, str | None]] = {}
    with engine.connect() as connection:
        tables = connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        ).scalars()
        for table in list(tables):
            if table in skip:
                continue
            row = connection.execute(
                text(
                    "SELECT count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) "
                    f'FROM "{table}" t'
                )
            ).one()
            result[table] = (int(row[0]), row[1])
    return result


def _databases(pg_server) -> set[str]:
    with pg_server.admin() as connection:
        return {row[0] for row in connection.execute("SELECT datname FROM pg_database")}


def _records(engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [
            dict(row)
            for row in connection.execute(
                text('SELECT * FROM "BackupRecord" ORDER BY "startedAt", location')
            ).mappings()
        ]


def _files(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir()) if directory.exists() else []


@pytest.fixture
def new_database(pg_server) -> Iterator[str]:
    """A database name that does not exist yet; dropped after the test if it was made."""
    name = f"gxtest_restored_{uuid.uuid4().hex[:10]}"
    yield name
    pg_server.drop_database(name)


def _create_role(pg_server, database: str, grants: list[str]) -> str:
    role = f"gx_backup_{uuid.uuid4().hex[:8]}"
    with pg_server.admin() as connection:
        connection.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(role), sql.Literal(ROLE_PASSWORD)
            )
        )
    with pg_server.connect(database) as connection:
        for grant in grants:
            connection.execute(sql.SQL(grant).format(role=sql.Identifier(role)))
    return role


def _drop_role(pg_server, database: str, role: str) -> None:
    with pg_server.admin() as connection:
        owned = connection.execute(
            "SELECT datname FROM pg_database WHERE datdba = "
            "(SELECT oid FROM pg_roles WHERE rolname = %s)",
            [role],
        ).fetchall()
    for (name,) in owned:
        pg_server.drop_database(name)
    with pg_server.connect(database) as connection:
        connection.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
    with pg_server.admin() as connection:
        connection.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


@pytest.fixture
def unprivileged_role(pg_server, head_database) -> Iterator[str]:
    """May record backups but not read the tables: pg_dump fails with permission denied."""
    role = _create_role(
        pg_server,
        head_database,
        [
            f'GRANT CONNECT ON DATABASE "{head_database}" TO {{role}}',
            "GRANT USAGE ON SCHEMA public TO {role}",
            "GRANT SELECT ON alembic_version TO {role}",
            'GRANT SELECT, INSERT, UPDATE ON "BackupRecord" TO {role}',
        ],
    )
    yield role
    _drop_role(pg_server, head_database, role)


@pytest.fixture
def backup_role(pg_server, head_database) -> Iterator[str]:
    """Least privilege that backs up, restores and verifies: no superuser needed."""
    role = _create_role(
        pg_server,
        head_database,
        [
            "ALTER ROLE {role} CREATEDB",
            # pg_read_all_data does not bypass row-level security (SystemConfig has it).
            "ALTER ROLE {role} BYPASSRLS",
            "GRANT pg_read_all_data TO {role}",
            'GRANT INSERT, UPDATE ON "BackupRecord" TO {role}',
        ],
    )
    yield role
    _drop_role(pg_server, head_database, role)


# --------------------------------------------------------------------------- backup


def test_backup_writes_a_dump_its_checksum_and_a_record(
    cli, pg_server, head_database, engine_for, tmp_path: Path
) -> None:
    engine = engine_for(head_database)
    _fill(engine)
    directory = tmp_path / "backups"

    result = cli(head_database)("--json", "backup", "--backup-dir", str(directory))

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    dumps = sorted(directory.glob("*.dump"))
    assert len(dumps) == 1
    dump = dumps[0]
    assert re.fullmatch(rf"{head_database}-\d{{8}}T\d{{6}}Z\.dump", dump.name)
    assert _files(directory) == [dump.name, dump.name + ".sha256"]  # no temporary left
    assert dump.stat().st_mode & 0o777 == 0o600  # a dump holds every row: owner only

    digest = hashlib.sha256(dump.read_bytes()).hexdigest()
    assert (directory / (dump.name + ".sha256")).read_text() == f"{digest}  {dump.name}\n"
    assert data["checksum"] == digest and data["path"] == str(dump.resolve())

    tool = backup.find_tool("pg_restore", pg_server.version)
    listing = subprocess.run(
        [tool.path, "--list", str(dump)], capture_output=True, text=True, check=True
    ).stdout
    assert 'TABLE DATA public "Country"' in listing or "TABLE DATA public Country" in listing

    (record,) = _records(engine)
    assert record["status"] == "succeeded"
    assert record["kind"] == "scheduled"
    assert record["tenantId"] == "global"
    assert record["target"] == (
        f"{pg_server.user}@{pg_server.host}:{pg_server.port}/{head_database}"
    )
    assert record["location"] == str(dump.resolve())
    assert record["schemaRevision"] == migrator.scripts().get_current_head()
    assert record["sizeBytes"] == dump.stat().st_size
    assert record["checksum"] == digest
    assert record["error"] is None and record["verifiedAt"] is None
    assert record["finishedAt"] >= record["startedAt"]
    assert record["backupId"] == data["backup_id"]


def test_keep_prunes_the_oldest_dump_and_marks_its_record(
    cli, head_database, engine_for, tmp_path: Path
) -> None:
    directory = tmp_path / "backups"
    run = cli(head_database)
    for _ in range(3):  # within the same second: names get -1, -2 and still sort
        result = run("backup", "--backup-dir", str(directory), "--keep", "2")
        assert result.exit_code == 0, result.output

    dumps = sorted(directory.glob("*.dump"))
    assert len(dumps) == 2
    assert sorted(directory.glob("*.sha256")) == [
        dump.with_name(dump.name + ".sha256") for dump in dumps
    ]
    assert not list(directory.glob(".*"))
    records = _records(engine_for(head_database))
    assert len(records) == 3
    assert [r["status"] for r in records] == ["pruned", "succeeded", "succeeded"]
    assert not Path(records[0]["location"]).exists()
    assert {r["location"] for r in records[1:]} == {str(dump.resolve()) for dump in dumps}


def test_backup_of_an_empty_database_is_taken_but_not_recorded(
    cli, empty_database, tmp_path: Path
) -> None:
    result = cli(empty_database)("--json", "backup", "--backup-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["recorded"] is False and data["schema_revision"] is None
    assert Path(data["path"]).is_file()


# --------------------------------------------------------------------------- restore


def test_backup_then_restore_gives_identical_tables(
    cli, pg_server, head_database, empty_database, new_database, engine_for, tmp_path: Path
) -> None:
    source = engine_for(head_database)
    _fill(source)
    run = cli(head_database)
    assert run("backup", "--backup-dir", str(tmp_path)).exit_code == 0

    # Into a database that does not exist yet (created), and into an existing empty one.
    for target in (new_database, empty_database):
        result = run("restore", "--backup-dir", str(tmp_path), "--latest", "--target-database", target)
        assert result.exit_code == 0, result.output

        # The dump holds its own BackupRecord row as it was while dumping ('running');
        # every other table is identical, row for row.
        restored = engine_for(target)
        expected = _fingerprint(source, skip=("BackupRecord",))
        assert _fingerprint(restored, skip=("BackupRecord",)) == expected
        assert len(expected) > 40 and expected["Country"][0] == 3
        with restored.connect() as connection:
            assert connection.execute(text('SELECT status FROM "BackupRecord"')).all() == [
                ("running",)
            ]


def test_a_tampered_dump_is_refused_and_nothing_is_restored(
    cli, pg_server, head_database, empty_database, new_database, engine_for, tmp_path: Path
) -> None:
    run = cli(head_database)
    assert run("backup", "--backup-dir", str(tmp_path)).exit_code == 0
    (dump,) = tmp_path.glob("*.dump")
    content = bytearray(dump.read_bytes())
    content[len(content) // 2] ^= 0xFF
    dump.write_bytes(bytes(content))

    result = run(
        "restore", "--backup-dir", str(tmp_path), "--file", dump.name, "--target-database", new_database
    )
    assert result.exit_code == 1
    assert "does not match its checksum" in result.stderr
    assert new_database not in _databases(pg_server)

    result = run("restore", "--backup-dir", str(tmp_path), "--latest", "--target-database", empty_database)
    assert result.exit_code == 1
    assert _fingerprint(engine_for(empty_database)) == {}


def test_restore_refuses_a_non_empty_database_without_force(
    cli, pg_server, head_database, empty_database, engine_for, tmp_path: Path
) -> None:
    source = engine_for(head_database)
    _fill(source)
    target = engine_for(empty_database)
    with target.begin() as connection:
        connection.execute(text('CREATE TABLE "Precious" (id int)'))
        connection.execute(text('INSERT INTO "Precious" VALUES (1)'))
    run = cli(head_database)
    assert run("backup", "--backup-dir", str(tmp_path)).exit_code == 0
    restore = ("restore", "--backup-dir", str(tmp_path), "--latest", "--target-database", empty_database)

    refused = run(*restore)
    assert refused.exit_code == 2
    assert "not empty" in refused.stderr and "--force" in refused.stderr
    assert _fingerprint(target) == {"Precious": (1, hashlib.md5(b"(1)").hexdigest())}

    forced = run(*restore, "--force")
    assert forced.exit_code == 0, forced.output
    assert "Precious" not in _fingerprint(target)
    skip = ("BackupRecord",)
    assert _fingerprint(target, skip=skip) == _fingerprint(source, skip=skip)
    # The staging copy was renamed, not left behind: the one this run named, since other
    # runs' staging databases come and go on a shared server.
    (staging,) = re.findall(r"into (gxrestore_[0-9a-f]{16}) with", forced.stderr)
    assert staging not in _databases(pg_server)


def test_restore_needs_exactly_one_of_file_and_latest(cli, head_database, tmp_path) -> None:
    run = cli(head_database)
    for extra in ([], ["--latest", "--file", "x.dump"]):
        result = run("restore", "--backup-dir", str(tmp_path), "--target-database", "x", *extra)
        assert result.exit_code == 2
        assert "--file NAME or --latest" in result.stderr


# --------------------------------------------------------------------------- verify


def test_backup_verify_sets_verified_at_and_drops_the_scratch_database(
    cli, pg_server, head_database, engine_for, tmp_path: Path
) -> None:
    engine = engine_for(head_database)
    _fill(engine)

    result = cli(head_database)("--json", "backup", "--backup-dir", str(tmp_path), "--verify")

    assert result.exit_code == 0, result.output
    verified = json.loads(result.stdout)["verify"]
    assert verified["compared_with"] == "snapshot"
    assert verified["tables"] > 40 and verified["rows"] >= 6
    assert verified["scratch_database"] not in _databases(pg_server)
    (record,) = _records(engine)
    assert record["verifiedAt"] is not None and record["status"] == "succeeded"


def test_verify_names_tables_whose_counts_differ_and_still_drops_scratch(
    pg_server, head_database, engine_for, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = engine_for(head_database)
    _fill(engine)
    settings = _settings(pg_server, head_database)
    backup.take_backup(settings, tmp_path)
    with engine.begin() as connection:  # the source moves on after the dump
        connection.execute(text("""INSERT INTO "Country" VALUES ('FR', 'France', NULL)"""))
    scratch: list[str] = []
    make_name = verifying.scratch_name
    monkeypatch.setattr(
        verifying, "scratch_name", lambda purpose: scratch.append(make_name(purpose)) or scratch[-1]
    )

    with pytest.raises(CheckFailedError) as raised:
        backup.verify_latest(settings, tmp_path)

    assert "Country (source 4, restored 3)" in str(raised.value)
    assert scratch and not set(scratch) & _databases(pg_server)
    (record,) = _records(engine)
    assert record["verifiedAt"] is None


# --------------------------------------------------------------------------- failures


def test_a_failed_pg_dump_leaves_no_file_records_failure_and_hides_the_password(
    cli, pg_server, head_database, unprivileged_role, engine_for, tmp_path: Path
) -> None:
    run = cli(head_database, PGUSER=unprivileged_role, PGPASSWORD=ROLE_PASSWORD)

    result = run("backup", "--backup-dir", str(tmp_path))

    assert result.exit_code == 1
    assert "permission denied" in result.stderr and "no dump was written" in result.stderr
    assert SECRET_MARKER not in result.output + result.stderr
    assert _files(tmp_path) == []
    (record,) = _records(engine_for(head_database))
    assert record["status"] == "failed" and "permission denied" in record["error"]
    assert record["finishedAt"] is not None and record["sizeBytes"] is None
    assert SECRET_MARKER not in record["error"] and SECRET_MARKER not in record["target"]


def test_a_missing_database_fails_cleanly(
    cli, head_database, unprivileged_role, tmp_path: Path
) -> None:
    run = cli(
        head_database,
        PGUSER=unprivileged_role,
        PGPASSWORD=ROLE_PASSWORD,
        PGDATABASE="gxtest_no_such_database",
    )
    result = run("backup", "--backup-dir", str(tmp_path), "--wait", "0")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert SECRET_MARKER not in result.output + result.stderr
    assert list(tmp_path.glob("*.dump")) == [] and list(tmp_path.glob(".*")) == []


def test_an_unusable_backup_directory_is_a_configuration_error(
    cli, head_database, tmp_path: Path
) -> None:
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("x")
    result = cli(head_database)("backup", "--backup-dir", str(not_a_directory / "sub"))
    assert result.exit_code == 2
    assert "cannot create the backup directory" in result.stderr


def test_the_password_reaches_the_tools_only_through_their_environment(
    pg_server,
    head_database,
    new_database,
    backup_role,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[list[str], dict[str, str]]] = []
    real_run = subprocess.run

    def spy(arguments: list[str], **options: Any) -> Any:
        calls.append((list(arguments), dict(options.get("env") or {})))
        return real_run(arguments, **options)

    monkeypatch.setattr(backup_tools.subprocess, "run", spy)
    settings = _settings(pg_server, head_database, user=backup_role, password=ROLE_PASSWORD)

    taken = backup.take_backup(settings, tmp_path, count_rows=True)
    backup.verify(settings, taken.path, expected_counts=taken.row_counts)
    # A backup role may not replay the default privileges 0004 set for the migrating role.
    backup.restore(settings, taken.path, new_database, privileges=False)

    tools = [(args, env) for args, env in calls if "--version" not in args]
    assert {Path(args[0]).name for args, _env in tools} == {"pg_dump", "pg_restore"}
    for args, _env in calls:
        assert not any(SECRET_MARKER in argument for argument in args)
    for _args, env in tools:
        assert env["PGPASSWORD"] == ROLE_PASSWORD and env["PGUSER"] == backup_role


def test_a_backup_role_without_bypassrls_is_told_what_it_lacks(
    pg_server, head_database, tmp_path: Path
) -> None:
    # SystemConfig has row-level security (0006): pg_dump refuses rather than dump it half.
    role = _create_role(
        pg_server,
        head_database,
        [
            "ALTER ROLE {role} CREATEDB",
            "GRANT pg_read_all_data TO {role}",
            'GRANT INSERT, UPDATE ON "BackupRecord" TO {role}',
        ],
    )
    try:
        settings = _settings(pg_server, head_database, user=role, password=ROLE_PASSWORD)
        with pytest.raises(OperationError, match=r"BYPASSRLS") as raised:
            backup.take_backup(settings, tmp_path)
        assert SECRET_MARKER not in str(raised.value)
        assert not list(tmp_path.glob("*.dump"))
    finally:
        _drop_role(pg_server, head_database, role)


def test_tool_discovery_fits_the_server_or_says_what_to_install(pg_server) -> None:
    tool = backup.find_tool("pg_dump", pg_server.version)
    assert tool.major >= pg_server.version
    with pytest.raises(ConfigError, match="install the PostgreSQL 99 client tools"):
        backup.find_tool("pg_dump", 99)
    with pytest.raises(ConfigError, match="not found"):
        backup.find_tool("pg_no_such_tool", 15)


# --------------------------------------------------------------------------- deploy


class _SeedReport:
    changed = True

    def to_dict(self) -> dict[str, Any]:
        return {"datasets": [{"name": "countries", "inserted": 2, "updated": 0}]}


def _table_count(engine) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            ).scalar_one()
        )


def test_deploy_stops_before_migrating_when_the_backup_fails(
    cli, empty_database, engine_for, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded: list[dict[str, Any]] = []
    monkeypatch.setattr(deploy_pipeline, "seed_database", lambda *a, **kw: seeded.append(kw))
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("x")

    result = cli(empty_database)(
        "deploy", "--env", "devnet", "--backup-first", "--backup-dir", str(not_a_directory)
    )

    assert result.exit_code != 0
    assert "pre-migration backup failed, so nothing was migrated" in result.stderr
    assert _table_count(engine_for(empty_database)) == 0
    assert seeded == []


def test_deploy_backs_up_migrates_seeds_and_verifies(
    cli, empty_database, engine_for, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded: list[dict[str, Any]] = []

    def fake_seed(_engine: Any, folder: Path, **options: Any) -> SeedRun:
        seeded.append({"folder": folder, **options})
        return SeedRun(_SeedReport(), options["env"], None)  # type: ignore[arg-type]

    monkeypatch.setattr(deploy_pipeline, "seed_database", fake_seed)
    result = cli(empty_database)(
        "--json", "deploy", "--env", "mainnet", "--backup-dir", str(tmp_path), "--wait", "5"
    )

    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    head = migrator.scripts().get_current_head()
    assert summary["migration"]["to_revision"] == head
    assert summary["verify"] == {"identical": True, "revision": head, "differences": []}
    # mainnet backs up first by default; before the first migration there is no table to
    # record it in, but the dump is there.
    assert summary["backup"]["kind"] == "pre-migration"
    assert summary["backup"]["recorded"] is False
    assert Path(summary["backup"]["path"]).is_file()
    assert seeded == [
        {
            "folder": default_seeds_dir(),
            "env": "mainnet",
            "only": None,
            "dry_run": False,
            "overwrite": False,
            "reassign": False,
            "command": "deploy",
        }
    ]
    assert _table_count(engine_for(empty_database)) > 40


def test_deploy_fails_when_the_schema_drifts(
    cli, head_database, engine_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = engine_for(head_database)

    def drifting_seed(*_args: Any, **options: Any) -> SeedRun:
        with engine.begin() as connection:
            connection.execute(text('ALTER TABLE "Country" ADD COLUMN "extra" text'))
        return SeedRun(_SeedReport(), options["env"], None)  # type: ignore[arg-type]

    monkeypatch.setattr(deploy_pipeline, "seed_database", drifting_seed)
    result = cli(head_database)("deploy", "--env", "testnet")

    assert result.exit_code == 1
    assert "extra" in result.stdout
    assert "differs from the models" in result.stderr


def test_deploy_refuses_an_unknown_environment(cli, empty_database) -> None:
    result = cli(empty_database)("deploy", "--env", "prod")
    assert result.exit_code == 2
    assert "'prod' is not one of" in result.stderr  # refused by --env's choices


def test_deploy_seeds_for_real_when_the_seeding_library_is_there(
    cli, empty_database, engine_for
) -> None:
    pytest.importorskip("gxschema.seeding", reason="the seeding library is not finished yet")
    result = cli(empty_database)("deploy", "--env", "testnet", "--no-backup-first")
    assert result.exit_code == 0, result.output
    with engine_for(empty_database).connect() as connection:
        assert connection.execute(text('SELECT count(*) FROM "SeedDataset"')).scalar_one() > 0
