"""Connection parameters for libpq read straight from the environment, for fast paths.

`gxschema.settings` is the one description of where the database is, but it is built on
pydantic-settings and SQLAlchemy's `URL`, which cost a third of a second to import. A
path that only asks one question and stops (the no-op seed) cannot afford that, so this
module gives the same target as `DatabaseSettings.url()` in libpq's own terms, from the
plain environment, importing nothing heavy.

It answers only when the answer is certainly the same as the settings'; in every other
case it returns None and the caller takes the full path through the settings (which
also explains any problem). The cases it takes:

- no ``DATABASE_URL``: libpq reads ``PGHOST``, ``PGPORT``, ``PGUSER``, ``PGPASSWORD``,
  ``PGDATABASE`` and ``PGSSLMODE`` itself, exactly as the settings pass them on;
- ``DATABASE_URL`` alone (none of those variables set): the URL goes to libpq as it is,
  with a ``postgresql+psycopg://`` scheme written as ``postgresql://``.

In both, a password file (``PGPASSWORD_FILE`` / ``GXSCHEMA_PASSWORD_FILE``) wins over
the rest, as in the settings, and ``connect_timeout`` and ``application_name`` get the
settings' defaults unless ``PGCONNECT_TIMEOUT`` / ``PGAPPNAME`` say otherwise. Nothing
configured (the embedded database), a blank variable, a URL holding more than one ``@``
or of another scheme: None.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing's, without importing typing on the no-op seed's path
if TYPE_CHECKING:
    from collections.abc import Mapping

_PARTS = ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSSLMODE")
_PASSWORD_FILES = ("PGPASSWORD_FILE", "GXSCHEMA_PASSWORD_FILE")
_SCHEMES = {
    "postgres": "postgresql",
    "postgresql": "postgresql",
    "postgresql+psycopg": "postgresql",
    "postgresql+psycopg2": "postgresql",
}
_DEFAULT_CONNECT_TIMEOUT = "10"
_DEFAULT_APPLICATION_NAME = "gxschema"


class LibpqTarget:
    """What to hand libpq (or `psycopg.connect`): a conninfo (or URL) and keyword parameters.

    A plain class, not a dataclass: ``dataclasses`` (with ``inspect``) costs the no-op
    seed, which imports this before anything else, a fifth of its start-up.
    """

    __slots__ = ("conninfo", "parameters")

    def __init__(self, conninfo: str, parameters: dict[str, str] | None = None) -> None:
        self.conninfo = conninfo
        self.parameters = {} if parameters is None else parameters

    def __repr__(self) -> str:  # the parameters may hold the password
        return f"LibpqTarget(conninfo=<{len(self.conninfo)} characters>)"


def target_from_environment(environ: Mapping[str, str] | None = None) -> LibpqTarget | None:
    """The database the settings would name, in libpq's terms; None when in any doubt."""
    env = os.environ if environ is None else environ
    if any(name in env and not env[name].strip() for name in (*_PARTS, "DATABASE_URL")):
        return None  # the settings take a blank variable as unset; libpq may not
    if "PGPORT" in env and not env["PGPORT"].strip().isdigit():
        return None  # the settings refuse it in a sentence of their own
    parameters: dict[str, str] = {}
    password_file = next((env[name] for name in _PASSWORD_FILES if env.get(name)), None)
    if password_file is not None:
        try:
            with open(password_file, encoding="utf-8") as handle:
                parameters["password"] = handle.read().rstrip("\r\n")
        except OSError:
            return None  # the settings say what is wrong with the file
    url = env.get("DATABASE_URL")
    if url is None:
        if not any(env.get(name) for name in ("PGHOST", "PGDATABASE")) and not password_file:
            return None  # nothing configured: the embedded database, found by the full path
        conninfo = ""
    else:
        if any(name in env for name in _PARTS):
            return None  # the variables override parts of the URL: the settings combine them
        conninfo = _libpq_url(url)
        if not conninfo:
            return None
    if "connect_timeout=" not in conninfo and "PGCONNECT_TIMEOUT" not in env:
        parameters["connect_timeout"] = _DEFAULT_CONNECT_TIMEOUT
    if "application_name=" not in conninfo and "PGAPPNAME" not in env:
        parameters["application_name"] = _DEFAULT_APPLICATION_NAME
    return LibpqTarget(conninfo, parameters)


def _libpq_url(url: str) -> str:
    """`url` with a scheme libpq reads, or "" when it is not one the settings accept."""
    scheme, separator, rest = url.partition("://")
    if not separator or scheme.lower() not in _SCHEMES or rest.count("@") > 1:
        return ""
    return f"{_SCHEMES[scheme.lower()]}://{rest}"
