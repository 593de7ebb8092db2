"""``archgen serve``: build, serve the site locally, rebuild when a model or ADR changes,
and reload the open page after each rebuild.

The server is MkDocs' own live-reload server (``mkdocs.livereload``, what ``mkdocs
serve`` runs): it serves ``site/``, injects a small script into every HTML page that
long-polls the server, and watches ``arch/``, ``decisions/``, ``docs/`` and
``mkdocs.yml``. A change runs ``archgen build`` (which swaps the new site in atomically);
when the build succeeds the open pages reload themselves. A model with problems prints
them and keeps serving the previous site.
"""

from __future__ import annotations

import argparse

NAME = "serve"
HELP = "preview the site locally; rebuilds and reloads the page when a model, ADR or page changes"
DESCRIPTION = (
    "Build the site, serve it on http://127.0.0.1:PORT/, rebuild when a file under arch/, "
    "decisions/ or docs/, or mkdocs.yml (with a gallery, also examples/), changes, and reload the open pages after each "
    "rebuild. Exit status 2 when the port is taken or invalid, or the first build fails."
)


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0 picks a free one)")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between checks for changes (default 0.5)")


HOST = "127.0.0.1"


def watched(root) -> list:
    """What a build reads (:func:`archgen.site.inputs.build_inputs`): arch/, decisions/,
    docs/, mkdocs.yml and, with a gallery, examples/gallery.yaml and its examples' arch/
    and decisions/ (docs/site.md)."""
    from archgen.site.inputs import build_inputs

    return build_inputs(root)


def snapshot(root) -> dict[str, float]:
    """Modification times of everything a build reads."""
    out: dict[str, float] = {}
    for base in watched(root):
        files = [p for p in base.rglob("*") if p.is_file()] if base.is_dir() else [base]
        for p in files:
            out[str(p)] = p.stat().st_mtime_ns
    return out


def listen(port: int, interval: float = 0.5):  # noqa: ANN201 - mkdocs' LiveReloadServer, imported lazily
    """MkDocs' live-reload server, bound to HOST:port now (so a taken port fails before any build)."""
    import errno

    from mkdocs.livereload import LiveReloadServer

    from archgen.errors import UsageError

    if not 0 <= port <= 65535:
        raise UsageError(f"serve: --port {port} is not a port number (0-65535)")
    server = LiveReloadServer(builder=lambda: None, host=HOST, port=port, root=".", polling_interval=interval)
    try:
        server.server_bind()
        server.server_activate()
    except OSError as exc:
        server.server_close()
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(
                f"serve: port {port} on {HOST} is already in use (another archgen serve or mkdocs serve?); "
                "stop it or choose another with --port"
            ) from None
        raise UsageError(f"serve: cannot listen on {HOST}:{port}: {exc.strerror or exc}") from None
    # bound: serve() must not bind again, and its URL must name the port it got (--port 0)
    server.server_bind = lambda: None  # type: ignore[method-assign]
    server.server_activate = lambda: None  # type: ignore[method-assign]
    server.url = f"http://{HOST}:{server.server_address[1]}/"
    return server


def run(args: argparse.Namespace) -> int:
    import os
    import sys

    from archgen.errors import ArchgenError, ModelErrors, os_error_message
    from archgen.site.build import build

    server = listen(args.port, args.interval)
    try:
        result = build([], quiet=getattr(args, "verbosity", 0) < 0)
    except BaseException:
        server.server_close()
        raise
    site = result.site_dir.resolve()

    def rebuild() -> None:
        try:
            build([], quiet=True)
            print("archgen serve: site rebuilt; reloading open pages", file=sys.stderr, flush=True)
        except ModelErrors as exc:
            for err in exc.errors:
                print(err, file=sys.stderr)
            print("archgen serve: the model has problems; still serving the previous site", file=sys.stderr, flush=True)
        except ArchgenError as exc:
            print(f"archgen serve: {exc}; still serving the previous site", file=sys.stderr, flush=True)
        except OSError as exc:  # disk full, read-only: the previous site is whole
            print(f"archgen serve: {os_error_message(exc)}; still serving the previous site", file=sys.stderr, flush=True)

    def not_found(code: int) -> bytes | None:
        page = site / f"{code}.html"
        return page.read_bytes() if code == 404 and page.is_file() else None

    server.builder = rebuild
    server.root = str(site)
    server.error_handler = not_found
    for path in watched("."):
        server.watch(os.path.abspath(path), recursive=path.is_dir())
    print(f"archgen serve: {server.url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0
