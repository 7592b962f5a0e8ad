"""The Kubernetes manifests of k8s/jobs, checked without a cluster.

Each overlay is rendered with ``kubectl kustomize``; the rendered objects are validated
against the Kubernetes 1.33 schemas (kubernetes-validate, strict), scanned by checkov,
and read for the properties the Jobs promise: hardening, resources, deadlines,
schedules, where the credentials come from, and the network they may reach.

The checks are functions that return a list of problems, so the tests at the end can
show that each check does fail on a manifest that breaks it. Tools that are missing
make their tests skip with a message saying what to install.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..support.kustomize import (
    CNPG_CLUSTER,
    ENVIRONMENTS,
    NAMESPACES,
    OVERLAYS,
    STATEFULSET_OVERLAYS,
    Doc,
    containers,
    env_of,
    find,
    job_specs,
    mounts_of,
    render,
    render_text,
    tool_path,
)

KUBERNETES_VERSION = "1.33.0"


UID = 10001
PASSWORD_DIR = "/var/run/secrets/gx-db"
# The label of the PostgreSQL StatefulSet's selector: every replica carries it, so the
# egress the policies allow survives a failover that moves the primary to another pod.
DATABASE_POD_LABELS = {"app": "postgres"}

EXPECTED_OBJECTS = {
    ("ServiceAccount", "gxschema-migrate"),
    ("ServiceAccount", "gxschema-backup"),
    ("NetworkPolicy", "gxschema-migrate"),
    ("NetworkPolicy", "gxschema-backup"),
    ("PersistentVolumeClaim", "postgres-backup-pvc"),
    ("Job", "gxschema-migrate"),
    ("Job", "gxschema-restore"),
    ("CronJob", "gxschema-backup"),
    ("CronJob", "gxschema-backup-verify"),
}
REQUIRED_LABELS = {
    "app.kubernetes.io/name": "gxschema",
    "app.kubernetes.io/part-of": "gx-protocol",
    "app.kubernetes.io/managed-by": "kustomize",
}
COMPONENTS = {
    "gxschema-migrate": "migration",
    "gxschema-restore": "restore",
    "gxschema-backup": "backup",
    "gxschema-backup-verify": "backup-verify",
}
# A URL that carries a password: scheme://user:password@host
URL_WITH_PASSWORD = re.compile(r"[a-z][a-z0-9+.\-]*://[^\s/:@]*:[^\s/@]+@", re.IGNORECASE)


# --- quantities -------------------------------------------------------------------


def cpu(quantity: str | int) -> float:
    text = str(quantity)
    return float(text[:-1]) / 1000 if text.endswith("m") else float(text)


_BYTES = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "K": 10**3, "M": 10**6, "G": 10**9}


def size(quantity: str | int) -> int:
    match = re.fullmatch(r"(\d+)([KMGT]i?)?", str(quantity))
    assert match, f"unexpected quantity {quantity!r}"
    return int(match[1]) * _BYTES.get(match[2] or "", 1)


# --- the checks: each returns the problems it finds -------------------------------


def hardening_problems(docs: list[Doc]) -> list[str]:
    problems = []
    for name, spec in job_specs(docs):
        pod = spec["template"]["spec"]
        context = pod.get("securityContext", {})
        expected_pod = {
            "runAsNonRoot": True,
            "runAsUser": UID,
            "runAsGroup": UID,
            "fsGroup": UID,
            "seccompProfile": {"type": "RuntimeDefault"},
        }
        for key, value in expected_pod.items():
            if context.get(key) != value:
                problems.append(f"{name}: pod securityContext.{key} is {context.get(key)!r}")
        if pod.get("automountServiceAccountToken") is not False:
            problems.append(f"{name}: the pod mounts a service account token")
        if not pod.get("serviceAccountName", "").startswith("gxschema-"):
            problems.append(f"{name}: runs as service account {pod.get('serviceAccountName')!r}")
        for key in ("hostNetwork", "hostPID", "hostIPC"):
            if pod.get(key):
                problems.append(f"{name}: {key}")
        for container in containers(pod):
            sc = container.get("securityContext", {})
            expected = {
                "runAsNonRoot": True,
                "runAsUser": UID,
                "runAsGroup": UID,
                "readOnlyRootFilesystem": True,
                "allowPrivilegeEscalation": False,
                "privileged": False,
                "capabilities": {"drop": ["ALL"]},
                "seccompProfile": {"type": "RuntimeDefault"},
            }
            for key, value in expected.items():
                if sc.get(key) != value:
                    problems.append(f"{name}: container securityContext.{key} is {sc.get(key)!r}")
            tmp = mounts_of(pod, container).get("/tmp")
            if tmp is None or "emptyDir" not in tmp[1]:
                problems.append(
                    f"{name}: /tmp is not an emptyDir (the root filesystem is read-only)"
                )
    return problems


def resource_problems(docs: list[Doc]) -> list[str]:
    problems = []
    for name, spec in job_specs(docs):
        for container in containers(spec["template"]["spec"]):
            resources = container.get("resources", {})
            requests, limits = resources.get("requests", {}), resources.get("limits", {})
            for key in ("cpu", "memory", "ephemeral-storage"):
                if key not in requests or key not in limits:
                    problems.append(f"{name}: no {key} request and limit")
                    continue
                parse = cpu if key == "cpu" else size
                low, high = parse(requests[key]), parse(limits[key])
                if not 0 < low <= high:
                    problems.append(f"{name}: {key} request {requests[key]} > limit {limits[key]}")
                # Typical LimitRanges cap the limit/request ratio (maxLimitRequestRatio).
                if key != "ephemeral-storage" and high > 4 * low:
                    problems.append(f"{name}: {key} limit is over 4x its request")
            if limits and (
                cpu(limits.get("cpu", 0)) > 2 or size(limits.get("memory", 0)) > 4 * 2**30
            ):
                problems.append(f"{name}: limits above 2 CPU / 4Gi would not fit a LimitRange")
    return problems


def credential_problems(docs: list[Doc], secret: str, host: str) -> list[str]:
    """Where each pod finds its database and credentials."""
    problems = []
    for name, spec in job_specs(docs):
        pod = spec["template"]["spec"]
        for container in containers(pod):
            env = env_of(container)
            if env.get("PGHOST", {}).get("value") != host:
                problems.append(f"{name}: PGHOST is {env.get('PGHOST')!r}, not {host}")
            if env.get("PGPORT", {}).get("value") != "5432":
                problems.append(f"{name}: PGPORT is {env.get('PGPORT')!r}")
            user = env.get("PGUSER", {}).get("valueFrom", {}).get("secretKeyRef")
            if user != {"name": secret, "key": "username"}:
                problems.append(f"{name}: PGUSER comes from {user!r}")
            for forbidden in ("PGPASSWORD", "DATABASE_URL"):
                if forbidden in env:
                    problems.append(f"{name}: sets {forbidden} (the password must be a file)")
            password_file = env.get("PGPASSWORD_FILE", {}).get("value", "")
            mount = mounts_of(pod, container).get(str(Path(password_file).parent))
            if mount is None:
                problems.append(f"{name}: PGPASSWORD_FILE {password_file!r} is on no volume")
                continue
            volume_mount, volume = mount
            source = volume.get("secret", {})
            items = {item["path"]: item["key"] for item in source.get("items", [])}
            if source.get("secretName") != secret or items != {
                Path(password_file).name: "password"
            }:
                problems.append(f"{name}: the password file is not key `password` of {secret}")
            if volume_mount.get("readOnly") is not True:
                problems.append(f"{name}: the password volume is writable")
            if source.get("defaultMode", 0o644) & 0o007:
                problems.append(f"{name}: the password file is readable by others")
    return problems


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def url_password_problems(docs: list[Doc]) -> list[str]:
    problems = []
    for name, spec in job_specs(docs):
        for container in containers(spec["template"]["spec"]):
            texts = [
                *container.get("command", []),
                *container.get("args", []),
                *(str(item.get("value", "")) for item in container.get("env", [])),
            ]
            problems += [
                f"{name}: {text!r} holds a password"
                for text in texts
                if URL_WITH_PASSWORD.search(text)
            ]
    for doc in docs:
        for text in _strings(doc):
            if URL_WITH_PASSWORD.search(text):
                problems.append(f"{doc['kind']}/{doc['metadata']['name']}: a URL with a password")
    return problems


def _selects(selector: Doc, labels: dict[str, str]) -> bool:
    if any(labels.get(key) != value for key, value in selector.get("matchLabels", {}).items()):
        return False
    for expression in selector.get("matchExpressions", []):
        present = expression["key"] in labels
        value = labels.get(expression["key"])
        match expression["operator"]:
            case "In":
                ok = present and value in expression["values"]
            case "NotIn":
                ok = not present or value not in expression["values"]
            case "Exists":
                ok = present
            case "DoesNotExist":
                ok = not present
        if not ok:
            return False
    return True


def network_problems(docs: list[Doc], database_pods: dict[str, str]) -> list[str]:
    """Every gxschema pod is selected; each policy allows DNS and PostgreSQL only."""
    problems = []
    policies = [doc for doc in docs if doc["kind"] == "NetworkPolicy"]
    dns_peer = {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}
    }
    for policy in policies:
        name, spec = policy["metadata"]["name"], policy["spec"]
        if sorted(spec.get("policyTypes", [])) != ["Egress", "Ingress"]:
            problems.append(f"{name}: policyTypes {spec.get('policyTypes')}")
        if spec.get("ingress"):
            problems.append(f"{name}: allows ingress")
        ports = set()
        for rule in spec.get("egress", []):
            rule_ports = {(p.get("protocol", "TCP"), p.get("port")) for p in rule.get("ports", [])}
            if not rule_ports:
                problems.append(f"{name}: an egress rule without ports allows every port")
            peers = rule.get("to", [])
            if not peers:
                problems.append(f"{name}: an egress rule without peers allows every destination")
            if rule_ports <= {("UDP", 53), ("TCP", 53)}:
                if peers != [dns_peer]:
                    problems.append(f"{name}: DNS allowed to {peers}, not kube-system only")
            elif rule_ports == {("TCP", 5432)}:
                if peers != [{"podSelector": {"matchLabels": database_pods}}]:
                    problems.append(f"{name}: PostgreSQL allowed to {peers}, not {database_pods}")
            else:
                problems.append(f"{name}: egress to ports {sorted(rule_ports, key=str)}")
            ports |= rule_ports
        if ports != {("UDP", 53), ("TCP", 53), ("TCP", 5432)}:
            problems.append(f"{name}: egress ports {sorted(ports, key=str)}")
    for name, spec in job_specs(docs):
        labels = spec["template"]["metadata"]["labels"]
        if not any(_selects(p["spec"]["podSelector"], labels) for p in policies):
            problems.append(f"{name}: no NetworkPolicy selects its pods")
    return problems


# --- rendering and validation -----------------------------------------------------


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_renders_the_expected_objects_in_its_namespace(overlay: str) -> None:
    docs = render(f"overlays/{overlay}")
    assert {(d["kind"], d["metadata"]["name"]) for d in docs} == EXPECTED_OBJECTS
    assert {d["metadata"].get("namespace") for d in docs} == {NAMESPACES[overlay]}
    assert "set-by-overlay" not in render_text(f"overlays/{overlay}")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_rendered_objects_validate_against_kubernetes_1_33_strict(overlay: str) -> None:
    kubernetes_validate = pytest.importorskip(
        "kubernetes_validate",
        reason="kubernetes-validate is not installed (pip install kubernetes-validate)",
    )
    docs = render(f"overlays/{overlay}")
    errors = []
    for doc in docs:
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            path = ".".join(str(part) for part in error.path)
            errors.append(f"{doc['kind']}/{doc['metadata']['name']}: {path}: {error.message}")
    assert not errors, "\n".join(errors)


def test_strict_validation_rejects_an_unknown_field() -> None:
    kubernetes_validate = pytest.importorskip(
        "kubernetes_validate",
        reason="kubernetes-validate is not installed (pip install kubernetes-validate)",
    )
    job = find(render("overlays/devnet"), "Job", "gxschema-migrate")
    job["spec"]["template"]["spec"]["containers"][0]["securityContext"][
        "readOnlyRootFileSystem"
    ] = True
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(job, KUBERNETES_VERSION, strict=True)


@functools.cache
def _checkov_results() -> dict[str, Any]:
    checkov = tool_path("checkov", "GXSCHEMA_CHECKOV")
    if checkov is None:
        pytest.skip(
            "checkov is not installed (pip install checkov, in its own environment if its "
            "pins clash: the test finds it on PATH or through GXSCHEMA_CHECKOV)"
        )
    with tempfile.TemporaryDirectory() as folder:
        for overlay in OVERLAYS:
            (Path(folder) / f"{overlay}.yaml").write_text(render_text(f"overlays/{overlay}"))
        result = subprocess.run(
            [
                checkov,
                "--directory",
                folder,
                "--framework",
                "kubernetes",
                "--output",
                "json",
                "--compact",
                "--skip-download",
            ],
            capture_output=True,
            text=True,
            check=False,
            cwd=folder,
            env={**os.environ, "HOME": folder, "BC_SKIP_MAPPING": "TRUE"},
        )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(
            f"checkov printed no report (exit {result.returncode}):\n{result.stderr[-3000:]}"
        )
    reports = report if isinstance(report, list) else [report]
    kubernetes = [r for r in reports if r.get("check_type") == "kubernetes"]
    assert kubernetes, f"checkov scanned no Kubernetes manifest: {report}"
    return kubernetes[0]


def test_checkov_finds_no_failed_check() -> None:
    report = _checkov_results()
    assert report["summary"]["resource_count"] >= len(EXPECTED_OBJECTS) * len(OVERLAYS)
    assert report["summary"]["passed"] > 0
    failed = [
        f"{c['check_id']} {c['check_name']}: {c['resource']} ({c['file_path']})"
        for c in report["results"]["failed_checks"]
    ]
    assert not failed, "\n".join(failed)


def test_checkov_skips_only_annotated_checks_with_a_reason() -> None:
    report = _checkov_results()
    skipped = report["results"]["skipped_checks"]
    for check in skipped:
        reason = check["check_result"].get("suppress_comment", "")
        assert len(reason) > 20, (
            f"{check['check_id']} on {check['resource']} is skipped without a reason"
        )
    # Image digest (set at release) and PGUSER from a Secret variable, nothing else.
    assert {check["check_id"] for check in skipped} <= {"CKV_K8S_43", "CKV_K8S_35"}


# --- what every pod promises ------------------------------------------------------


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_pods_are_hardened(overlay: str) -> None:
    assert hardening_problems(render(f"overlays/{overlay}")) == []


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_containers_have_requests_and_limits(overlay: str) -> None:
    assert resource_problems(render(f"overlays/{overlay}")) == []


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_no_url_with_a_password_anywhere(overlay: str) -> None:
    assert url_password_problems(render(f"overlays/{overlay}")) == []


@pytest.mark.parametrize("overlay", STATEFULSET_OVERLAYS)
def test_credentials_come_from_postgres_secret(overlay: str) -> None:
    docs = render(f"overlays/{overlay}")
    assert credential_problems(docs, secret="postgres-secret", host="postgres-primary") == []
    for _, spec in job_specs(docs):
        env = env_of(spec["template"]["spec"]["containers"][0])
        assert env["PGDATABASE"]["value"] == "gx_protocol"
        assert env["PGPASSWORD_FILE"]["value"] == f"{PASSWORD_DIR}/password"


@pytest.mark.parametrize("overlay", STATEFULSET_OVERLAYS)
def test_network_policies_allow_only_dns_and_postgres(overlay: str) -> None:
    docs = render(f"overlays/{overlay}")
    assert network_problems(docs, DATABASE_POD_LABELS) == []
    # No policy names one pod of the StatefulSet (postgres-0): after a failover the
    # primary behind postgres-primary is another pod, which must stay reachable.
    assert "statefulset.kubernetes.io/pod-name" not in render_text(f"overlays/{overlay}")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_objects_and_pods_carry_the_labels(overlay: str) -> None:
    docs = render(f"overlays/{overlay}")
    instance = f"gxschema-{ENVIRONMENTS[overlay]}"
    for doc in docs:
        labels = doc["metadata"]["labels"]
        assert REQUIRED_LABELS.items() <= labels.items(), doc["metadata"]["name"]
        assert labels["app.kubernetes.io/instance"] == instance
        assert labels.get("app.kubernetes.io/component"), doc["metadata"]["name"]
    for name, spec in job_specs(docs):
        labels = spec["template"]["metadata"]["labels"]
        assert REQUIRED_LABELS.items() <= labels.items(), name
        assert labels["app.kubernetes.io/component"] == COMPONENTS[name]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_service_accounts_exist_and_mount_no_token(overlay: str) -> None:
    docs = render(f"overlays/{overlay}")
    accounts = {d["metadata"]["name"]: d for d in docs if d["kind"] == "ServiceAccount"}
    assert all(account["automountServiceAccountToken"] is False for account in accounts.values())
    used = {name: spec["template"]["spec"]["serviceAccountName"] for name, spec in job_specs(docs)}
    assert used == {
        "gxschema-migrate": "gxschema-migrate",
        "gxschema-restore": "gxschema-backup",
        "gxschema-backup": "gxschema-backup",
        "gxschema-backup-verify": "gxschema-backup",
    }
    assert set(used.values()) <= set(accounts)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_one_pinned_image_for_every_container(overlay: str) -> None:
    docs = render(f"overlays/{overlay}")
    images = {
        c["image"] for _, spec in job_specs(docs) for c in containers(spec["template"]["spec"])
    }
    assert len(images) == 1
    image = images.pop()
    assert re.fullmatch(r"[a-z0-9./-]+/gxschema(:[\w.-]+)?(@sha256:[0-9a-f]{64})?", image), image
    assert ":" in image.rsplit("/", 1)[-1] or "@sha256:" in image
    assert not image.endswith(":latest")


# --- the migration Job ------------------------------------------------------------


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_migration_job_deploys_for_its_environment(overlay: str) -> None:
    job = find(render(f"overlays/{overlay}"), "Job", "gxschema-migrate")
    container = job["spec"]["template"]["spec"]["containers"][0]
    args = container["args"]
    assert "command" not in container  # the image's entrypoint is `gxschema`
    assert args[:3] == ["deploy", "--env", ENVIRONMENTS[overlay]]
    assert int(args[args.index("--wait") + 1]) < job["spec"]["activeDeadlineSeconds"]
    mounts = mounts_of(job["spec"]["template"]["spec"], container)
    if ENVIRONMENTS[overlay] == "mainnet":
        assert args[3:7] == ["--backup-first", "--backup-dir", "/backups", "--wait"]
        mount, volume = mounts["/backups"]
        assert volume["persistentVolumeClaim"]["claimName"] == "postgres-backup-pvc"
        assert not mount.get("readOnly")
    else:
        assert "--backup-first" not in args and "--backup-dir" not in args
        assert "/backups" not in mounts


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_migration_job_limits_and_hooks(overlay: str) -> None:
    job = find(render(f"overlays/{overlay}"), "Job", "gxschema-migrate")
    spec = job["spec"]
    assert spec["backoffLimit"] == 1
    assert spec["ttlSecondsAfterFinished"] == 3 * 24 * 3600
    assert spec["template"]["spec"]["restartPolicy"] == "Never"
    assert {
        "action": "FailJob",
        "onExitCodes": {"containerName": "gxschema", "operator": "In", "values": [2]},
    } in spec["podFailurePolicy"]["rules"]
    annotations = job["metadata"]["annotations"]
    assert annotations["argocd.argoproj.io/hook"] == "PreSync"
    assert annotations["argocd.argoproj.io/hook-delete-policy"] == "BeforeHookCreation"
    assert annotations["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert annotations["helm.sh/hook-delete-policy"] == "before-hook-creation"
    # What the Job needs first is a hook too, of a lower weight / earlier wave.
    docs = render(f"overlays/{overlay}")
    for kind in ("ServiceAccount", "NetworkPolicy"):
        first = find(docs, kind, "gxschema-migrate")["metadata"]["annotations"]
        assert first["argocd.argoproj.io/hook"] == "PreSync"
        assert int(first["argocd.argoproj.io/sync-wave"]) < int(
            annotations["argocd.argoproj.io/sync-wave"]
        )
        assert first["helm.sh/hook"] == annotations["helm.sh/hook"]
        assert int(first["helm.sh/hook-weight"]) < int(annotations["helm.sh/hook-weight"])


def test_mainnet_gets_more_time_and_resources_than_testnet_and_devnet() -> None:
    def migration(overlay: str) -> tuple[int, float, int]:
        spec = find(render(f"overlays/{overlay}"), "Job", "gxschema-migrate")["spec"]
        limits = spec["template"]["spec"]["containers"][0]["resources"]["limits"]
        return spec["activeDeadlineSeconds"], cpu(limits["cpu"]), size(limits["memory"])

    mainnet = migration("mainnet")
    assert mainnet == (3600, 1.0, 2**30)
    for other in ("testnet", "devnet"):
        deadline, cpus, memory = migration(other)
        assert deadline == 900
        assert mainnet[0] > deadline and mainnet[1] > cpus and mainnet[2] > memory


# --- backups and restore ----------------------------------------------------------


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_backup_cronjob_runs_every_six_hours_utc(overlay: str) -> None:
    cronjob = find(render(f"overlays/{overlay}"), "CronJob", "gxschema-backup")
    spec = cronjob["spec"]
    assert spec["schedule"] == "0 0,6,12,18 * * *"
    assert spec["timeZone"] == "Etc/UTC"
    assert spec["concurrencyPolicy"] == "Forbid"
    assert 0 < spec["startingDeadlineSeconds"] <= 3600
    assert spec["successfulJobsHistoryLimit"] == 3 and spec["failedJobsHistoryLimit"] == 3
    job = spec["jobTemplate"]["spec"]
    assert job["backoffLimit"] == 2
    # A backup must end well before the next one is due.
    assert 0 < job["activeDeadlineSeconds"] < 6 * 3600
    container = job["template"]["spec"]["containers"][0]
    assert container["args"] == ["backup", "--backup-dir", "/backups", "--keep", "30"]
    mount, volume = mounts_of(job["template"]["spec"], container)["/backups"]
    assert volume["persistentVolumeClaim"]["claimName"] == "postgres-backup-pvc"
    assert not mount.get("readOnly")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_weekly_verify_runs_between_two_backups(overlay: str) -> None:
    docs = render(f"overlays/{overlay}")
    spec = find(docs, "CronJob", "gxschema-backup-verify")["spec"]
    backup = find(docs, "CronJob", "gxschema-backup")["spec"]
    minute, hour, day_of_month, month, day_of_week = spec["schedule"].split()
    assert (day_of_month, month) == ("*", "*") and day_of_week.isdigit()  # once a week
    assert spec["timeZone"] == "Etc/UTC" and spec["concurrencyPolicy"] == "Forbid"
    assert spec["startingDeadlineSeconds"] > 0
    job = spec["jobTemplate"]["spec"]
    # It starts after the previous backup has surely ended, and ends (at the latest)
    # when the next one starts: start deadline plus run deadline, for both.
    start = int(hour) * 3600 + int(minute) * 60
    previous_backup = start // (6 * 3600) * 6 * 3600
    backup_end = (
        backup["startingDeadlineSeconds"] + backup["jobTemplate"]["spec"]["activeDeadlineSeconds"]
    )
    assert previous_backup + backup_end <= start
    assert start + spec["startingDeadlineSeconds"] + job["activeDeadlineSeconds"] <= (
        previous_backup + 6 * 3600
    )
    container = job["template"]["spec"]["containers"][0]
    # --verify takes a dump of its own (recorded and pruned like the others), then
    # restores it into a scratch database: it writes to the volume.
    assert container["args"] == ["backup", "--verify", "--backup-dir", "/backups", "--keep", "30"]
    mount, volume = mounts_of(job["template"]["spec"], container)["/backups"]
    assert volume["persistentVolumeClaim"]["claimName"] == "postgres-backup-pvc"
    assert not mount.get("readOnly")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_restore_job_is_suspended_and_takes_its_parameters_from_a_configmap(overlay: str) -> None:
    job = find(render(f"overlays/{overlay}"), "Job", "gxschema-restore")
    spec = job["spec"]
    assert spec["suspend"] is True
    assert spec["backoffLimit"] == 0
    assert spec["activeDeadlineSeconds"] > 0 and spec["ttlSecondsAfterFinished"] > 0
    assert job["metadata"]["annotations"]["argocd.argoproj.io/hook"] == "Skip"
    container = spec["template"]["spec"]["containers"][0]
    assert container["args"] == [
        "restore",
        "--backup-dir",
        "/backups",
        "--file",
        "$(RESTORE_FILE)",
        "--target-database",
        "$(RESTORE_TARGET_DATABASE)",
    ]
    env = env_of(container)
    for variable, key in (("RESTORE_FILE", "file"), ("RESTORE_TARGET_DATABASE", "target-database")):
        assert env[variable]["valueFrom"]["configMapKeyRef"] == {
            "name": "gxschema-restore",
            "key": key,
        }
    mount, _ = mounts_of(spec["template"]["spec"], container)["/backups"]
    assert mount["readOnly"] is True


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_backup_volume_is_50gi_rwo_and_never_pruned(overlay: str) -> None:
    pvc = find(render(f"overlays/{overlay}"), "PersistentVolumeClaim", "postgres-backup-pvc")
    assert pvc["spec"]["accessModes"] == ["ReadWriteOnce"]
    assert pvc["spec"]["resources"]["requests"]["storage"] == "50Gi"
    annotations = pvc["metadata"]["annotations"]
    assert annotations["argocd.argoproj.io/sync-options"] == "Prune=false,Delete=false"
    assert annotations["helm.sh/resource-policy"] == "keep"
    assert not any(
        key.startswith(("helm.sh/hook", "argocd.argoproj.io/hook")) for key in annotations
    )


# --- CloudNativePG ----------------------------------------------------------------


def test_cloudnativepg_variant_uses_the_rw_service_and_app_secret() -> None:
    docs = render("overlays/mainnet-cnpg")
    secret = f"{CNPG_CLUSTER}-app"
    assert credential_problems(docs, secret=secret, host=f"{CNPG_CLUSTER}-rw") == []
    for name, spec in job_specs(docs):
        env = env_of(spec["template"]["spec"]["containers"][0])
        assert "value" not in env["PGDATABASE"], name
        assert env["PGDATABASE"]["valueFrom"]["secretKeyRef"] == {"name": secret, "key": "dbname"}
    assert network_problems(docs, {"cnpg.io/cluster": CNPG_CLUSTER}) == []
    text = render_text("overlays/mainnet-cnpg")
    assert "postgres-secret" not in text and "postgres-primary" not in text
    assert "postgres-0" not in text


def test_cloudnativepg_variant_changes_nothing_else() -> None:
    def without_database(docs: list[Doc]) -> list[Doc]:
        docs = copy.deepcopy(docs)
        for _, spec in job_specs(docs):
            pod = spec["template"]["spec"]
            pod["volumes"] = sorted(
                (v for v in pod["volumes"] if v["name"] != "db-password"), key=lambda v: v["name"]
            )
            for container in pod["containers"]:
                container["env"] = sorted(
                    (
                        e
                        for e in container["env"]
                        if e["name"] not in {"PGHOST", "PGUSER", "PGDATABASE"}
                    ),
                    key=lambda e: e["name"],
                )
        for doc in docs:
            if doc["kind"] == "NetworkPolicy":
                doc["spec"]["egress"][1]["to"] = None
        return sorted(docs, key=lambda d: (d["kind"], d["metadata"]["name"]))

    assert without_database(render("overlays/mainnet-cnpg")) == without_database(
        render("overlays/mainnet")
    )


# --- the checks themselves fail on broken manifests ------------------------------


def _migration_pod(docs: list[Doc]) -> Doc:
    return find(docs, "Job", "gxschema-migrate")["spec"]["template"]["spec"]


def test_checks_catch_broken_hardening_and_resources() -> None:
    docs = render("overlays/testnet")
    _migration_pod(docs)["containers"][0]["securityContext"]["readOnlyRootFilesystem"] = False
    _migration_pod(docs)["securityContext"]["runAsUser"] = 0
    del _migration_pod(docs)["containers"][0]["resources"]["limits"]["memory"]
    assert len(hardening_problems(docs)) == 2
    assert len(resource_problems(docs)) == 1


def test_checks_catch_a_password_in_a_url_or_variable() -> None:
    docs = render("overlays/testnet")
    env = _migration_pod(docs)["containers"][0]["env"]
    env.append(
        {
            "name": "DATABASE_URL",
            "value": "postgresql://gx:s3cret@postgres-primary:5432/gx_protocol",
        }
    )
    assert url_password_problems(docs)
    assert any(
        "DATABASE_URL" in p
        for p in credential_problems(docs, "postgres-secret", "postgres-primary")
    )
    assert not URL_WITH_PASSWORD.search("postgresql://gx@postgres-primary:5432/gx_protocol")


def test_checks_catch_wider_egress_and_unselected_pods() -> None:
    docs = render("overlays/testnet")
    database_pods = DATABASE_POD_LABELS
    policy = find(docs, "NetworkPolicy", "gxschema-backup")
    policy["spec"]["egress"].append(
        {"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}], "ports": [{"port": 443}]}
    )
    find(docs, "NetworkPolicy", "gxschema-migrate")["spec"]["podSelector"]["matchLabels"]["x"] = "y"
    problems = network_problems(docs, database_pods)
    assert any("443" in p for p in problems)
    assert any(p.startswith("gxschema-migrate: no NetworkPolicy") for p in problems)


def test_checks_catch_egress_to_one_database_pod_only() -> None:
    """The policy as it was: pod postgres-0 only, lost after a failover to postgres-1."""
    docs = render("overlays/testnet")
    policy = find(docs, "NetworkPolicy", "gxschema-migrate")
    [database_rule] = [
        r for r in policy["spec"]["egress"] if {"port": 5432, "protocol": "TCP"} in r["ports"]
    ]
    database_rule["to"] = [
        {"podSelector": {"matchLabels": {"statefulset.kubernetes.io/pod-name": "postgres-0"}}}
    ]
    assert network_problems(docs, DATABASE_POD_LABELS) == [
        f"gxschema-migrate: PostgreSQL allowed to {database_rule['to']}, not {DATABASE_POD_LABELS}"
    ]
