"""Which PostgreSQL this checkout's tests run on: the plugin's choice, with the project's variable.

`gxschema.testing.backends` chooses (a named server, Docker, the local binaries, as root
a throwaway server run as ``postgres``, the embedded PostgreSQL) and says why. The one
thing the project adds: ``GXSCHEMA_TEST_PG=host:port`` (with ``GXSCHEMA_TEST_PG_USER`` and
``GXSCHEMA_TEST_PG_PASSWORD``), which ``.ci/run`` and the dev setup export, names the server
as ``--gxschema-url`` would. Chosen once, at import, so that ``skipif`` marks can use it.
"""

from __future__ import annotations

import os
from urllib.parse import quote

from gxschema.testing.backends import URL_VARIABLE, choose, pg_bindir

PROJECT_VARIABLE = "GXSCHEMA_TEST_PG"

NO_SERVER_HELP = (
    "in this checkout: run `bash .ci/run` (installs and starts PostgreSQL 15), set"
    ' GXSCHEMA_TEST_PG=host:port, or leave out the tests that need one: -m "not db"'
    " (or GXSCHEMA_TEST_SKIP_DB=1)"
)


def _named_server() -> tuple[str | None, str]:
    """The server URL the environment names, and which variable named it."""
    if os.environ.get(URL_VARIABLE):
        return os.environ[URL_VARIABLE], URL_VARIABLE
    address = os.environ.get(PROJECT_VARIABLE)
    if not address:
        return None, URL_VARIABLE
    host, _, port = address.partition(":")
    user = quote(os.environ.get("GXSCHEMA_TEST_PG_USER", "postgres"), safe="")
    password = os.environ.get("GXSCHEMA_TEST_PG_PASSWORD")
    credentials = f"{user}:{quote(password, safe='')}" if password else user
    return f"postgresql://{credentials}@{host}:{port or 5432}/postgres", PROJECT_VARIABLE


CHOSEN = choose(*_named_server())
BACKEND = CHOSEN.name
BACKEND_DESCRIPTION = (
    CHOSEN.description if CHOSEN.available else f"{CHOSEN.description}; {NO_SERVER_HELP}"
)
PG_BINDIR = CHOSEN.bindir or pg_bindir()
DOCKER_AVAILABLE = BACKEND == "docker"
