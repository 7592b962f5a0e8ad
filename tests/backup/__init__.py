"""gxschema.backup: dump, check, record, prune, restore."""
