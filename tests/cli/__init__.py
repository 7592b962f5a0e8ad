"""The `gxschema` command as operators run it: exit codes, messages, refusals, kills, `up`."""
