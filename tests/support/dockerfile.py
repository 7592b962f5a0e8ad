"""The Dockerfile read as instructions and stages, without a Docker engine."""

from __future__ import annotations

import shlex

from .paths import ROOT

DOCKERFILE = ROOT / "Dockerfile"
Instruction = tuple[str, str]  # (INSTRUCTION, arguments)


def parse(text: str) -> list[Instruction]:
    """Instructions in order, continuation lines joined, comments dropped."""
    instructions: list[Instruction] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, arguments = line.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def stages(instructions: list[Instruction]) -> list[list[Instruction]]:
    found: list[list[Instruction]] = []
    for instruction in instructions:
        if instruction[0] == "FROM":
            found.append([])
        if found:
            found[-1].append(instruction)
    return found


def env_of(stage: list[Instruction]) -> dict[str, str]:
    env: dict[str, str] = {}
    for keyword, arguments in stage:
        if keyword == "ENV":
            for pair in shlex.split(arguments):
                key, _, value = pair.partition("=")
                env[key] = value
    return env


def labels_of(stage: list[Instruction]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for keyword, arguments in stage:
        if keyword == "LABEL":
            for pair in shlex.split(arguments):
                key, _, value = pair.partition("=")
                labels[key] = value
    return labels
