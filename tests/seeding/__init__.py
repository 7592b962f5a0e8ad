"""gxschema.seeding: reference data and `gxschema seed`."""
