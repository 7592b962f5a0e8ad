"""The checkout as a whole: lint, the wheel, and the servers the tests run on."""
