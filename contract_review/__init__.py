"""contract-review: the thin orchestration layer (stage list, batch runner, CLI)."""

__version__ = "0.1.0"
