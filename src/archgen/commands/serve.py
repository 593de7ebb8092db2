"""``archgen serve``: build, serve the site locally, rebuild when a model or ADR changes."""

from __future__ import annotations

import argparse

NAME = "serve"
HELP = "preview the site locally; rebuilds when a model, ADR or page changes"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000)")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between checks for changes")


def snapshot(root) -> dict[str, float]:
    """Modification times of everything a build reads."""
    from pathlib import Path

    rootp = Path(root)
    out: dict[str, float] = {}
    folders = [rootp / f for f in ("arch", "decisions", "docs")]
    gallery = rootp / "examples" / "gallery.yaml"  # the gallery (docs/site.md) and its examples' models and ADRs
    if gallery.is_file():
        out[str(gallery)] = gallery.stat().st_mtime_ns
        folders += sorted(p for p in (rootp / "examples").glob("*/*") if p.name in ("arch", "decisions"))
    for base in folders:
        if base.is_dir():
            for p in base.rglob("*"):
                if p.is_file():
                    out[str(p)] = p.stat().st_mtime_ns
    cfg = rootp / "mkdocs.yml"
    if cfg.exists():
        out[str(cfg)] = cfg.stat().st_mtime_ns
    return out


def run(args: argparse.Namespace) -> int:
    import http.server
    import sys
    import threading
    import time

    from archgen.site.build import build
    from archgen.errors import ArchgenError, ModelErrors

    def rebuild() -> None:
        try:
            build([], quiet=True)
            print("archgen serve: site rebuilt", file=sys.stderr, flush=True)
        except ModelErrors as exc:
            for err in exc.errors:
                print(err, file=sys.stderr)
            print("archgen serve: the model has problems; still serving the previous site", file=sys.stderr, flush=True)
        except ArchgenError as exc:
            print(f"archgen serve: {exc}; still serving the previous site", file=sys.stderr, flush=True)

    result = build([], quiet=False)
    site = result.site_dir.resolve()

    class Handler(http.server.SimpleHTTPRequestHandler):
        # the site folder is swapped on rebuild: open it anew for each request
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=str(site), **kw)

        def log_message(self, *a):  # keep the terminal for build messages
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"archgen serve: http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)", file=sys.stderr, flush=True)
    seen = snapshot(".")
    try:
        while True:
            time.sleep(args.interval)
            now = snapshot(".")
            if now != seen:
                seen = now
                rebuild()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0
