"""Where the database is, read from the environment.

Three ways to say it, in this order of precedence for each part:

1. ``DATABASE_URL`` (``postgresql://user:pass@host:5432/db``; a password in a URL
   must be percent-encoded, as in any URL);
2. the libpq variables ``PGHOST``, ``PGPORT``, ``PGUSER``, ``PGPASSWORD``,
   ``PGDATABASE``, ``PGSSLMODE``: override the URL's parts, taken as they are;
3. ``PGPASSWORD_FILE`` (or ``GXSCHEMA_PASSWORD_FILE``): the password is read from a
   file, as Kubernetes mounts a Secret; a trailing newline is dropped.

A password given by variable or file is used as is: ``/ = @ : % # ?`` need no
encoding. The URL is built as a `sqlalchemy.URL` object and handed to the engine,
never pasted into a string. The password is a `SecretStr` and shows nowhere: not in
``repr``, not in logs, not in error messages (see `redact`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

DRIVER = "postgresql+psycopg"
_ACCEPTED_SCHEMES = {"postgres", "postgresql", "postgresql+psycopg", "postgresql+psycopg2"}


class ConfigurationError(ValueError):
    """The settings cannot describe a database connection."""


class DatabaseSettings(BaseSettings):
    """Connection settings of a gxschema database."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    database_url: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "database_url")
    )
    host: str | None = Field(default=None, validation_alias=AliasChoices("PGHOST", "host"))
    port: int | None = Field(
        default=None, ge=1, le=65535, validation_alias=AliasChoices("PGPORT", "port")
    )
    user: str | None = Field(default=None, validation_alias=AliasChoices("PGUSER", "user"))
    password: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("PGPASSWORD", "password")
    )
    password_file: Path | None = Field(
        default=None,
        validation_alias=AliasChoices("PGPASSWORD_FILE", "GXSCHEMA_PASSWORD_FILE", "password_file"),
    )
    database: str | None = Field(
        default=None, validation_alias=AliasChoices("PGDATABASE", "database")
    )
    sslmode: str | None = Field(default=None, validation_alias=AliasChoices("PGSSLMODE", "sslmode"))
    connect_timeout: int = Field(
        default=10, ge=1, validation_alias=AliasChoices("PGCONNECT_TIMEOUT", "connect_timeout")
    )
    application_name: str = Field(
        default="gxschema",
        validation_alias=AliasChoices("PGAPPNAME", "application_name"),
    )

    @field_validator("database_url", "password", "password_file", mode="before")
    @classmethod
    def _blank_secret_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("host", "user", "database", "sslmode", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("port", mode="before")
    @classmethod
    def _blank_port_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def is_configured(self) -> bool:
        """Whether any setting names a database (else `gxschema up` embeds one)."""
        return any(
            value is not None
            for value in (self.database_url, self.host, self.database, self.password_file)
        )

    def resolved_password(self) -> str | None:
        """The password: from the file, else the variable, else the URL."""
        if self.password_file is not None:
            try:
                content = self.password_file.read_text(encoding="utf-8")
            except OSError as error:
                raise ConfigurationError(
                    f"cannot read the password file {self.password_file}: {error.strerror}"
                ) from None
            return content.rstrip("\r\n")
        if self.password is not None:
            return self.password.get_secret_value()
        return None

    def url(self) -> URL:
        """The SQLAlchemy URL (driver psycopg 3); its ``str()`` hides the password."""
        base = URL.create(DRIVER)
        if self.database_url is not None:
            base = _parse_database_url(self.database_url.get_secret_value())
            if base.drivername not in _ACCEPTED_SCHEMES:
                raise ConfigurationError(
                    f"DATABASE_URL must be a PostgreSQL URL, not {base.drivername}://"
                )
            base = base.set(drivername=DRIVER)
        password = self.resolved_password()
        query = dict(base.query)
        if self.sslmode:
            query["sslmode"] = self.sslmode
        query.setdefault("connect_timeout", str(self.connect_timeout))
        query.setdefault("application_name", self.application_name)
        return base.set(
            host=self.host if self.host is not None else base.host,
            port=self.port if self.port is not None else base.port,
            username=self.user if self.user is not None else base.username,
            password=password if password is not None else base.password,
            database=self.database if self.database is not None else base.database,
            query=query,
        )

    def describe(self) -> str:
        """Where the settings point, for messages: ``user@host:port/database``."""
        url = self.url()
        socket_dir = url.query.get("host")
        host = url.host or (socket_dir if isinstance(socket_dir, str) else None) or "localhost"
        where = f"{host}:{url.port or 5432}/{url.database or url.username or ''}"
        return f"{url.username}@{where}" if url.username else where

    def secrets(self) -> list[str]:
        """Every secret string these settings hold, for `redact`."""
        found: list[str] = []
        try:
            password = self.url().password
        except ConfigurationError:
            password = None
        if password:
            found.append(str(password))
        if self.database_url is not None:
            found.extend(_password_candidates(self.database_url.get_secret_value()))
        if self.password is not None:
            found.append(self.password.get_secret_value())
        return [secret for secret in found if secret]


_NOT_A_URL = (
    "DATABASE_URL is not a valid URL (expected postgresql://user:password@host:5432/"
    "database); {why}. Percent-encode special characters of a password in a URL (@ as %40, "
    "/ as %2F, ? as %3F, # as %23, : as %3A), or give the password in PGPASSWORD_FILE or "
    "PGPASSWORD instead"
)


def _parse_database_url(raw: str) -> URL:
    """`raw` as a URL, or a `ConfigurationError` that quotes no part of it.

    SQLAlchemy takes the password up to the first ``@``, so a password holding an
    un-encoded ``@`` leaves its tail in the host or port: the connection would then go
    to a "host" that is a piece of the password, and every message naming the host
    would print it. A URL has at most one ``@`` (user info ends there), so more than
    one is refused before parsing, and a parse error (a port that is not a number:
    also what a ``:`` or ``/`` in the password of a URL without ``@`` gives) is
    reported without the parser's text, which quotes the offending piece.
    """
    if raw.count("@") > 1:
        raise ConfigurationError(_NOT_A_URL.format(why="it holds more than one '@'"))
    try:
        return make_url(raw)
    except (ArgumentError, ValueError):
        raise ConfigurationError(
            _NOT_A_URL.format(why="its host, port or database cannot be read")
        ) from None


def _password_candidates(raw: str) -> list[str]:
    """What in a URL that may not parse could be (a part of) the password, for `redact`.

    Everything between the scheme and the last ``@``, and the part of it after the
    first ``:`` (the password of ``user:password``). Over-redacting is harmless;
    printing a piece of the password is not.
    """
    _, separator, rest = raw.partition("://")
    user_info, at, _ = (rest if separator else raw).rpartition("@")
    if not at:
        return []
    _, _, password = user_info.partition(":")
    return [candidate for candidate in (user_info, password) if candidate]


def redact(message: str, secrets: list[str]) -> str:
    """`message` with every secret (raw or percent-encoded) replaced by ``***``."""
    from urllib.parse import quote, quote_plus

    for secret in sorted(set(secrets), key=len, reverse=True):
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            if form:
                message = message.replace(form, "***")
    return message


def load_settings(**overrides: Any) -> DatabaseSettings:
    """Settings from the environment, with `overrides` (by field name) on top."""
    return DatabaseSettings(**{key: value for key, value in overrides.items() if value is not None})
