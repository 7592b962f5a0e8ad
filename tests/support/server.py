"""The PostgreSQL server the tests create their databases on: `gxschema.testing.server`."""

from gxschema.testing.server import Server

__all__ = ["Server"]
