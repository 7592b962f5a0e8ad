"""The Prisma side of the schema: the `schema.prisma` the TypeScript services generate
their client from, exported from the models, and checked against them.

`export` renders the file from the SQLAlchemy metadata (pure Python, no Node).
`names` holds what Prisma knows and the database does not: its default constraint
names and the relation fields' names. `node` runs Prisma's own parser and schema
engine from a pinned Node project (`tests/prisma/`), and `dmmf` compares two data
models as Prisma's parser sees them; only `gxschema prisma check` needs Node.
"""
