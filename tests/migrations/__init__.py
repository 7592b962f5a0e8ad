"""The Alembic history and the migrator: revisions, autogenerate, adoption, online DDL."""
