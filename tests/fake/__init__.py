"""gxschema.fake: generated data, in one process or many, and its benchmark scripts."""
