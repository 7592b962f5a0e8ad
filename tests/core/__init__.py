"""The package's shared building blocks: connection settings, the retry policy."""
