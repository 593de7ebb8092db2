"""pydantic, imported without the asyncio package it does not use.

pydantic-core marks some functions with ``typing_extensions.deprecated``, and on Python
before 3.13 that decorator runs ``import asyncio.coroutines`` for each function it wraps.
Importing ``asyncio.coroutines`` imports the whole ``asyncio`` package first (its
event loops, ``ssl``, ``subprocess``, ``concurrent.futures``, ``logging``): a fifth of
what ``archgen check`` spent starting (docs/performance.md, "check under 0.3 s").

While pydantic is imported, ``asyncio`` is therefore a stand-in holding only the real
``asyncio/coroutines.py`` (a module that imports nothing of asyncio's own); both are
taken out of ``sys.modules`` again afterwards, so the first real ``import asyncio``
(MkDocs' server, a test) loads the whole package as it always would. Should the stand-in
ever not be enough, pydantic is imported again the ordinary way.

Every module of archgen that uses pydantic imports it through this module first.
"""

from __future__ import annotations

import sys


def _import_lean() -> None:
    if "asyncio" in sys.modules or "pydantic" in sys.modules or sys.version_info >= (3, 13):
        return
    import importlib.machinery
    import importlib.util
    import types

    spec = importlib.util.find_spec("asyncio")  # a top-level name: found, not imported
    # the path finder itself: importlib.util.find_spec of a submodule imports its package
    coroutines_spec = (
        importlib.machinery.PathFinder.find_spec("asyncio.coroutines", spec.submodule_search_locations)
        if spec is not None and spec.submodule_search_locations else None
    )
    if coroutines_spec is None or coroutines_spec.loader is None:
        return
    before = set(sys.modules)
    stand_in = types.ModuleType("asyncio")
    stand_in.__path__ = list(spec.submodule_search_locations or [])  # type: ignore[attr-defined]
    coroutines = importlib.util.module_from_spec(coroutines_spec)
    stand_in.coroutines = coroutines  # type: ignore[attr-defined]
    sys.modules["asyncio"], sys.modules["asyncio.coroutines"] = stand_in, coroutines
    try:
        coroutines_spec.loader.exec_module(coroutines)
        import pydantic  # noqa: F401
        from pydantic import BaseModel  # noqa: F401 - pydantic.main and pydantic-core

        if any(n.startswith("asyncio.") and n != "asyncio.coroutines" for n in sys.modules):
            raise ImportError("pydantic imported more of asyncio than the stand-in holds")
    except Exception:  # noqa: BLE001 - a pydantic that needs more of asyncio: the ordinary import
        for name in set(sys.modules) - before:
            del sys.modules[name]
    finally:
        for name in ("asyncio", "asyncio.coroutines"):
            if sys.modules.get(name) in (stand_in, coroutines):
                del sys.modules[name]


_import_lean()
