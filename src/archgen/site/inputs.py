"""What a site build reads, and a fingerprint of it: the key of a rebuild with no change.

A build is a pure function of its inputs: the models, the ADRs, the hand-written pages,
mkdocs.yml, the gallery's examples, archgen's own code and data, the versions of MkDocs
and its theme and extensions, Graphviz, and the options of the command. When the
fingerprint of all of them is the one the site was built from (kept in the site's marker,
swapped in with the site), the site a build would publish is the one already there: the
rebuild loads and checks the models (so a model that has become invalid in another way
still fails) and stops. The fingerprint hashes the bytes of every input file, never only
their modification times.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

#: The distributions whose versions change what MkDocs makes of the same pages.
SITE_DISTRIBUTIONS = ("archgen", "mkdocs", "mkdocs-material", "pymdown-extensions", "Markdown", "Pygments", "nh3", "cmarkgfm")

#: Folders of a project that never feed its site: outputs, state, version control.
NOT_INPUTS = {".git", ".archgen", "site", "node_modules", ".venv", "venv", "__pycache__", ".tools"}


class Digest:
    """A SHA-256 of a sequence of parts, each preceded by its length, so that ``("ab", "c")``
    and ``("a", "bc")`` differ; a str part counts as its UTF-8 bytes (surrogateescape). The
    one hash of the build's fingerprint, its stamp and the page cache's keys."""

    def __init__(self, *parts: str | bytes) -> None:
        self._h = hashlib.sha256()
        self.add(*parts)

    def add(self, *parts: str | bytes) -> None:
        for part in parts:
            data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
            self._h.update(len(data).to_bytes(8, "big"))
            self._h.update(data)

    def hexdigest(self) -> str:
        return self._h.hexdigest()


def build_inputs(root: str | os.PathLike[str], paths: Iterable[str] = ()) -> list[Path]:
    """The files and folders a build reads that exist: arch/ (or the model ``paths``),
    decisions/, the docs folder, mkdocs.yml and, with a gallery, examples/gallery.yaml
    and its examples' arch/ and decisions/ (docs/site.md). ``archgen serve`` watches
    these."""
    from archgen.sources.repository import docs_dir

    rootp = Path(root)
    given = [Path(p) for p in paths or ()]
    found = given or [rootp / "arch"]
    found += [rootp / "decisions", docs_dir(rootp)]
    gallery = rootp / "examples" / "gallery.yaml"
    if gallery.is_file():
        found.append(gallery)
        found += sorted(p for p in (rootp / "examples").glob("*/*") if p.name in ("arch", "decisions"))
    found.append(rootp / "mkdocs.yml")
    return [p for p in found if p.exists()]


def input_files(root: str | os.PathLike[str], paths: Iterable[str] = ()) -> list[Path]:
    """Every file of :func:`build_inputs`, sorted, hidden files and folders left out."""
    out: set[Path] = set()
    for base in build_inputs(root, paths):
        if base.is_file():
            out.add(base)
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = [d for d in dirnames if not d.startswith(".") and d not in NOT_INPUTS]
            out.update(Path(dirpath) / f for f in filenames if not f.startswith("."))
    return sorted(out)


def versions(add: Callable[..., None]) -> None:
    """Feed ``add`` the version of each of :data:`SITE_DISTRIBUTIONS`."""
    from importlib.metadata import PackageNotFoundError, version

    for dist in SITE_DISTRIBUTIONS:
        try:
            add(dist, version(dist))
        except PackageNotFoundError:
            add(dist, "-")


def _code(add: Callable[..., None]) -> None:
    """archgen's own code, templates and catalog, by content: an editable install changes
    them without a new version."""
    import archgen

    base = Path(archgen.__file__).resolve().parent
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if not name.endswith((".pyc", ".pyo")):
                path = Path(dirpath) / name
                add(path.relative_to(base).as_posix(), path.read_bytes())


def _graphviz(add: Callable[..., None]) -> None:
    """Which Graphviz lays the views out: the engine asked for, and the ``dot`` on PATH
    (its path, size and time: a new Graphviz is a new binary)."""
    add("ARCHGEN_GRAPHVIZ", os.environ.get("ARCHGEN_GRAPHVIZ", ""))
    dot = shutil.which("dot")
    if dot is None:
        add("dot", "-")
        return
    st = os.stat(dot)
    add("dot", os.path.realpath(dot), f"{st.st_size} {st.st_mtime_ns}")


def fingerprint(root: str | os.PathLike[str], paths: Iterable[str], options: Iterable[str], project: Callable[[Callable[..., None]], None] | None = None) -> str:
    """A hash of everything a build reads (the module's docstring); ``options`` are the
    command's (strictness, output folder); ``project`` adds what else the user's
    configuration may read (see ``site.build._project``)."""
    h = Digest()
    add = h.add
    rootp = Path(root).resolve()
    add("archgen-build-inputs 1", *options)
    versions(add)
    _code(add)
    _graphviz(add)
    for path in input_files(root, paths):
        try:
            data = path.read_bytes()
        except OSError:
            data = b"\0unreadable"
        real = path.resolve()
        add(real.relative_to(rootp).as_posix() if rootp in real.parents else str(real), data)
    if project is not None:
        project(add)
    return h.hexdigest()
