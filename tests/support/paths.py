"""Where things are: the checkout's root and the spec files the tests compare against."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
# The spec (schema.json), the v2.0 baseline and the Prisma-made SQL: read by tests, by
# `gxschema` commands the tests run, and named in the docs, so they stay at this path.
FIXTURES = TESTS / "fixtures"
