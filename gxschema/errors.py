"""The errors gxschema reports to people, each with the exit code it ends the command with.

0 success; 1 a check found a problem or an operation could not complete;
2 bad input or configuration.
"""

from __future__ import annotations


class GxSchemaError(Exception):
    """An error with a message meant for the person running the command."""

    exit_code = 1


class ConfigError(GxSchemaError):
    """Bad input or configuration: a setting, an argument, a file."""

    exit_code = 2


class CheckFailedError(GxSchemaError):
    """A check ran and found a problem (drift, pending revisions)."""

    exit_code = 1


class OperationError(GxSchemaError):
    """An operation started and could not complete (blocked, refused, failed)."""

    exit_code = 1
