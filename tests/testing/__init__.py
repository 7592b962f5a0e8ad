"""The pytest plugin gxschema.testing, run as a service would run it (pytester)."""
