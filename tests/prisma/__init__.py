"""gxschema.prisma, proved with Prisma's own tools (the pinned Node project beside it)."""
