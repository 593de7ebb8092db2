"""Decisions: ADRs (MADR Markdown in ``decisions/``), read, written and checked."""
