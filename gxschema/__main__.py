"""`python -m gxschema` runs the console script (`gxschema.entry_point`)."""

from gxschema.entry_point import main

main()
