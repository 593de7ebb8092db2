"""The gallery: example architectures shown on one page of the site.

A repository that keeps example architecture repositories below ``examples/`` (each
with its own ``arch/*.yaml`` and, if it has one, ``decisions/``) lists them in
``examples/gallery.yaml``::

    examples:
      - folder: online-boutique          # examples/online-boutique/arch/*.yaml
        source:
          title: GoogleCloudPlatform/microservices-demo
          url: https://github.com/GoogleCloudPlatform/microservices-demo
        shows:                           # what the example demonstrates, one line each
          - eleven services placed on one GKE cluster with runs_on

``archgen build`` then loads and checks each example (a model with problems stops the
build with its FILE:LINE:COLUMN messages, like any model), draws its overview, and
publishes ``gallery/index.md``: per example its title, description, source, what it
shows, its findings today and its overview diagram. With no ``examples/gallery.yaml``
the site has no gallery. A malformed manifest is reported at its FILE:LINE:COLUMN.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archgen.errors import Location, ModelError, ModelErrors
from archgen.rendering.templating import Trusted, render_markdown

if TYPE_CHECKING:
    from archgen.findings import Finding
    from archgen.model import Model

#: Where the manifest is, relative to the repository root.
GALLERY_FILE = Path("examples") / "gallery.yaml"
#: The gallery's page in the docs folder; its diagrams sit beside it.
GALLERY_PAGE = "gallery/index.md"
MAX_MANIFEST_BYTES = 1 << 20

_FOLDER = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: A link the page writes as it is: http(s), and nothing that could end the Markdown link.
_URL = re.compile(r"^https?://[^\s<>()\[\]\"'`\\]+$")
_ENTRY_FIELDS = ("folder", "source", "shows")
_SOURCE_FIELDS = ("title", "url")


@dataclass(frozen=True)
class Example:
    """One entry of the manifest."""

    folder: str
    source_title: str
    source_url: str
    shows: tuple[str, ...]


@dataclass(frozen=True)
class GalleryModel:
    """One model of an example, checked and with its overview drawn."""

    model: Model
    findings: list[Finding]
    overview_name: str  # "overview.svg", or the group overview of a large model
    overview: bytes


@dataclass(frozen=True)
class GalleryEntry:
    example: Example
    models: list[GalleryModel]


def read_manifest(root: Path) -> list[Example] | None:
    """The examples ``examples/gallery.yaml`` of ``root`` lists, in its order; None when
    there is no manifest. Every problem is reported at once (:class:`ModelErrors`)."""
    from archgen.sources.loader import display_path
    from archgen.sources.yamlpos import decode, read

    path = root / GALLERY_FILE
    if not path.is_file():
        return None
    file = display_path(path)
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_MANIFEST_BYTES + 1)
    except OSError as exc:
        raise ModelErrors([ModelError(Location(file), f"cannot read: {exc.strerror or exc}")]) from None
    try:
        if len(raw) > MAX_MANIFEST_BYTES:
            raise ModelError(Location(file, 1, 1), f"the gallery manifest may be at most {MAX_MANIFEST_BYTES:,} bytes")
        doc = read(decode(raw, file), file)
    except ModelError as err:
        raise ModelErrors([err]) from None
    data, pos, errs = doc.data, doc.positions, doc.errors
    examples: list[Example] = []
    if not isinstance(data, dict) or not isinstance(data.get("examples"), list):
        errs.add(pos.of_value(()), "a gallery manifest is a mapping with 'examples:', a list of {folder, source, shows}")
        raise ModelErrors(errs.errors)
    for key in data:
        if key != "examples":
            errs.add(pos.of_key((key,)), f"unknown field {key!r} (a gallery manifest has only 'examples')")
    seen: dict[str, int] = {}
    for i, item in enumerate(data["examples"]):
        example = _entry(item, ("examples", i), root, pos, errs)
        if example is None:
            continue
        if example.folder in seen:
            errs.add(pos.of_value(("examples", i, "folder")), f"example {example.folder!r} is listed twice (first as entry {seen[example.folder] + 1})")
            continue
        seen[example.folder] = i
        examples.append(example)
    if errs:
        raise ModelErrors(errs.errors)
    return examples


def _entry(item: Any, at: tuple[Any, ...], root: Path, pos: Any, errs: Any) -> Example | None:
    from archgen.sources.yamlpos import did_you_mean

    if not isinstance(item, dict):
        errs.add(pos.of_value(at), "an example is a mapping with 'folder', 'source' and 'shows'")
        return None
    ok = True
    for key in item:
        if key not in _ENTRY_FIELDS:
            errs.add(pos.of_key(at + (key,)), f"unknown field {key!r}{did_you_mean(key, _ENTRY_FIELDS)}; an example has {', '.join(_ENTRY_FIELDS)}")
            ok = False
    for key in _ENTRY_FIELDS:
        if key not in item:
            errs.add(pos.of_value(at), f"an example needs {key!r}")
            ok = False
    folder = item.get("folder")
    examples_dir = root / GALLERY_FILE.parent
    if "folder" in item:
        if not isinstance(folder, str) or not _FOLDER.match(folder):
            errs.add(pos.of_value(at + ("folder",)), f"'folder' is the name of a folder below examples/, a slug such as 'online-boutique'; got {folder!r}")
            ok = False
        elif not (examples_dir / folder / "arch").is_dir():
            there = sorted(p.name for p in examples_dir.iterdir() if (p / "arch").is_dir()) if examples_dir.is_dir() else []
            errs.add(
                pos.of_value(at + ("folder",)),
                f"no example folder {folder!r} with an arch/ folder below {GALLERY_FILE.parent.as_posix()}/{did_you_mean(folder, there)}",
            )
            ok = False
    source = item.get("source")
    title = url = ""
    if "source" in item:
        if not isinstance(source, dict):
            errs.add(pos.of_value(at + ("source",)), "'source' is a mapping with 'title' and 'url'")
            ok = False
        else:
            for key in source:
                if key not in _SOURCE_FIELDS:
                    errs.add(pos.of_key(at + ("source", key)), f"unknown field {key!r}{did_you_mean(key, _SOURCE_FIELDS)}; a source has title and url")
                    ok = False
            title, url = source.get("title"), source.get("url")
            if not isinstance(title, str) or not title.strip():
                errs.add(pos.of_value(at + ("source", "title") if "title" in source else at + ("source",)), "the source needs a 'title': the name of the public description")
                ok = False
            if not isinstance(url, str) or not _URL.match(url):
                errs.add(
                    pos.of_value(at + ("source", "url") if "url" in source else at + ("source",)),
                    f"the source needs a 'url' starting with https:// or http://, without spaces, quotes or brackets; got {url!r}",
                )
                ok = False
    shows = item.get("shows")
    if "shows" in item and (not isinstance(shows, list) or not shows or not all(isinstance(s, str) and s.strip() for s in shows)):
        errs.add(pos.of_value(at + ("shows",)), "'shows' is a non-empty list of short texts: what the example demonstrates")
        ok = False
    if not ok:
        return None
    return Example(folder=folder, source_title=title, source_url=url, shows=tuple(shows))


@dataclass(frozen=True)
class LoadedExample:
    """An example read from disk: its models and ADRs, not yet checked or drawn."""

    example: Example
    models: list[Model]
    decisions: list[Any]


def load_gallery(root: Path) -> list[LoadedExample] | None:
    """The manifest and every example's models and ADRs; None with no manifest. The
    problems of the manifest and of every example are reported at once."""
    from archgen.decisions.adr import load_decisions
    from archgen.sources.loader import load_models

    examples = read_manifest(root)
    if examples is None:
        return None
    loaded: list[LoadedExample] = []
    errors: list[ModelError] = []
    for example in examples:
        base = root / GALLERY_FILE.parent / example.folder
        try:
            loaded.append(LoadedExample(example, load_models((), root=base), load_decisions(base)))
        except ModelErrors as exc:
            errors.extend(exc.errors)
    if errors:
        raise ModelErrors(errors)
    return loaded


def gallery_entries(root: Path, loaded: list[LoadedExample], jobs: int | None = None) -> list[GalleryEntry]:
    """Check every model of every example and draw its overview (through the render
    cache of ``root``)."""
    from archgen.generators import draw, views
    from archgen.rules import run_rules

    pool = draw.dot_pool(jobs)
    try:
        pending = []
        for item in loaded:
            drawn = []
            for model in item.models:
                findings = run_rules(model, item.decisions, models=item.models)
                spec = next(iter(views.iter_views(model, findings)))  # the overview (the group overview of a large model)
                rendering = draw.start_render([spec], formats=("svg",), cache_dir=root / ".archgen" / "cache" / "diagrams", pool=pool)
                drawn.append((model, findings, f"{spec.name}.svg", rendering))
            pending.append((item.example, drawn))
        return [
            GalleryEntry(example, [GalleryModel(m, f, name, r.result()[name]) for m, f, name, r in drawn])
            for example, drawn in pending
        ]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def image_path(folder: str, model_name: str, overview_name: str) -> str:
    """Where an example's overview goes, relative to the gallery page."""
    return f"{folder}/{model_name}-{overview_name}"


def gallery_pages(entries: list[GalleryEntry]) -> dict[str, bytes | str]:
    """``gallery/index.md`` and the overview diagrams beside it."""
    from archgen.site.pages import _count_text

    files: dict[str, bytes | str] = {}
    rows = []
    for entry in entries:
        ex = entry.example
        models = []
        for gm in entry.models:
            rel = image_path(ex.folder, gm.model.name, gm.overview_name)
            files[f"gallery/{rel}"] = gm.overview
            models.append(
                {
                    "name": gm.model.name,
                    "title": gm.model.display_name,
                    "description": gm.model.description or "",
                    "file": gm.model.file,
                    "provider": gm.model.provider,
                    "components": len(gm.model.components),
                    "flows": len(gm.model.flows),
                    "counts": Trusted(_count_text(gm.findings)),
                    "rules": sorted({f.rule for f in gm.findings if not f.accepted}),
                    "image": Trusted(rel),
                }
            )
        rows.append(
            {
                "folder": ex.folder,
                "source_title": ex.source_title,
                "source_url": Trusted(ex.source_url),  # checked by read_manifest: http(s), nothing that ends a link
                "shows": list(ex.shows),
                "models": models,
            }
        )
    files[GALLERY_PAGE] = render_markdown("site/gallery.md.j2", examples=rows, manifest=GALLERY_FILE.as_posix())
    return files
