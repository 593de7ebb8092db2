"""Sources: models and ADRs read from a folder or a git revision, every element positioned."""
