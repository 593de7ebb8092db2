"""Ctrl-C while archgen starts: one line and exit status 130, never a traceback.

Python raises ``KeyboardInterrupt`` wherever the signal lands, and while modules are being
imported it can land inside importlib's own callbacks, where it is printed as "Exception
ignored ..." with a traceback and the import carries on. Until the command line is
ready, the signal therefore ends the process at once instead: nothing has been written
yet, so there is nothing to undo. :func:`release` puts the previous handler back.
"""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

MESSAGE = b"archgen: interrupted while starting; nothing was done\n"

_previous: Any = None


def _quit(signum: int, frame: object) -> None:
    os.write(2, MESSAGE)
    os._exit(130)


def guard() -> None:
    """End the process on SIGINT until :func:`release` (main thread only; idempotent)."""
    global _previous
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGINT) is not _quit:
        _previous = signal.signal(signal.SIGINT, _quit)


def release() -> None:
    """Give SIGINT back to the handler it had before :func:`guard`."""
    global _previous
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGINT) is _quit:
        signal.signal(signal.SIGINT, _previous if _previous is not None else signal.default_int_handler)
        _previous = None
