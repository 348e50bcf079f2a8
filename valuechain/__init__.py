"""valuechain: Korean reviews of the AI economy -> actors, roles, eras and value-chain layers."""

__version__ = "0.1.0"
