"""The rendered Jobs and CronJobs of k8s/jobs, run for real against PostgreSQL.

There is no cluster and no Docker here, so `Pod` stands in for the kubelet. It takes
one container of a workload rendered by ``kubectl kustomize k8s/jobs/overlays/<env>``
and runs *its own* command, arguments and environment:

- the command: the image's ENTRYPOINT and CMD (read from the Dockerfile) unless the
  container sets ``command``/``args``; ``gxschema`` becomes ``python -m gxschema`` of
  this venv, which stands for the image's /opt/venv;
- the environment: the image's ENV, then the container's ``env`` in order, with
  ``secretKeyRef``/``configMapKeyRef`` read from `Cluster` and ``$(VAR)`` expanded;
- the volumes: emptyDirs and Secret files (written with their mode) under a folder of
  the pod, each PersistentVolumeClaim as one folder shared by every pod of the test;
  every mount path and image path (``/app/seeds``) in an argument or a variable is
  rewritten to where it now lives.

`Cluster` is what the manifests expect to find: Secrets holding only the keys the real
ones have (the test server's user and password in them), the service and database
names that lead to PostgreSQL, and the claims. The literal ``PGHOST``/``PGPORT``/
``PGDATABASE`` must be those names and are mapped to the test server and database.
Every Secret key a pod reads and every name it maps is recorded, and the tests assert
the exact sets: a manifest that changes the contract (another Secret, another key,
another host, the password in a variable) fails here rather than in the cluster.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from gxschema import catalog, migrator

from ..support.cli import Ran
from ..support.demo import DEMO_TABLES  # the tables of devnet's demo dataset
from ..support.dockerfile import DOCKERFILE, parse, stages
from ..support.dockerfile import env_of as image_env_of
from ..support.kustomize import (
    CNPG_CLUSTER,
    ENVIRONMENTS,
    STATEFULSET_OVERLAYS,
    Doc,
    job_specs,
    render,
)
from ..support.paths import ROOT
from ..support.server import Server

STATEFULSET_SECRET = "postgres-secret"
STATEFULSET_SERVICE = "postgres-primary"
CNPG_SECRET = f"{CNPG_CLUSTER}-app"
CNPG_SERVICE = f"{CNPG_CLUSTER}-rw"
DATABASE = "gx_protocol"
POSTGRES_PORT = "5432"
BACKUP_CLAIM = "postgres-backup-pvc"
# Where the pod finds its database: the literal values are mapped to the test server.
LOCATION_VARIABLES = ("PGHOST", "PGPORT", "PGDATABASE")
# Longest a command may run here (the Jobs' own deadlines are 15 to 60 minutes).
RUN_TIMEOUT = 240

COUNTRIES = 250


class ContractError(AssertionError):
    """The rendered manifest asks for something the cluster (as the test knows it) lacks."""


# --- the image, from the Dockerfile -----------------------------------------------


@dataclass(frozen=True)
class Image:
    entrypoint: list[str]
    cmd: list[str]
    env: dict[str, str]
    files: dict[str, Path]
    """Paths inside the image -> what stands for them here."""


@functools.cache
def image() -> Image:
    instructions = parse(DOCKERFILE.read_text())
    build, runtime = stages(instructions)[0], stages(instructions)[-1]

    def last(keyword: str) -> list[str]:
        found = [arguments for word, arguments in runtime if word == keyword]
        return json.loads(found[-1]) if found else []

    build_runs = " ".join(arguments for word, arguments in build if word == "RUN")
    files: dict[str, Path] = {}
    for keyword, arguments in runtime:
        if keyword != "COPY":
            continue
        words = arguments.split()
        options = [word for word in words if word.startswith("--")]
        sources, target = [w for w in words if not w.startswith("--")][:-1], words[-1]
        if not options and len(sources) == 1:
            files[target.rstrip("/")] = ROOT / sources[0].rstrip("/")
        elif options == ["--from=build"] and re.search(rf"python -m venv {target}\b", build_runs):
            # The venv the build stage made: here, the venv these tests run in.
            files[target.rstrip("/")] = Path(sys.prefix)
    return Image(last("ENTRYPOINT"), last("CMD"), image_env_of(runtime), files)


# --- the cluster, as the manifests expect it ---------------------------------------


@dataclass
class Cluster:
    server: Server
    database: str
    root: Path
    secrets: dict[str, dict[str, str]]
    services: frozenset[str]
    claims: frozenset[str]
    config_maps: dict[str, dict[str, str]] = field(default_factory=dict)
    databases: frozenset[str] = frozenset({DATABASE})
    pods: int = 0

    def secret(self, name: str, key: str, read: set[tuple[str, str]]) -> str:
        if name not in self.secrets:
            raise ContractError(f"Secret {name} does not exist (there are {sorted(self.secrets)})")
        if key not in self.secrets[name]:
            raise ContractError(
                f"Secret {name} has no key {key!r} (it has {sorted(self.secrets[name])})"
            )
        read.add((name, key))
        return self.secrets[name][key]

    def config_map(self, name: str, key: str) -> str:
        if key not in self.config_maps.get(name, {}):
            raise ContractError(f"ConfigMap {name} (key {key!r}) does not exist")
        return self.config_maps[name][key]

    def claim(self, name: str) -> Path:
        if name not in self.claims:
            raise ContractError(f"PersistentVolumeClaim {name} is not rendered ({self.claims})")
        folder = self.root / "claims" / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def new_pod_folder(self) -> Path:
        self.pods += 1
        folder = self.root / f"pod-{self.pods}"
        folder.mkdir(parents=True)
        return folder


def claims_of(docs: list[Doc]) -> frozenset[str]:
    return frozenset(
        doc["metadata"]["name"] for doc in docs if doc["kind"] == "PersistentVolumeClaim"
    )


def statefulset_cluster(server: Server, database: str, root: Path, docs: list[Doc]) -> Cluster:
    """The namespace today: Secret postgres-secret (username, password), service
    postgres-primary in front of the StatefulSet's pod."""
    return Cluster(
        server=server,
        database=database,
        root=root,
        secrets={STATEFULSET_SECRET: {"username": server.user, "password": server.password or ""}},
        services=frozenset({STATEFULSET_SERVICE}),
        claims=claims_of(docs),
    )


def cnpg_cluster(server: Server, database: str, root: Path, docs: list[Doc]) -> Cluster:
    """A CloudNativePG cluster: the operator's Secret <cluster>-app, with its keys
    (username, password, host, port, dbname, and uri, which holds the password)."""
    password = server.password or ""
    app = {
        "username": server.user,
        "password": password,
        "host": server.host,
        "port": str(server.port),
        "dbname": database,
        "uri": f"postgresql://{server.user}:{password}@{server.host}:{server.port}/{database}",
    }
    return Cluster(
        server=server,
        database=database,
        root=root,
        secrets={CNPG_SECRET: app},
        services=frozenset({CNPG_SERVICE}),
        claims=claims_of(docs),
    )


# --- the pod ------------------------------------------------------------------------

_REFERENCE = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")


def expand(value: str, env: dict[str, str]) -> str:
    """Kubernetes' ``$(VAR)`` expansion: known variables only, ``$$`` is a ``$``."""

    def replace(match: re.Match[str]) -> str:
        if match[0] == "$$":
            return "$"
        return env.get(match[1], match[0])

    return _REFERENCE.sub(replace, value)


@dataclass
class Pod:
    name: str
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    timeout: float
    mounts: dict[str, Path]
    secret_keys: set[tuple[str, str]]
    """(Secret, key) of every value the pod read, through a variable or a file."""
    mapped: dict[str, str]
    """Location variables whose literal value was mapped to the test server."""

    def start(self) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.argv,
            env=self.env,
            cwd=self.cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait(self, process: subprocess.Popen[str]) -> Ran:
        try:
            stdout, stderr = process.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
            pytest.fail(f"{self.name} ran over {self.timeout}s:\n{stdout}{stderr}")
        return Ran(process.returncode, stdout, stderr)

    def run(self) -> Ran:
        return self.wait(self.start())


def workload(docs: list[Doc], name: str) -> Doc:
    """The Job spec of Job `name`, or of CronJob `name`'s job template (a copy)."""
    specs = dict(job_specs(docs))
    assert name in specs, f"no Job or CronJob {name} (found {sorted(specs)})"
    return copy.deepcopy(specs[name])


def only_container(spec: Doc) -> Doc:
    pod = spec["template"]["spec"]
    assert not pod.get("initContainers"), "init containers are not run by this test"
    assert len(pod["containers"]) == 1, "expected one container"
    return pod["containers"][0]


def make_pod(cluster: Cluster, name: str, spec: Doc) -> Pod:
    """Lay out the pod of Job spec `spec` under the cluster's folder, ready to run."""
    folder = cluster.new_pod_folder()
    pod_spec = spec["template"]["spec"]
    container = only_container(spec)
    the_image = image()
    secret_keys: set[tuple[str, str]] = set()

    # Volumes, where they are mounted.
    volumes = {volume["name"]: volume for volume in pod_spec.get("volumes", [])}
    mounts: dict[str, Path] = {}
    for mount in container.get("volumeMounts", []):
        volume = volumes.get(mount["name"])
        if volume is None:
            raise ContractError(f"{name}: mount of a volume that is not declared: {mount}")
        if "persistentVolumeClaim" in volume:
            place = cluster.claim(volume["persistentVolumeClaim"]["claimName"])
        else:
            place = folder / "volumes" / mount["name"]
            place.mkdir(parents=True, exist_ok=True)
            for key in ("secret", "configMap"):
                if key in volume:
                    _project(cluster, volume[key], key, place, secret_keys)
            if not {"emptyDir", "secret", "configMap"} & volume.keys():
                raise ContractError(f"{name}: volume kind not handled here: {volume}")
        mounts[mount["mountPath"].rstrip("/")] = place / mount.get("subPath", "")
    paths = {**the_image.files, **mounts}

    def rewrite(value: str) -> str:
        """A path inside the container, as it is here (longest match wins)."""
        prefix, separator, rest = value.partition("=")
        if separator and rest.startswith("/") and not prefix.startswith("/"):
            return f"{prefix}={rewrite(rest)}"
        for inside in sorted(paths, key=len, reverse=True):
            if value == inside or value.startswith(inside + "/"):
                return str(paths[inside]) + value[len(inside) :]
        return value

    # The environment: the image's, then the container's, in order.
    env: dict[str, str] = {}
    for key, value in the_image.env.items():
        if key == "PATH":
            value = value.replace("${PATH}", os.environ["PATH"])
            env[key] = os.pathsep.join(rewrite(part) for part in value.split(":"))
        else:
            env[key] = rewrite(value)
    if container.get("envFrom"):
        raise ContractError(f"{name}: envFrom is not handled here")
    defined: dict[str, str] = {}  # as the container sees them, for $(VAR)
    literal: set[str] = set()
    for item in container.get("env", []):
        variable = item["name"]
        source = item.get("valueFrom")
        if source is None:
            value = expand(str(item.get("value", "")), defined)
            literal.add(variable)
        elif "secretKeyRef" in source:
            ref = source["secretKeyRef"]
            value = cluster.secret(ref["name"], ref["key"], secret_keys)
            literal.discard(variable)
        elif "configMapKeyRef" in source:
            ref = source["configMapKeyRef"]
            value = cluster.config_map(ref["name"], ref["key"])
            literal.discard(variable)
        else:
            raise ContractError(f"{name}: {variable} comes from {source}, not handled here")
        defined[variable] = value
        # A literal may name a path in the image or a mount; a Secret's value is data.
        env[variable] = rewrite(value) if variable in literal else value

    # Where the database is: the names the cluster resolves, mapped to the test server.
    mapped: dict[str, str] = {}
    missing = [variable for variable in (*LOCATION_VARIABLES, "PGUSER") if not env.get(variable)]
    if missing:
        raise ContractError(f"{name}: {missing} not set: the pod would not find its database")
    targets = {
        "PGHOST": (cluster.services, cluster.server.host),
        "PGPORT": (frozenset({POSTGRES_PORT}), str(cluster.server.port)),
        "PGDATABASE": (cluster.databases, cluster.database),
    }
    for variable in [variable for variable in LOCATION_VARIABLES if variable in literal]:
        known, target = targets[variable]
        if env[variable] not in known:
            raise ContractError(
                f"{name}: {variable} is {env[variable]!r}; in the cluster only {sorted(known)} "
                "lead to PostgreSQL"
            )
        mapped[variable] = env[variable]
        env[variable] = target

    # The command: ENTRYPOINT/CMD unless the container replaces them.
    if "command" in container:
        argv = [*container["command"], *container.get("args", [])]
    else:
        argv = [*the_image.entrypoint, *container.get("args", the_image.cmd)]
    argv = [rewrite(expand(str(arg), defined)) for arg in argv]
    if not argv or argv[0] != "gxschema":
        raise ContractError(f"{name}: runs {argv[:1]}, not the image's `gxschema`")
    argv = [sys.executable, "-m", "gxschema", *argv[1:]]

    # Nothing may still point into the image or a mount the test did not lay out.
    here = (cluster.root, ROOT, Path(sys.prefix))
    written = (literal | set(the_image.env)) - {"PATH", *mapped}
    for text_value in [*argv[3:], *(env[key] for key in written if key in env)]:
        if text_value.startswith("/") and not any(
            Path(text_value).is_relative_to(place) for place in here
        ):
            raise ContractError(f"{name}: {text_value!r} is a path the test does not map")

    cwd = folder / "workdir"  # the image's WORKDIR holds nothing the command needs
    cwd.mkdir()
    deadline = spec.get("activeDeadlineSeconds", RUN_TIMEOUT)
    return Pod(name, argv, env, cwd, min(deadline, RUN_TIMEOUT), mounts, secret_keys, mapped)


def _project(
    cluster: Cluster, source: Doc, kind: str, place: Path, read: set[tuple[str, str]]
) -> None:
    """The files of a Secret or ConfigMap volume, with their modes."""
    name = source["secretName"] if kind == "secret" else source["name"]
    available = (cluster.secrets if kind == "secret" else cluster.config_maps).get(name)
    if available is None:
        raise ContractError(f"{kind} {name} does not exist (a volume of the pod needs it)")
    items = source.get("items") or [{"key": key, "path": key} for key in available]
    for item in items:
        if kind == "secret":
            value = cluster.secret(name, item["key"], read)
        else:
            value = cluster.config_map(name, item["key"])
        path = place / item["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(value)
        path.chmod(item.get("mode", source.get("defaultMode", 0o644)))


# --- reading the database ------------------------------------------------------------


def scalar(engine: Engine, sql: str, **parameters: Any) -> Any:
    with engine.connect() as connection:
        return connection.execute(text(sql), parameters).scalar()


def rows(engine: Engine, sql: str, **parameters: Any) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(text(sql), parameters)]


@dataclass
class Snapshot:
    tables: dict[str, tuple[int, str]]
    """Each table's row count and the md5 of its rows."""
    schema: catalog.Catalog


def fingerprint(engine: Engine, *, without: frozenset[str] = frozenset()) -> Snapshot:
    """Every table's row count and a hash of its content, and the schema's catalog."""
    with engine.connect() as connection:
        tables = connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        ).scalars()
        content = {
            table: tuple(
                connection.execute(
                    text(
                        "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text),"
                        f" '')) FROM \"{table}\" AS t"
                    )
                ).one()
            )
            for table in list(tables)
            if table not in without
        }
        schema = catalog.from_database(connection)
    return Snapshot(content, schema)


def assert_same(before: Snapshot, after: Snapshot) -> None:
    assert after.tables == before.tables
    differences = catalog.diff(before.schema, after.schema)
    assert differences == [], "\n".join(str(d) for d in differences)


def count(engine: Engine, table: str) -> int:
    return int(scalar(engine, f'SELECT count(*) FROM "{table}"'))


@functools.cache
def head() -> str:
    revision = migrator.scripts().get_current_head()
    assert revision
    return revision


def assert_at_head_and_identical(engine: Engine) -> None:
    assert scalar(engine, "SELECT version_num FROM alembic_version") == head()
    with engine.connect() as connection:
        differences = catalog.diff(catalog.from_models(), catalog.from_database(connection))
    assert differences == [], "\n".join(str(d) for d in differences)


def dumps_in(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.dump"))


def assert_checksummed(dump: Path) -> str:
    """The dump's .sha256 (sha256sum format) matches the file."""
    digest = hashlib.sha256(dump.read_bytes()).hexdigest()
    sidecar = dump.with_name(dump.name + ".sha256")
    assert sidecar.read_text().split() == [digest, dump.name]
    return digest


def expect_ok(ran: Ran, what: str) -> None:
    assert ran.code == 0, f"{what} exited {ran.code}:\n{ran.output}"


def assert_statefulset_contract(pod: Pod) -> None:
    """User and password from postgres-secret's keys, the password as a mounted file."""
    assert pod.secret_keys == {(STATEFULSET_SECRET, "username"), (STATEFULSET_SECRET, "password")}
    assert pod.mapped == {"PGHOST": STATEFULSET_SERVICE, "PGPORT": "5432", "PGDATABASE": DATABASE}
    assert_password_is_a_file(pod)


def assert_password_is_a_file(pod: Pod) -> None:
    assert "PGPASSWORD" not in pod.env and "DATABASE_URL" not in pod.env
    password_file = Path(pod.env["PGPASSWORD_FILE"])
    assert any(password_file.parent == place for place in pod.mounts.values())


# --- the migration Job ---------------------------------------------------------------


@pytest.mark.parametrize("overlay", STATEFULSET_OVERLAYS)
def test_migration_job_brings_an_empty_database_to_head_seeded_for_its_environment(
    overlay: str, pg_server: Server, empty_database: str, engine_for: Any, tmp_path: Path
) -> None:
    docs = render(f"overlays/{overlay}")
    cluster = statefulset_cluster(pg_server, empty_database, tmp_path, docs)
    spec = workload(docs, "gxschema-migrate")
    pod = make_pod(cluster, "gxschema-migrate", spec)
    assert_statefulset_contract(pod)
    assert pod.env["GXSCHEMA_SEEDS_DIR"] == str(ROOT / "seeds")  # the image's /app/seeds

    first = pod.run()
    expect_ok(first, f"{overlay} migration")
    engine = engine_for(empty_database)
    assert_at_head_and_identical(engine)
    assert count(engine, "Country") == COUNTRIES
    demo = {table: count(engine, table) for table in DEMO_TABLES}
    if ENVIRONMENTS[overlay] == "devnet":
        assert all(demo.values()), demo
    else:
        assert not any(demo.values()), f"{overlay} got demo rows: {demo}"
    runs = rows(engine, 'SELECT direction, status, "toRevision" FROM "SchemaMigrationRun"')
    assert runs == [{"direction": "upgrade", "status": "succeeded", "toRevision": head()}]

    backups = cluster.root / "claims" / BACKUP_CLAIM
    if ENVIRONMENTS[overlay] == "mainnet":
        # Backed up before migrating: a dump of the (then empty) database, checksummed.
        assert pod.mounts["/backups"] == backups
        dumps = dumps_in(backups)
        assert len(dumps) == 1, f"no pre-migration dump in the backup volume:\n{first.output}"
        dump = dumps[0]
        assert dump.name.startswith(f"{empty_database}-")
        assert_checksummed(dump)
    else:
        assert "/backups" not in pod.mounts and not backups.exists()

    # The same Job again (a re-sync, a retry): exit 0, nothing changes.
    before = fingerprint(engine, without=frozenset({"BackupRecord"}))
    dumps_before = set(dumps_in(backups))
    second = make_pod(cluster, "gxschema-migrate", workload(docs, "gxschema-migrate")).run()
    expect_ok(second, f"{overlay} migration, second run")
    assert "already at" in second.output
    assert count(engine, "SchemaMigrationRun") == 1
    assert_same(before, fingerprint(engine, without=frozenset({"BackupRecord"})))
    # Nothing was pending, so no dump either (--backup-first backs up only before a
    # migration that changes something): a re-sync of a large database costs nothing.
    assert set(dumps_in(backups)) == dumps_before
    assert count(engine, "BackupRecord") == 0
    if ENVIRONMENTS[overlay] == "mainnet":
        assert "no backup: no revision pending" in second.output


@pytest.mark.parametrize("overlay", ["mainnet", "devnet"])
def test_two_migration_jobs_started_at_once_apply_the_schema_once(
    overlay: str, pg_server: Server, empty_database: str, engine_for: Any, tmp_path: Path
) -> None:
    docs = render(f"overlays/{overlay}")
    cluster = statefulset_cluster(pg_server, empty_database, tmp_path, docs)
    pods = [make_pod(cluster, "gxschema-migrate", workload(docs, "gxschema-migrate")) for _ in "ab"]
    processes = [pod.start() for pod in pods]
    results = [pod.wait(process) for pod, process in zip(pods, processes, strict=True)]
    for ran in results:
        expect_ok(ran, f"{overlay} migration started with another")
    engine = engine_for(empty_database)
    assert_at_head_and_identical(engine)
    runs = rows(engine, 'SELECT direction, status FROM "SchemaMigrationRun"')
    assert runs == [{"direction": "upgrade", "status": "succeeded"}]
    # One migrated from base; the other waited for the lock and found nothing to do.
    assert sorted("migrated: base ->" in ran.output for ran in results) == [False, True]
    assert sum("already at" in ran.output for ran in results) == 1
    assert count(engine, "Country") == COUNTRIES
    if ENVIRONMENTS[overlay] == "mainnet":
        # Each dumps first if it found revisions pending when it looked; at least the
        # one that migrated did.
        dumps = dumps_in(cluster.root / "claims" / BACKUP_CLAIM)
        assert 1 <= len(dumps) <= 2
        for dump in dumps:
            assert_checksummed(dump)


# --- backups ---------------------------------------------------------------------------


def _with_keep(spec: Doc, keep: int) -> Doc:
    """The rendered args, `--keep 30` lowered to `keep` (so pruning shows in 3 runs)."""
    args = only_container(spec)["args"]
    position = args.index("--keep")
    assert args[position + 1] == "30"
    args[position + 1] = str(keep)
    return spec


@pytest.mark.parametrize("overlay", STATEFULSET_OVERLAYS)
def test_backup_cronjob_dumps_checksums_records_and_prunes_to_keep(
    overlay: str, pg_server: Server, head_database: str, engine_for: Any, tmp_path: Path
) -> None:
    docs = render(f"overlays/{overlay}")
    cluster = statefulset_cluster(pg_server, head_database, tmp_path, docs)
    engine = engine_for(head_database)
    backups = cluster.root / "claims" / BACKUP_CLAIM
    made: list[Path] = []
    for run in range(3):
        pod = make_pod(cluster, "gxschema-backup", _with_keep(workload(docs, "gxschema-backup"), 2))
        assert_statefulset_contract(pod)
        assert pod.mounts["/backups"] == backups
        before = {path.name for path in dumps_in(backups)}
        expect_ok(pod.run(), f"{overlay} backup {run + 1}")
        [new] = [path for path in dumps_in(backups) if path.name not in before]
        made.append(new)
        digest = assert_checksummed(new)
        record = rows(
            engine,
            'SELECT kind, status, checksum, "sizeBytes", "schemaRevision", "finishedAt" '
            'FROM "BackupRecord" WHERE location = :location',
            location=str(new),
        )
        assert len(record) == 1, record
        assert record[0]["status"] == "succeeded" and record[0]["kind"] == "scheduled"
        assert record[0]["checksum"] == digest
        assert record[0]["sizeBytes"] == new.stat().st_size
        assert record[0]["schemaRevision"] == head()
        assert record[0]["finishedAt"] is not None
    assert dumps_in(backups) == sorted(made[1:])
    assert sorted(path.name for path in backups.iterdir()) == sorted(
        name for path in made[1:] for name in (path.name, f"{path.name}.sha256")
    )
    statuses = {
        row["location"]: row["status"]
        for row in rows(engine, 'SELECT location, status FROM "BackupRecord"')
    }
    assert statuses == {
        str(made[0]): "pruned",
        str(made[1]): "succeeded",
        str(made[2]): "succeeded",
    }


@pytest.mark.parametrize("overlay", ["mainnet", "testnet"])
def test_weekly_verify_cronjob_restores_the_new_dump_and_sets_verified_at(
    overlay: str, pg_server: Server, empty_database: str, engine_for: Any, tmp_path: Path
) -> None:
    docs = render(f"overlays/{overlay}")
    cluster = statefulset_cluster(pg_server, empty_database, tmp_path, docs)
    migration = make_pod(cluster, "gxschema-migrate", workload(docs, "gxschema-migrate"))
    expect_ok(migration.run(), f"{overlay} migration")
    engine = engine_for(empty_database)

    pod = make_pod(cluster, "gxschema-backup-verify", workload(docs, "gxschema-backup-verify"))
    assert_statefulset_contract(pod)
    ran = pod.run()
    expect_ok(ran, f"{overlay} weekly verify")
    verified = rows(
        engine,
        'SELECT location, status, "verifiedAt" FROM "BackupRecord" WHERE kind = \'scheduled\'',
    )
    assert len(verified) == 1 and verified[0]["status"] == "succeeded"
    assert verified[0]["verifiedAt"] is not None, ran.output
    assert_checksummed(Path(verified[0]["location"]))
    # The scratch database it restored into is gone again.
    scratch = re.findall(r"dropped the scratch database (\S+)", ran.output)
    assert len(scratch) == 1, ran.output
    with pg_server.admin() as admin:
        left = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", scratch).fetchall()
    assert left == []


def test_restore_job_restores_a_backup_into_a_new_database(
    pg_server: Server, head_database: str, engine_for: Any, tmp_path: Path
) -> None:
    docs = render("overlays/testnet")
    cluster = statefulset_cluster(pg_server, head_database, tmp_path, docs)
    engine = engine_for(head_database)
    with engine.begin() as connection:
        connection.execute(
            text("""INSERT INTO "Country" ("countryCode", "countryName") VALUES ('ZZ', 'Test')""")
        )
    backup = make_pod(cluster, "gxschema-backup", workload(docs, "gxschema-backup"))
    expect_ok(backup.run(), "backup")
    [dump] = dumps_in(cluster.root / "claims" / BACKUP_CLAIM)

    # What the operator does (docs/kubernetes.md): a ConfigMap naming the dump and a
    # database that does not exist yet; the Job resumed.
    target = f"gxtest_restored_{uuid.uuid4().hex[:12]}"
    cluster.config_maps["gxschema-restore"] = {"file": dump.name, "target-database": target}
    spec = workload(docs, "gxschema-restore")
    assert spec["suspend"] is True
    pod = make_pod(cluster, "gxschema-restore", spec)
    assert_statefulset_contract(pod)
    assert pod.argv[-4:] == ["--file", dump.name, "--target-database", target]
    try:
        expect_ok(pod.run(), "restore")
        # Equal but for BackupRecord, whose row was still `running` when pg_dump ran.
        without = frozenset({"BackupRecord"})
        restored = fingerprint(engine_for(target), without=without)
        assert_same(fingerprint(engine, without=without), restored)
        assert restored.tables["Country"][0] == 1
    finally:
        pg_server.drop_database(target)


# --- CloudNativePG --------------------------------------------------------------------


def test_cloudnativepg_jobs_read_the_cluster_app_secret_and_reach_head(
    pg_server: Server, empty_database: str, engine_for: Any, tmp_path: Path
) -> None:
    docs = render("overlays/mainnet-cnpg")
    cluster = cnpg_cluster(pg_server, empty_database, tmp_path, docs)
    engine = engine_for(empty_database)
    for name in ("gxschema-migrate", "gxschema-backup"):
        pod = make_pod(cluster, name, workload(docs, name))
        # User, database and password from the operator's Secret; the host and port
        # written in the manifest are the Secret's `host`/`port` (the rw service).
        assert pod.secret_keys == {
            (CNPG_SECRET, "username"),
            (CNPG_SECRET, "password"),
            (CNPG_SECRET, "dbname"),
        }
        assert pod.mapped == {"PGHOST": CNPG_SERVICE, "PGPORT": "5432"}
        assert pod.env["PGDATABASE"] == empty_database
        assert_password_is_a_file(pod)
        expect_ok(pod.run(), f"CloudNativePG {name}")
    assert_at_head_and_identical(engine)
    assert count(engine, "Country") == COUNTRIES
    assert not any(count(engine, table) for table in DEMO_TABLES)
    dumps = dumps_in(cluster.root / "claims" / BACKUP_CLAIM)
    assert len(dumps) == 2  # the pre-migration one and the scheduled one
    statuses = rows(engine, 'SELECT kind, status FROM "BackupRecord"')
    assert statuses == [{"kind": "scheduled", "status": "succeeded"}]


# --- the mapping fails when the manifest breaks the contract ---------------------------


def test_the_mapping_refuses_a_manifest_that_breaks_the_contract(
    pg_server: Server, tmp_path: Path
) -> None:
    docs = render("overlays/testnet")
    cluster = statefulset_cluster(pg_server, "unused", tmp_path, docs)

    def broken(change: Callable[[Doc], None]) -> Doc:
        spec = workload(docs, "gxschema-migrate")
        change(spec)
        return spec

    def env(spec: Doc) -> dict[str, Doc]:
        return {item["name"]: item for item in only_container(spec)["env"]}

    def rename_key(spec: Doc) -> None:
        env(spec)["PGUSER"]["valueFrom"]["secretKeyRef"]["key"] = "user"

    def other_secret(spec: Doc) -> None:
        for volume in spec["template"]["spec"]["volumes"]:
            if "secret" in volume:
                volume["secret"]["secretName"] = "db-credentials"

    def other_host(spec: Doc) -> None:
        env(spec)["PGHOST"]["value"] = "postgres.example.com"

    def no_database(spec: Doc) -> None:
        only_container(spec)["env"].remove(env(spec)["PGDATABASE"])

    def unmounted_password(spec: Doc) -> None:
        env(spec)["PGPASSWORD_FILE"]["value"] = "/etc/gx/password"

    for change in (rename_key, other_secret, other_host, no_database, unmounted_password):
        with pytest.raises(ContractError):
            make_pod(cluster, "gxschema-migrate", broken(change))
    # And the unchanged manifest passes.
    assert_statefulset_contract(make_pod(cluster, "gxschema-migrate", broken(lambda _: None)))


# --- exit codes against the Jobs' podFailurePolicy ----------------------------------------

# A port on the test server's host where nothing listens (tcpmux, never a PostgreSQL).
CLOSED_PORT = "1"


def pod_failure_action(spec: Doc, exit_code: int, container: str = "gxschema") -> str:
    """What the Job controller does with a pod that failed with `exit_code`.

    Kubernetes' rules: the first rule of ``podFailurePolicy`` whose ``onExitCodes``
    matches decides (FailJob, Ignore, Count); no match means Count, a failure counted
    against ``backoffLimit`` and retried while the count stays within it.
    """
    for rule in spec.get("podFailurePolicy", {}).get("rules", []):
        codes = rule.get("onExitCodes")
        if codes is None or codes.get("containerName", container) != container:
            continue
        listed = exit_code in codes["values"]
        if listed == (codes["operator"] == "In"):
            return str(rule["action"])
    return "Count"


def _with_wait(pod: Pod, seconds: str) -> Pod:
    """The pod's own command, with its wait for the database shortened to `seconds`."""
    for option in ("--wait-timeout", "--wait"):
        if option in pod.argv:
            pod.argv[pod.argv.index(option) + 1] = seconds
            return pod
    pod.argv += ["--wait", seconds]
    return pod


@pytest.mark.parametrize("name", ["gxschema-migrate", "gxschema-backup", "gxschema-backup-verify"])
def test_an_unreachable_database_is_retried_and_bad_configuration_is_not(
    name: str, pg_server: Server, empty_database: str, engine_for: Any, tmp_path: Path
) -> None:
    docs = render("overlays/mainnet")
    cluster = statefulset_cluster(pg_server, empty_database, tmp_path, docs)
    spec = workload(docs, name)

    # The database does not answer (restarting, failing over): a retryable failure.
    down = _with_wait(make_pod(cluster, name, workload(docs, name)), "2")
    down.env["PGPORT"] = CLOSED_PORT
    ran = down.run()
    assert ran.code == 1, ran.output
    assert "nothing accepts connections" in ran.stderr and "gave up after 2s" in ran.stderr
    assert pod_failure_action(spec, ran.code) == "Count", "the Job must retry it"
    assert spec["backoffLimit"] >= 1, "a counted failure is retried only under backoffLimit"

    # The database it names does not exist: configuration, which the Job fails at once.
    wrong = _with_wait(make_pod(cluster, name, workload(docs, name)), "2")
    wrong.env["PGDATABASE"] = f"gxtest_missing_{uuid.uuid4().hex[:8]}"
    ran = wrong.run()
    assert ran.code == 2, ran.output
    assert "does not exist" in ran.stderr
    assert pod_failure_action(spec, ran.code) == "FailJob", "retrying cannot fix it"

    # Neither attempt wrote anything.
    with engine_for(empty_database).connect() as connection:
        tables = connection.execute(
            text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        ).scalar()
    assert tables == 0


def test_the_failure_policy_reading_follows_kubernetes() -> None:
    spec = workload(render("overlays/testnet"), "gxschema-migrate")
    assert pod_failure_action(spec, 2) == "FailJob"
    assert pod_failure_action(spec, 1) == "Count"
    assert pod_failure_action(spec, 2, container="sidecar") == "Count"
    spec["podFailurePolicy"]["rules"][0]["onExitCodes"] = {"operator": "NotIn", "values": [0, 1]}
    assert pod_failure_action(spec, 1) == "Count"
    assert pod_failure_action(spec, 137) == "FailJob"
