"""`gxschema revision -m MSG`: a new revision with the next sequential id, online by default.

The history numbers its revisions 0001, 0002, ... (Alembic's default ids are random
hex); this command picks the one after the head and names the file
``NNNN_<slug>.py``. With ``--autogenerate`` (the default) Alembic compares the models
with the configured database, and `gxschema.autogen` rewrites what it finds into the
online operations (concurrent indexes, NOT VALID foreign keys, NOT NULL through a
CHECK); ``--empty`` writes the skeleton only and needs no database.

It refuses (exit 2) a history with more than one head (merge them first), and, for
autogenerate, a database that is not at head: comparing the models with an older
schema would write the pending revisions' changes a second time.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gxschema.cli.context import connect, handle_errors, settings_or_embedded
from gxschema.cli.output import Output
from gxschema.errors import ConfigError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

SLUG_LENGTH = 40
ID_WIDTH = 4


def revision_config(version_path: Path | None = None, **attributes: Any) -> Config:
    """The package's Alembic config, writing into `version_path` if given.

    Alembic only writes into a folder of ``version_locations``, so a `version_path`
    outside the script directory (a test's temporary folder) joins them; the
    revisions in it then count for the history too.
    """
    import argparse

    from gxschema.alembic_config import make_config, script_location

    config = make_config(**attributes)
    config.cmd_opts = argparse.Namespace(quiet=True, x=None)  # we report what was written
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.set_main_option("truncate_slug_length", str(SLUG_LENGTH))
    if version_path is not None:
        locations = [str(script_location() / "versions"), str(version_path)]
        config.set_main_option("path_separator", "os")
        config.set_main_option("version_locations", os.pathsep.join(locations))
    return config


def format_with_ruff(path: Path) -> bool:
    """Sort the imports, drop unused ones and format, as ``alembic.ini``'s hooks do.

    Only where ruff is installed (a development checkout); True when it ran. Its
    output is not shown: the revision is checked by ``ruff check`` in CI anyway.
    """
    import importlib.util
    import subprocess
    import sys

    if importlib.util.find_spec("ruff") is None:
        return False
    for arguments in (["check", "--fix", "--quiet", "--select", "I,F401"], ["format", "--quiet"]):
        subprocess.run(
            [sys.executable, "-m", "ruff", *arguments, str(path)],
            capture_output=True,
            check=False,
            timeout=60,
        )
    return True


def next_revision_id(scripts: ScriptDirectory) -> str:
    """The id after the single head: ``0005`` -> ``0006``; a ConfigError otherwise."""
    heads = scripts.get_heads()
    if len(heads) > 1:
        raise ConfigError(
            f"the migration history has {len(heads)} heads ({', '.join(sorted(heads))}): "
            "merge them into one line before adding a revision"
        )
    if not heads:
        return "1".zfill(ID_WIDTH)
    head = heads[0]
    if not head.isdigit():
        raise ConfigError(f"the head revision {head!r} is not a sequential number like 0005")
    return str(int(head) + 1).zfill(ID_WIDTH)


def slug(message: str) -> str:
    """``"Add wallet index!"`` -> ``add_wallet_index`` (what names the file)."""
    words = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")
    return words[:SLUG_LENGTH].rstrip("_")


def _database_at_head(head: str | None) -> tuple[Any, Any]:
    """An engine and connection on the configured database, which must be at `head`."""
    from gxschema.migrator import current_revision

    settings, _source = settings_or_embedded(allow_missing=True)
    if _source == "none":
        raise ConfigError(
            "--autogenerate compares the models with a database at head, and none is "
            "configured: set DATABASE_URL (or PGHOST/PGDATABASE), run `gxschema up`, "
            "or pass --empty for a revision without changes"
        )
    engine = connect(settings, wait_seconds=10.0)
    connection = engine.connect()
    current = current_revision(connection)
    connection.commit()
    if current != head:
        connection.close()
        engine.dispose()
        raise ConfigError(
            f"the database is at {current or 'base (empty)'}, not at head {head}: run "
            "`gxschema migrate` first, so that autogenerate sees only the models' new changes"
        )
    return engine, connection


app = typer.Typer()


@app.command()
@handle_errors
def revision(
    message: Annotated[
        str, typer.Option("-m", "--message", help="What the revision does (names the file).")
    ],
    autogenerate: Annotated[
        bool,
        typer.Option(
            "--autogenerate/--empty",
            help="Compare the models with the database (at head), or write an empty one.",
        ),
    ] = True,
    version_path: Annotated[
        Path | None,
        typer.Option(help="Folder to write the file into (default: the versions folder)."),
    ] = None,
) -> None:
    """Write a new revision NNNN_<slug>.py, numbered after the head."""
    from alembic import command
    from alembic.script import ScriptDirectory

    if not slug(message):
        raise ConfigError("the message needs at least one letter or digit (it names the file)")
    if version_path is not None and not version_path.is_dir():
        raise ConfigError(f"--version-path {version_path} is not a folder")
    config = revision_config(version_path)
    scripts = ScriptDirectory.from_config(config)
    rev_id = next_revision_id(scripts)
    head = scripts.get_current_head()
    engine = connection = None
    if autogenerate:
        engine, connection = _database_at_head(head)
        config = revision_config(version_path, connection=connection)
    try:
        written = command.revision(
            config,
            message=message,
            autogenerate=autogenerate,
            rev_id=rev_id,
            version_path=str(version_path) if version_path else None,
        )
    finally:
        if connection is not None:
            connection.close()
        if engine is not None:
            engine.dispose()
    # A new foreign key gives two revisions: NOT VALID, then VALIDATE (see autogen).
    scripts_written = [s for s in (written if isinstance(written, list) else [written]) if s]
    formatted = all(format_with_ruff(Path(script.path)) for script in scripts_written)
    revisions = [
        {
            "revision": script.revision,
            "down_revision": script.down_revision,
            "path": script.path,
        }
        for script in scripts_written
    ]
    Output.current().result(
        {**revisions[0], "revisions": revisions, "formatted": formatted},
        "\n".join(
            f"wrote revision {item['revision']} (after {item['down_revision'] or 'base'}): "
            f"{item['path']}"
            for item in revisions
        ),
    )
