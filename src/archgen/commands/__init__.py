"""Subcommands of the ``archgen`` CLI, one module each (see :data:`archgen.cli.COMMANDS`).

Each module defines ``NAME``, ``HELP``, ``register(parser)`` and ``run(args) -> int``
and imports nothing heavy at module level.
"""
