"""What the tests share: the test database server, running the command line, fixture rows.

Test modules import from here, never from one another, so a test file can be moved,
renamed or deleted without breaking a different one.
"""
