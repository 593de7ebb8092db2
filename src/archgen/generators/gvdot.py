"""A stand-in for Graphviz's ``dot`` program, on the libraries the ``pygraphviz`` wheel bundles.

    python -m archgen.generators.gvdot -Tsvg -Gimagepath=DIR < view.dot > view.svg
    python -m archgen.generators.gvdot -V
    python -m archgen.generators.gvdot --serve     # many graphs, one process (archgen's own use)

Used by :mod:`archgen.generators.draw` when no ``dot`` is on PATH and ``pygraphviz`` is
installed (``pip install 'archgen[graphviz]'``): the wheels for Linux (glibc 2.28+),
macOS and Windows carry Graphviz's layout and renderers as libraries, but no ``dot``
program. It takes the same arguments ``draw`` gives ``dot`` (``-T``, ``-G``, ``-V``) and
writes the same bytes to stdout.

archgen starts one ``--serve`` process per drawing thread and hands it one graph after
another (no start-up per view). It runs apart from archgen, for the reasons ``dot`` does: Graphviz's
library keeps global state and is not safe to call from two threads at once, and on
some very large clustered graphs it aborts the whole process (an assertion in mincross)
where a separate process just exits non-zero and ``draw`` tries its next way of drawing
the view, as it does for ``dot``.
"""

from __future__ import annotations

import sys


def version() -> str:
    """Graphviz's version as ``dot -V`` prints it (from an empty graph's SVG comment)."""
    import re

    import pygraphviz

    svg = pygraphviz.AGraph(string="digraph{}").draw(format="svg", prog="dot").decode("utf-8", "replace")
    m = re.search(r"graphviz version (\S+)", svg)
    return m.group(1) if m else "unknown"


def render(text: str, fmt: str, graph_attrs: dict[str, str]) -> bytes:
    """One graph laid out with dot and drawn in ``fmt``, by Graphviz's libraries."""
    import pygraphviz

    graph = pygraphviz.AGraph(string=text)
    for key, value in graph_attrs.items():
        graph.graph_attr[key] = value
    return graph.draw(format=fmt, prog="dot")


def serve() -> int:
    """Lay out graphs one after another: a JSON header line (format, imagepath, size),
    then the DOT; answers a JSON line (ok, size, error), then the bytes. Ends at end of input."""
    import json

    inp, out = sys.stdin.buffer, sys.stdout.buffer
    while True:
        line = inp.readline()
        if not line:
            return 0
        request = json.loads(line)
        text = inp.read(request["size"]).decode("utf-8")
        try:
            data, reply = render(text, request["format"], {"imagepath": request["imagepath"]}), {"ok": True}
        except (ValueError, OSError, TypeError) as exc:
            data, reply = b"", {"ok": False, "error": str(exc)}
        reply["size"] = len(data)
        out.write(json.dumps(reply).encode("utf-8") + b"\n" + data)
        out.flush()


def main(argv: list[str]) -> int:
    if argv == ["--serve"]:
        return serve()
    if "-V" in argv:
        import pygraphviz

        print(f"dot - graphviz version {version()} (pygraphviz {pygraphviz.__version__})", file=sys.stderr)
        return 0
    fmt = "dot"
    graph_attrs: dict[str, str] = {}
    for arg in argv:
        if arg.startswith("-T"):
            fmt = arg[2:]
        elif arg.startswith("-G") and "=" in arg:
            key, value = arg[2:].split("=", 1)
            graph_attrs[key] = value
        else:
            print(f"gvdot: unsupported argument {arg!r}", file=sys.stderr)
            return 2
    text = sys.stdin.buffer.read().decode("utf-8")
    try:
        data = render(text, fmt, graph_attrs)
    except (ValueError, OSError, TypeError) as exc:  # what pygraphviz raises for bad input
        print(f"gvdot: {exc}", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
