"""Rendering: one Jinja factory with escaping per output language, text helpers, reports."""
