"""One question to PostgreSQL through libpq itself, over ctypes: for the no-op seed.

Why it exists: a seed that changes nothing is one query (`gxschema.seeding.unchanged`),
and what it should cost is the interpreter's start-up, one connection and that query
(issue 17). ``import psycopg`` alone costs about 0.2 s of CPU, ten times the
interpreter's start-up, for machinery (adapters, cursors, pools, async) that one text
query does not use. libpq is the C library psycopg itself drives; calling its handful of
functions through ctypes needs nothing but the shared library, which psycopg's binary
wheel already ships.

Which libpq: the very one psycopg uses, the copy bundled in ``psycopg_binary``, found on
disk through the import system's spec of that package (which does not import it); else
the system's ``libpq.so.5`` by name, as the dynamic loader finds it. Never
``ctypes.util.find_library``: it runs ldconfig in a child process, which costs more than
importing psycopg. When neither loads, `fetch` asks through psycopg's own binding of
libpq (`psycopg.pq`), slower to import but the same calls, so callers get the same
answer either way.

What is sent is never built into a string: the connection parameters go to
``PQconnectdbParams`` as keywords and values (a password holds any character it
likes), the query's arguments to ``PQexecParams`` as parameters. Results are text,
as PostgreSQL writes them; NULL is None.
"""

from __future__ import annotations

import ctypes
import os
from functools import cache

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on this path
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    Rows = list[tuple[str | None, ...]]

_CONNECTION_OK = 0
_PGRES_TUPLES_OK = 2
_SYSTEM_LIBPQ = "libpq.so.5"


class LibpqError(Exception):
    """The connection or the query failed; the message is libpq's (or psycopg's)."""


class Libpq:
    """The few libpq functions one text query needs, typed for ctypes.

    Every pointer is declared ``c_void_p``: left to ctypes' default (a C int), a
    64-bit address would be cut in half.
    """

    def __init__(self, library: ctypes.CDLL) -> None:
        pointer, text, number = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
        texts = ctypes.POINTER(ctypes.c_char_p)
        self._connect = _declare(library.PQconnectdbParams, pointer, texts, texts, number)
        self._status = _declare(library.PQstatus, number, pointer)
        self._error = _declare(library.PQerrorMessage, text, pointer)
        self._execute = _declare(
            library.PQexecParams,
            pointer,
            pointer,  # the connection
            text,  # the command
            number,  # how many parameters
            pointer,  # their type oids: NULL, the server infers them
            texts,  # their values, as text
            pointer,  # their lengths: NULL, ignored for text
            pointer,  # their formats: NULL, all text
            number,  # the result's format: 0, text
        )
        self._result_status = _declare(library.PQresultStatus, number, pointer)
        self._result_error = _declare(library.PQresultErrorMessage, text, pointer)
        self._rows = _declare(library.PQntuples, number, pointer)
        self._columns = _declare(library.PQnfields, number, pointer)
        self._is_null = _declare(library.PQgetisnull, number, pointer, number, number)
        self._value = _declare(library.PQgetvalue, text, pointer, number, number)
        self._clear = _declare(library.PQclear, None, pointer)
        self._finish = _declare(library.PQfinish, None, pointer)

    def fetch(
        self, conninfo: str, parameters: Mapping[str, str], query: str, arguments: Sequence[str]
    ) -> Rows:
        """Connect as `conninfo` and `parameters` say, run `query` once, return its rows."""
        connection = self._connect(*_keywords(conninfo, parameters), 1)
        if not connection:
            raise LibpqError("libpq could not allocate a connection")
        try:
            if self._status(connection) != _CONNECTION_OK:
                raise LibpqError(_message(self._error(connection)))
            values = (ctypes.c_char_p * max(len(arguments), 1))(
                *(argument.encode() for argument in arguments)
            )
            result = self._execute(
                connection, query.encode(), len(arguments), None, values, None, None, 0
            )
            if not result:
                raise LibpqError(_message(self._error(connection)))
            try:
                if self._result_status(result) != _PGRES_TUPLES_OK:
                    raise LibpqError(_message(self._result_error(result)))
                columns = range(self._columns(result))
                return [
                    tuple(
                        None
                        if self._is_null(result, row, column)
                        else _text(self._value(result, row, column))
                        for column in columns
                    )
                    for row in range(self._rows(result))
                ]
            finally:
                self._clear(result)
        finally:
            self._finish(connection)


def fetch(
    conninfo: str, parameters: Mapping[str, str], query: str, arguments: Sequence[str]
) -> Rows:
    """`query`'s rows as text, through libpq over ctypes, else through psycopg's libpq.

    `conninfo` is a libpq connection string or URL (or ""), `parameters` more keywords
    that win over it, as ``psycopg.conninfo.make_conninfo`` combines them. `query` uses
    ``$1``-style placeholders. Raises `LibpqError` when the connection or query fails.
    """
    libpq = load()
    if libpq is not None:
        return libpq.fetch(conninfo, parameters, query, arguments)
    return _fetch_through_psycopg(conninfo, parameters, query, arguments)


@cache
def load() -> Libpq | None:
    """psycopg's own libpq, else the system's; None when neither loads (once a process)."""
    return _first_loadable(candidates())


def candidates() -> list[str]:
    """Where to look for libpq, in order: psycopg_binary's bundled copy, then the system's."""
    found: list[str] = []
    try:
        from importlib.util import find_spec

        spec = find_spec("psycopg_binary")  # a top-level package: found, not imported
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.origin:
        # auditwheel puts the wheel's shared libraries beside the package, in
        # "<package>.libs", as libpq-<hash>.so.<version>
        bundled = os.path.dirname(os.path.dirname(spec.origin)) + os.sep + "psycopg_binary.libs"
        try:
            names = sorted(os.listdir(bundled))
        except OSError:
            names = []
        found.extend(
            os.path.join(bundled, name)
            for name in names
            if name.startswith("libpq-") and ".so" in name
        )
    found.append(_SYSTEM_LIBPQ)
    return found


def _first_loadable(paths: Sequence[str]) -> Libpq | None:
    for path in paths:
        try:
            return Libpq(ctypes.CDLL(path))
        except (OSError, AttributeError):  # not there, or not a libpq with these functions
            continue
    return None


def _declare(function: Any, result: object, *arguments: object) -> Any:
    function.restype = result
    function.argtypes = arguments
    return function


def _keywords(
    conninfo: str, parameters: Mapping[str, str]
) -> tuple[ctypes.Array[ctypes.c_char_p], ctypes.Array[ctypes.c_char_p]]:
    """NULL-terminated keyword and value arrays for ``PQconnectdbParams``.

    `conninfo` goes first as ``dbname``, which libpq expands (``expand_dbname``) when it
    is a connection string or URL; the keywords after it win over what it holds. An
    empty one is left out, so libpq reads the PG* variables, as it does for "".
    """
    pairs = ([("dbname", conninfo)] if conninfo else []) + list(parameters.items())
    pairs.append(("client_encoding", "UTF8"))  # the text this decodes, whatever PGCLIENTENCODING
    keywords = (ctypes.c_char_p * (len(pairs) + 1))(*(k.encode() for k, _ in pairs), None)
    values = (ctypes.c_char_p * (len(pairs) + 1))(*(v.encode() for _, v in pairs), None)
    return keywords, values


def _text(value: bytes | None) -> str:
    return (value or b"").decode("utf-8")


def _message(value: bytes | None) -> str:
    return (value or b"").decode("utf-8", "replace").strip()


def _fetch_through_psycopg(
    conninfo: str, parameters: Mapping[str, str], query: str, arguments: Sequence[str]
) -> Rows:
    """The same question through psycopg's libpq binding, when ctypes found no libpq."""
    import psycopg
    from psycopg import pq
    from psycopg.conninfo import make_conninfo

    try:
        target = make_conninfo(conninfo, **parameters, client_encoding="UTF8")
        with psycopg.connect(target, autocommit=True) as connection:
            result = connection.pgconn.exec_params(
                query.encode(), [argument.encode() for argument in arguments]
            )
    except psycopg.Error as error:
        raise LibpqError(str(error)) from None
    if result.status != pq.ExecStatus.TUPLES_OK:
        raise LibpqError(_message(result.error_message))
    rows: Rows = []
    for row in range(result.ntuples):
        values = (result.get_value(row, column) for column in range(result.nfields))
        rows.append(tuple(None if value is None else _text(bytes(value)) for value in values))
    return rows
