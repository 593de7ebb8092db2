"""Every output format of every command, in one registry.

A command asks here for its ``--format`` choices, its default and its renderer, instead
of keeping a literal ``choices=`` and an if-chain; adding a format is one entry here and
one function where the output is made::

    add_format_option(parser, "findings")          # --format text|json|sarif
    render("findings", args.format, results, site_url=url)

Renderers are named by import path (``module:function``) and imported only when one is
used, so building the parser for ``archgen --help`` imports none of them, and this module
imports nothing of the pipeline: the command, which may import everything, is the caller.
Each renderer takes the output's subject (findings, a comparison, a diff...) and the keyword
options it declares; options a format does not declare are not passed to it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any


@dataclass(frozen=True)
class Format:
    """One output format of one output: its name, what it is for, and who renders it."""

    name: str
    summary: str
    #: ``package.module:function`` returning the output as a string; None when the
    #: format is made by an external tool (Graphviz draws svg, png and dot itself).
    renderer: str | None = None
    #: Keyword options the renderer accepts (``site_url``, ``mermaid``...).
    options: tuple[str, ...] = ()
    #: The file name's ending when the output is written as a file (``.c4``, ``.otm.json``).
    suffix: str = ""

    def load(self) -> Callable[..., str]:
        if self.renderer is None:
            raise LookupError(f"format {self.name!r} has no renderer of archgen's own")
        module, _, function = self.renderer.partition(":")
        return getattr(import_module(module), function)


#: output -> its formats, the first one the default. An output is what a command prints
#: (several commands may print the same output: ``check`` and the site both print findings).
OUTPUTS: dict[str, tuple[Format, ...]] = {
    "findings": (
        Format("text", "FILE:LINE:COLUMN: severity: RULE message", "archgen.rendering.report:render_text", options=("verbosity", "style")),
        Format("json", "the finding JSON of MODEL.md", "archgen.rendering.report:render_json"),
        Format("sarif", "SARIF 2.1.0, for code scanning", "archgen.rendering.report:render_sarif", options=("site_url",)),
    ),
    "drift": (
        Format("text", "FILE:LINE:COLUMN: severity: DRIFT-... message", "archgen.rendering.report:render_text", options=("verbosity", "style")),
        Format("json", "the finding JSON of MODEL.md, each with the resource it is about", "archgen.drift.report:render_json"),
        Format("sarif", "SARIF 2.1.0, for code scanning (the drift rules described)", "archgen.drift.report:render_sarif", options=("site_url",)),
    ),
    "comparison": (
        Format("text", "a table a provider", "archgen.generators.compare:text_document"),
        Format("markdown", "the comparison page of the site", "archgen.generators.compare:markdown_document"),
        Format("json", "every figure, sorted keys", "archgen.generators.compare:json_document"),
    ),
    "diff": (
        Format("text", "a summary for the terminal", "archgen.generators.diff:render_text"),
        Format("markdown", "the pull-request comment", "archgen.generators.diff:render_markdown", options=("diagram_href", "mermaid")),
        Format("json", "every change, sorted keys", "archgen.generators.diff:render_json"),
    ),
    "rules": (
        Format("text", "one rule a line, or one rule explained", "archgen.rendering.listings:rules_text", options=("explain",)),
        Format("json", "id, title, category, severity, remediation, doc", "archgen.rendering.listings:rules_json", options=("explain",)),
    ),
    "decisions": (
        Format("text", "one ADR a line", "archgen.rendering.listings:decisions_text"),
        Format("json", "each ADR's front matter", "archgen.rendering.listings:decisions_json"),
    ),
    "drafts": (
        Format("text", "one draft a line", "archgen.rendering.listings:drafts_text"),
        Format("json", "each draft's topic, components and choice", "archgen.rendering.listings:drafts_json"),
    ),
    "export": (
        Format("mermaid", "a Mermaid flowchart (GitHub Markdown renders it)", "archgen.generators.export.mermaid:flowchart", suffix=".mmd"),
        Format("mermaid-architecture", "a Mermaid architecture-beta diagram", "archgen.generators.export.mermaid:architecture", suffix=".architecture.mmd"),
        Format("likec4", "a LikeC4 .c4 file: specification, model, views", "archgen.generators.export.likec4:render", suffix=".c4"),
        Format("structurizr", "a Structurizr DSL workspace: model, context, container, deployment views", "archgen.generators.export.structurizr:dsl", suffix=".dsl"),
        Format("structurizr-json", "a Structurizr JSON workspace", "archgen.generators.export.structurizr:workspace_json", suffix=".structurizr.json"),
        Format("backstage", "Backstage catalog entities (System, Component, Resource, API)", "archgen.generators.export.backstage:render", suffix=".catalog-info.yaml"),
        Format("otm", "Open Threat Model JSON: trust zones, components, data flows, threats", "archgen.generators.export.otm:render", options=("findings",), suffix=".otm.json"),
        Format("drawio", "a diagrams.net file with archgen's layout and icons", "archgen.generators.export.drawio:render", options=("layout",), suffix=".drawio"),
    ),
    "diagram": (
        Format("svg", "vector, icons embedded"),
        Format("png", "raster"),
        Format("dot", "the Graphviz source"),
        Format("json", "Graphviz's layout: every position and size, for other tools"),
    ),
}


def formats(output: str) -> tuple[Format, ...]:
    return OUTPUTS[output]


def names(output: str) -> tuple[str, ...]:
    """The format names of an output, the default first."""
    return tuple(f.name for f in OUTPUTS[output])


def get(output: str, name: str) -> Format:
    for fmt in OUTPUTS[output]:
        if fmt.name == name:
            return fmt
    raise LookupError(f"{output} has no format {name!r}; one of {', '.join(names(output))}")


def add_format_option(parser: argparse.ArgumentParser, output: str, *, help: str | None = None) -> None:
    """``--format`` with the output's formats as choices and its first as the default."""
    choices = names(output)
    parser.add_argument(
        "--format",
        choices=choices,
        default=choices[0],
        help=help or f"output format: {', '.join(choices)} (default: {choices[0]})",
    )


def render(output: str, name: str, subject: Any, **options: Any) -> str:
    """Render ``subject`` as format ``name`` of ``output``, passing the options it takes."""
    fmt = get(output, name)
    text = fmt.load()(subject, **{k: v for k, v in options.items() if k in fmt.options})
    if name not in ("text", "markdown"):
        return text  # JSON and SARIF escape control characters; other formats have their own rules
    # text a terminal may show: no control character of a model or an ADR moves the
    # cursor, clears the screen or fakes a result, whichever renderer wrote it
    from archgen.rendering.textutil import terminal_text

    return terminal_text(text, colours=bool(getattr(options.get("style"), "enabled", False)) and "style" in fmt.options)
