"""Alembic configured for the package, whether it runs from a checkout or a wheel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.script import ScriptDirectory

from gxschema import shipped


def script_location() -> Path:
    """The migration scripts: ``gxschema/migrations`` in a wheel, ``alembic/`` in a checkout."""
    location = shipped.folder("alembic")
    if location is None or not (location / "env.py").is_file():
        raise FileNotFoundError("the gxschema migration scripts are not installed")
    return location


def make_config(**attributes: Any) -> Config:
    """A Config for the command API; `attributes` reach env.py (e.g. ``connection``)."""
    config = Config()
    config.set_main_option("script_location", str(script_location()))
    config.attributes["configure_logger"] = False
    config.attributes.update(attributes)
    return config


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(make_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None, "the migration history has no head"
    return head
