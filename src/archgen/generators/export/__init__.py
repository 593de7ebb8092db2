"""Exports: one model in the formats other tools read (docs/interop.md).

One module per target, each a pure function ``render(model, **options) -> str``
registered in :data:`archgen.rendering.formats.OUTPUTS` under ``"export"``:

``mermaid``      a flowchart and an architecture-beta diagram (GitHub Markdown renders both)
``likec4``       a ``.c4`` file: specification of element kinds, model, views
``structurizr``  a DSL workspace (and the JSON workspace): model, context, container and
                 deployment views; :mod:`archgen.sources.structurizr` reads both back
``backstage``    catalog entities: a System, Components, Resources and APIs
``otm``          the Open Threat Model: trust zones, components, data flows, threats
``drawio``       a diagrams.net file with the overview's Graphviz layout and icons

Every export is deterministic (sorted, no timestamps, ids pinned to component ids) and
escapes model text for its language; what each format cannot say is listed in
docs/interop.md. :func:`export_files` gives every export of a model at once, for the site.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from archgen.model import Model

__all__ = ["export_files", "file_name"]


def file_name(model: Model, fmt: str) -> str:
    """The file an export of ``model`` is written to: ``<model name><format suffix>``."""
    from archgen.rendering import formats

    return f"{model.name}{formats.get('export', fmt).suffix}"


def export_files(model: Model, findings: Any = None, only: tuple[str, ...] | None = None) -> dict[str, str]:
    """``{file name: text}`` of every export format of ``model`` (or those in ``only``)."""
    from archgen.rendering import formats

    out = {}
    for fmt in formats.formats("export"):
        if only is not None and fmt.name not in only:
            continue
        out[file_name(model, fmt.name)] = formats.render("export", fmt.name, model, findings=findings)
    return out
