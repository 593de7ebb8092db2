"""``archgen diff``: what a change does to the architecture, for a pull-request review.

Each side is a model file, a folder of models, or an architecture repository (a folder
with ``arch/`` and ``decisions/``); with ``--git REV`` the base side is the same path as
committed at revision REV, read straight from the repository (``git ls-tree`` and
``git cat-file``: no checkout, no worktree, nothing written).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from archgen.model import Model

NAME = "diff"
HELP = "what a change does to the architecture: components, flows, findings, cost, ADRs, drawn"
DESCRIPTION = (
    "Compare two versions of the architecture: components added, removed and changed (field "
    "by field), flows, findings introduced and resolved, lock-in score and indicative monthly "
    "estimate per provider, ADRs added or with a new status. BASE and HEAD are each a model "
    "file, a folder of models, or a repository folder holding arch/ (and decisions/). With "
    "--git REV the base side is HEAD's path as committed at git revision REV, e.g. "
    "'archgen diff --git origin/main' in a pull request. Exit status: 0; 1 when --fail-on is "
    "given and the change introduces an unaccepted finding at or above it (findings that "
    "were already there never count); 2 when a side cannot be read or the command is misused."
)

FORMATS = ("text", "markdown", "json")
#: Files written by -o DIR.
OUTPUTS = ("diff.md", "diff.json", "diff.svg", "diff.png")


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "sides",
        nargs="*",
        metavar="SIDE",
        help="BASE HEAD: each a model file, a folder of models, or a folder with arch/; "
        "with --git, only HEAD (default: the current directory)",
    )
    parser.add_argument(
        "--git",
        metavar="REV",
        help="read the base side from git revision REV (a branch, tag or commit: origin/main, HEAD~1)",
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="what to print (default: text)")
    parser.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        help="also write diff.md, diff.json, diff.svg and diff.png into DIR (needs Graphviz)",
    )
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        help="exit 1 when the change introduces an unaccepted finding at or above this severity "
        "(default: never)",
    )
    parser.add_argument(
        "--diagram-url",
        metavar="URL",
        help="where the diagram will be published: the Markdown shows and links the image there",
    )


# ---------------------------------------------------------------------------
# one side, as read


@dataclass
class Side:
    label: str
    models: list[Model]
    decisions: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class _Layout:
    """Where a side's models and ADRs are, relative to the path given."""

    models: Path  # a folder of models, or one model file
    decisions: Path | None
    single_file: bool


def _layout(path: Path) -> _Layout:
    from archgen.errors import UsageError

    if path.is_dir():
        is_arch = path.resolve().name == "arch"
        if (path / "arch").is_dir() or not (is_arch or _yaml_files(path)):
            # a repository folder (its arch/ may not exist yet, or any more)
            return _Layout(path / "arch", path / "decisions", False)
        return _Layout(path, path / ".." / "decisions" if is_arch else None, False)
    if path.is_file():
        root = path.parent / ".." if path.parent.resolve().name == "arch" else None
        return _Layout(path, root / "decisions" if root is not None else None, True)
    raise UsageError(f"{path}: no such file or folder")


def _yaml_files(folder: Path) -> list[Path]:
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []


def _read_path(given: str, label: str | None = None) -> Side:
    from archgen.decisions.adr import load_decisions
    from archgen.sources.loader import load_models

    layout = _layout(Path(given))
    if layout.single_file:
        models = load_models([layout.models])
    else:
        models = load_models([layout.models]) if _yaml_files(layout.models) else []
    decisions = load_decisions(layout.decisions.parent) if layout.decisions is not None else []
    return Side(label or given, models, decisions)


# ---------------------------------------------------------------------------
# the base side from git


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    import os
    import subprocess

    from archgen.errors import UsageError

    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        proc = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args], cwd=cwd, input=stdin, capture_output=True, env=env, timeout=120
        )
    except FileNotFoundError:
        raise UsageError("--git needs git, and git is not installed (not on PATH)") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"git {args[0]} took longer than 120 s") from None
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _GitFailed(detail[-1] if detail else f"git {args[0]} failed (exit {proc.returncode})")
    return proc.stdout


class _GitFailed(Exception):
    pass


@dataclass(frozen=True)
class _Blob:
    path: str  # repository-relative, POSIX
    sha: str
    size: int
    link: bool = False  # a symbolic link: the blob holds its target


def _ls(rev: str, target: str, top: Path, folder: bool) -> list[_Blob]:
    """Regular files at ``target`` (a folder's direct entries, or one file) at ``rev``."""
    spec = (target.rstrip("/") + "/") if folder else target
    if spec in ("/", "./"):
        spec = "."
    raw = _git(["ls-tree", "-l", "-z", rev, "--", spec], top)
    out = []
    for entry in raw.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, sha, size = meta.decode("ascii").split()
        if kind != "blob" or mode not in ("100644", "100755", "120000"):
            continue  # folders and submodules are not models
        out.append(_Blob(name.decode("utf-8", "surrogateescape"), sha, int(size), mode == "120000"))
    return sorted(out, key=lambda b: b.path)


_MAX_LINKS = 8


def _follow_links(rev: str, blobs: list[_Blob], top: Path) -> list[_Blob]:
    """Symbolic links replaced by what they point at (as committed at ``rev``), keeping
    the link's path as the name; links that leave the repository are refused, as the
    loader refuses them in a working tree."""
    import posixpath

    from archgen.errors import Location, ModelError, ModelErrors

    out: list[_Blob] = []
    errors: list[ModelError] = []
    for blob in blobs:
        current, hops = blob, 0
        while current.link and hops < _MAX_LINKS:
            hops += 1
            target = _cat([current], top)[current.path].decode("utf-8", "surrogateescape")
            path = posixpath.normpath(posixpath.join(posixpath.dirname(current.path), target))
            if target.startswith("/") or path == ".." or path.startswith("../"):
                errors.append(ModelError(Location(f"{rev}:{blob.path}"), "a symbolic link that points outside the repository is refused"))
                break
            found = _ls(rev, path, top, folder=False)
            if not found:  # a dangling link: nothing there at this revision
                break
            current = found[0]
        else:
            if not current.link:
                out.append(_Blob(blob.path, current.sha, current.size))
                continue
            errors.append(ModelError(Location(f"{rev}:{blob.path}"), f"more than {_MAX_LINKS} symbolic links in a row"))
    if errors:
        raise ModelErrors(errors)
    return out


def _cat(blobs: list[_Blob], top: Path) -> dict[str, bytes]:
    """The contents of ``blobs``, read in one ``git cat-file --batch``."""
    if not blobs:
        return {}
    raw = _git(["cat-file", "--batch"], top, stdin="".join(f"{b.sha}\n" for b in blobs).encode("ascii"))
    out: dict[str, bytes] = {}
    pos = 0
    for blob in blobs:
        end = raw.index(b"\n", pos)
        header = raw[pos:end].split()
        size = int(header[2])
        out[blob.path] = raw[end + 1 : end + 1 + size]
        pos = end + 1 + size + 1
    return out


def _read_git(rev: str, head_path: str) -> Side:
    """The base side: ``head_path``'s models and ADRs as committed at ``rev``."""
    import os

    from archgen.decisions.adr import FILE_RE, MAX_ADR_BYTES, parse_decision
    from archgen.errors import Location, ModelError, ModelErrors, UsageError
    from archgen.sources.loader import MAX_BYTES, parse_model

    layout = _layout(Path(head_path))
    here = Path(head_path) if Path(head_path).is_dir() else Path(head_path).parent
    try:
        top = Path(_git(["rev-parse", "--show-toplevel"], here).decode("utf-8").strip())
    except _GitFailed:
        raise UsageError(f"--git: {head_path} is not inside a git repository") from None
    try:
        _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], top)
    except _GitFailed:
        raise UsageError(
            f"--git: unknown revision {rev!r} (in CI, fetch it first: actions/checkout with fetch-depth: 0)"
        ) from None

    def rel(p: Path) -> str:
        r = os.path.relpath(os.path.realpath(p), os.path.realpath(top))
        if r == ".." or r.startswith("../"):
            raise UsageError(f"--git: {p} is outside the repository {top}")
        return PurePosixPath(*Path(r).parts).as_posix() if r != "." else "."

    errors: list[ModelError] = []
    model_blobs = [
        b
        for b in _ls(rev, rel(layout.models), top, folder=not layout.single_file)
        if layout.single_file or b.path.endswith((".yaml", ".yml"))
    ]
    adr_blobs = []
    if layout.decisions is not None:
        adr_blobs = [b for b in _ls(rev, rel(layout.decisions), top, folder=True) if FILE_RE.match(PurePosixPath(b.path).name)]
    model_blobs = _follow_links(rev, model_blobs, top)
    adr_blobs = _follow_links(rev, adr_blobs, top)
    for b, limit in [(b, MAX_BYTES) for b in model_blobs] + [(b, MAX_ADR_BYTES) for b in adr_blobs]:
        if b.size > limit:
            errors.append(ModelError(Location(f"{rev}:{b.path}", 1, 1), f"the file is {b.size:,} bytes; at most {limit:,} are read"))
    if errors:
        raise ModelErrors(errors)
    texts = _cat(model_blobs + adr_blobs, top)
    models: list[Model] = []
    names: dict[str, Model] = {}
    for b in model_blobs:
        try:
            m = parse_model(texts[b.path], f"{rev}:{b.path}")
        except ModelErrors as exc:
            errors.extend(exc.errors)
            continue
        if m.name in names:
            errors.append(ModelError(m.loc_of("name"), f"model name {m.name!r} is also used by {names[m.name].file}"))
        names[m.name] = m
        models.append(m)
    decisions = []
    for b in adr_blobs:
        try:
            decisions.append(parse_decision(texts[b.path], f"{rev}:{b.path}", PurePosixPath(b.path).name))
        except ModelErrors as exc:
            errors.extend(exc.errors)
    if errors:
        raise ModelErrors(errors)
    return Side(rev, sorted(models, key=lambda m: m.name), sorted(decisions, key=lambda d: d.sort_key()))


# ---------------------------------------------------------------------------
# the command


def read_sides(args: argparse.Namespace) -> tuple[Side, Side]:
    from archgen.errors import UsageError

    if args.git is not None:
        if len(args.sides) > 1:
            raise UsageError("with --git REV, give only the HEAD side (the base side is read from REV)")
        if not args.git.strip() or args.git.startswith("-"):
            raise UsageError(f"--git: {args.git!r} is not a revision")
        head_path = args.sides[0] if args.sides else "."
        head = _read_path(head_path, "working tree" if not args.sides else None)
        return _read_git(args.git, head_path), head
    if len(args.sides) != 2:
        raise UsageError("give two sides, BASE and HEAD (or --git REV and at most one side)")
    return _read_path(args.sides[0]), _read_path(args.sides[1])


def run(args: argparse.Namespace) -> int:
    import sys

    from archgen.generators.diff import diff_models, render_json, render_markdown, render_text
    from archgen.generators.diffdraw import diff_view, to_mermaid

    base, head = read_sides(args)
    for side, what in ((base, "added"), (head, "removed")):
        if not side.models:
            print(f"archgen diff: no models in {side.label}: every model counts as {what}", file=sys.stderr)
    diff = diff_models(
        base.models, head.models, base.decisions, head.decisions, base_label=base.label, head_label=head.label
    )
    view = diff_view(diff)
    structural = any(n.status != "unchanged" for n in view.nodes) or any(e.status != "unchanged" for e in view.edges)
    mermaid = to_mermaid(view) if structural else None
    if args.output:
        from archgen.generators.draw import render
        from archgen.writer import write_files

        drawn = render([view], formats=("svg", "png"))
        files: dict[str, str | bytes] = {
            "diff.md": render_markdown(diff, args.diagram_url or "diff.svg", mermaid=mermaid),
            "diff.json": render_json(diff),
            "diff.svg": drawn[f"{view.name}.svg"],
            "diff.png": drawn[f"{view.name}.png"],
        }
        write_files(args.output, files)
    if args.format == "json":
        out = render_json(diff)
    elif args.format == "markdown":
        out = render_markdown(diff, args.diagram_url, mermaid=mermaid)
    else:
        out = render_text(diff)
    sys.stdout.write(out)
    if args.fail_on:
        bad = diff.gating(args.fail_on)
        if bad:
            n = len(bad)
            print(
                f"archgen diff: the change introduces {n} unaccepted finding{'s' if n != 1 else ''} "
                f"at or above {args.fail_on}",
                file=sys.stderr,
            )
            return 1
    return 0
