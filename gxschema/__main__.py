"""`python -m gxschema` runs the command line."""

from gxschema.cli import main

main()
