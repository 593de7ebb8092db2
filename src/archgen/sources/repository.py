"""One architecture repository's models and ADRs, read from a folder or a git revision.

A path names a model file, a folder of models, or a repository folder (one with
``arch/`` and ``decisions/``); :func:`layout` says where its models and ADRs are.
:func:`read_repository` reads them from the working tree, :func:`read_revision` as
committed at a git revision (:mod:`archgen.sources.git`: no checkout). Both parse with
the same loader (:func:`archgen.sources.loader.parse_model`, ADRs with
:func:`archgen.decisions.store.parse_decision`, both on :mod:`archgen.sources.yamlpos`),
refuse two models of one name through the same check
(:func:`archgen.sources.loader.unique_names`), and return the same :class:`Bundle`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from archgen.decisions.records import Decision
    from archgen.model import Model

__all__ = ["Bundle", "Layout", "layout", "mkdocs_config", "read_repository", "read_revision", "source_folders"]


@dataclass(frozen=True)
class Bundle:
    """The models (by name) and ADRs (by number) of one side, as read."""

    label: str  # what the side is called in reports: the path given, or the revision
    models: tuple[Model, ...]
    decisions: tuple[Decision, ...] = ()

    def content(self) -> tuple[Any, ...]:
        """What was read, without where it was read from (file names, the label): two
        bundles of the same commit, one from the folder and one from git, give the same."""
        models = tuple(
            (
                m.model_dump(mode="json"),
                (m.loc.line, m.loc.column),
                tuple(sorted((cid, c.loc.line, c.loc.column) for cid, c in m.components.items())),
            )
            for m in self.models
        )
        decisions = tuple(
            (
                d.number, d.slug, d.title, d.status, d.date, d.body, tuple(d.deciders), tuple(d.consulted),
                tuple(d.informed), tuple(d.components), tuple(d.supersedes), tuple(d.superseded_by), tuple(d.tags),
                tuple(sorted((k, v.line, v.column) for k, v in d.field_locs.items())),
            )
            for d in self.decisions
        )
        return (models, decisions)


@dataclass(frozen=True)
class Layout:
    """Where a path's models and ADRs are, relative to the path given."""

    models: Path  # a folder of models, or one model file
    decisions: Path | None  # the decisions/ folder, when the path is in a repository
    single_file: bool


def layout(path: str | os.PathLike[str]) -> Layout:
    """The layout of ``path``: a repository folder (``arch/`` may not exist yet, or any
    more), a folder of models (``arch/`` itself: its ADRs are ``../decisions``), or a file."""
    from archgen.errors import UsageError

    path = Path(path)
    if path.is_dir():
        is_arch = path.resolve().name == "arch"
        if (path / "arch").is_dir() or not (is_arch or _yaml_files(path)):
            return Layout(path / "arch", path / "decisions", False)
        return Layout(path, path / ".." / "decisions" if is_arch else None, False)
    if path.is_file():
        root = path.parent / ".." if path.parent.resolve().name == "arch" else None
        return Layout(path, root / "decisions" if root is not None else None, True)
    raise UsageError(f"{path}: no such file or folder")


def _yaml_files(folder: Path) -> list[Path]:
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []


def read_repository(path: str | os.PathLike[str] = ".", label: str | None = None) -> Bundle:
    """The models and ADRs at ``path`` in the working tree (see :func:`layout`)."""
    from archgen.decisions.store import load_decisions
    from archgen.sources.loader import load_models

    where = layout(path)
    if where.single_file or _yaml_files(where.models):
        models = load_models([where.models])
    else:
        models = []
    decisions = load_decisions(where.decisions.parent) if where.decisions is not None else []
    return Bundle(label or str(path), tuple(models), tuple(decisions))


def read_revision(rev: str, path: str | os.PathLike[str] = ".", label: str | None = None) -> Bundle:
    """The models and ADRs at ``path`` as committed at git revision ``rev``.

    ``path`` is a path of the working tree (its layout decides what is read); the
    files are read from the revision, named ``REV:PATH`` in every message.
    """
    from archgen.decisions.records import FILE_RE, MAX_ADR_BYTES
    from archgen.decisions.store import parse_decision
    from archgen.errors import Location, ModelError, ModelErrors
    from archgen.sources.git import Revision
    from archgen.sources.loader import MAX_BYTES, parse_model, unique_names

    where = layout(path)
    revision = Revision.open(rev, path)
    model_blobs = [
        b
        for b in revision.ls(revision.relative(where.models), folder=not where.single_file)
        if where.single_file or b.path.endswith((".yaml", ".yml"))
    ]
    adr_blobs = []
    if where.decisions is not None:
        adr_blobs = [
            b
            for b in revision.ls(revision.relative(where.decisions), folder=True)
            if FILE_RE.match(PurePosixPath(b.path).name)
        ]
    model_blobs = revision.follow_links(model_blobs)
    adr_blobs = revision.follow_links(adr_blobs)
    errors: list[ModelError] = []
    for b, limit in [(b, MAX_BYTES) for b in model_blobs] + [(b, MAX_ADR_BYTES) for b in adr_blobs]:
        if b.size > limit:
            errors.append(
                ModelError(Location(revision.label(b.path), 1, 1), f"the file is {b.size:,} bytes; at most {limit:,} are read")
            )
    if errors:
        raise ModelErrors(errors)
    texts = revision.read(model_blobs + adr_blobs)
    models: list[Model] = []
    for b in model_blobs:
        try:
            models.append(parse_model(texts[b.path], revision.label(b.path)))
        except ModelErrors as exc:
            errors.extend(exc.errors)
    errors.extend(unique_names(models))
    decisions = []
    for b in adr_blobs:
        try:
            decisions.append(parse_decision(texts[b.path], revision.label(b.path), PurePosixPath(b.path).name))
        except ModelErrors as exc:
            errors.extend(exc.errors)
    if errors:
        raise ModelErrors(errors)
    return Bundle(
        label or rev,
        tuple(sorted(models, key=lambda m: m.name)),
        tuple(sorted(decisions, key=lambda d: d.sort_key())),
    )


# ---------------------------------------------------------------------------
# the folders a repository's outputs may not be written into


def mkdocs_config(text: str) -> Any:
    """A ``mkdocs.yml`` read as data, its ``!!python/name`` and ``!ENV`` tags ignored (None)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    return yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader subclass


def docs_dir(root: str | os.PathLike[str] = ".") -> Path:
    """The folder of hand-written pages: ``docs_dir`` of the repository's mkdocs.yml, else docs/."""
    rootp = Path(root)
    name = "docs"
    try:
        data = mkdocs_config((rootp / "mkdocs.yml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, Exception):  # noqa: BLE001 - build reports a broken mkdocs.yml
        data = None
    if isinstance(data, dict) and isinstance(data.get("docs_dir"), str) and data["docs_dir"].strip():
        name = data["docs_dir"]
    return rootp / name


def source_folders(root: str | os.PathLike[str] = ".", paths: Any = (), in_docs: bool = True) -> list[tuple[Path, str, bool]]:
    """What archgen reads in the repository ``root``, so that no output replaces it:
    (folder, what it holds, whether an output may sit inside it). ``paths`` are the model
    files or folders given on the command line. An output may sit inside the docs folder
    (``build --docs-only docs/architecture``, diagrams for hand-written pages) unless
    ``in_docs`` is false (the site: MkDocs refuses a site_dir inside docs_dir), never
    replace it."""
    rootp = Path(root)
    out = [
        (rootp / "arch", "the models", False),
        (rootp / "decisions", "the ADRs", False),
        (docs_dir(rootp), "the hand-written pages (docs_dir)", in_docs),
    ]
    base = rootp.resolve()
    for given in paths or ():
        p = Path(given)
        folder = p if p.is_dir() else p.parent
        real = folder.resolve()
        if real != base and real not in base.parents:  # a model at the top: the root is refused anyway
            out.append((folder, "models named on the command line", True))
    return out
