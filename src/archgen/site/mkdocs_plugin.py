"""An MkDocs plugin: include archgen's pages in an existing MkDocs site.

```yaml
# mkdocs.yml of an existing site
plugins:
  - search
  - archgen:
      root: .             # the architecture repository (arch/ and decisions/)
      prefix: architecture  # where archgen's pages go inside the site
nav:                      # optional; without it MkDocs lists every page itself
  - Home: index.md
  - Architecture: archgen:pages   # expands to archgen's section (models, decisions, rules, schema)
  - Guide: guide.md
```

- With an explicit ``nav:``, the entry whose value is ``archgen:pages`` (the
  :data:`PLACEHOLDER`) becomes archgen's navigation: under its title as a section
  (``- Architecture: archgen:pages``), or spliced in at that level (``- archgen:pages``).
  A ``nav:`` without it leaves archgen's pages out of the navigation (they are still
  built and linked from archgen's home page), and says so in MkDocs' log.
- Under ``mkdocs serve``, the models (``arch/``) and the ADRs (``decisions/``) are watched
  with the docs: editing one rebuilds the site and reloads the open page.
- Pages the site already has are never replaced. A model that cannot be read stops the
  build with its FILE:LINE:COLUMN messages.
- The HTML of each ADR page archgen adds is cleaned after every other plugin
  (:class:`CleanPages`, :func:`archgen.decisions.html.clean`): an ADR body is written
  by any contributor, and no script, event handler or ``javascript:`` link of it is
  published.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

#: The ``nav:`` value that expands to archgen's pages.
PLACEHOLDER = "archgen:pages"

log = logging.getLogger("mkdocs.plugins.archgen")


class ArchgenPluginConfig(Config):
    root = c.Type(str, default=".")
    prefix = c.Type(str, default="architecture")


def expand_nav(nav: list[Any], section: list[Any]) -> tuple[list[Any], int]:
    """``nav`` with every :data:`PLACEHOLDER` entry replaced by ``section``; and how many there were."""
    out: list[Any] = []
    found = 0
    for item in nav:
        if item == PLACEHOLDER:
            out.extend(section)
            found += 1
        elif isinstance(item, dict) and len(item) == 1:
            (title, value), = item.items()
            if value == PLACEHOLDER:
                out.append({title: section})
                found += 1
            elif isinstance(value, list):
                inner, n = expand_nav(value, section)
                out.append({title: inner})
                found += n
            else:
                out.append(item)
        else:
            out.append(item)
    return out, found


def _prefixed(nav: list[Any], prefix: str) -> list[Any]:
    out: list[Any] = []
    for item in nav:
        (title, value), = item.items()
        out.append({title: _prefixed(value, prefix) if isinstance(value, list) else f"{prefix}{value}"})
    return out


class CleanPages(BasePlugin):
    """Cleans the HTML of the pages it is given (docs-relative paths: the ADR pages)
    once Markdown and every other plugin are done with them."""

    def __init__(self, pages: set[str] | frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.pages = set(pages)

    def on_env(self, env: Any, config: Any, files: Any) -> Any:
        """The theme's templates compiled once per process, not once per build (``archgen serve``)."""
        from archgen.rendering.templating import share_compiled

        share_compiled(env)
        return env

    @event_priority(-100)
    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        if page.file.src_uri not in self.pages:
            return html
        from archgen.decisions.html import clean

        return clean(html)


class ArchgenPlugin(BasePlugin[ArchgenPluginConfig]):
    def __init__(self) -> None:
        self._pages: dict[str, bytes | str] = {}
        self._adr_pages: set[str] = set()
        self._clean = CleanPages()

    def _root(self, config: Any) -> Path:
        root = Path(self.config.root)
        if not root.is_absolute():
            root = Path(config["config_file_path"] or ".").parent / root
        return root

    def _prefix(self) -> str:
        prefix = self.config.prefix.strip("/")
        return f"{prefix}/" if prefix else ""

    def on_config(self, config: Any) -> Any:
        from archgen.decisions.adr import load_decisions
        from archgen.errors import ArchgenError, ModelErrors
        from archgen.site.build import _Progress, adr_pages, generate_bundles, generated_pages
        from archgen.site.pages import nav
        from archgen.sources.loader import load_models

        root = self._root(config)
        try:
            models = load_models((), root=root)
            decisions = load_decisions(root)
            bundles = generate_bundles(models, decisions, root, _Progress(quiet=True))
        except ModelErrors as exc:
            raise PluginError("archgen: the model has problems:\n" + "\n".join(str(e) for e in exc.errors)) from None
        except ArchgenError as exc:
            raise PluginError(f"archgen: {exc}") from None
        self._pages = generated_pages(bundles, decisions, directory_urls=config.get("use_directory_urls", True) is not False)
        self._adr_pages = adr_pages(decisions)
        from archgen.site.mdescapes import CommonMarkEscapes

        config["markdown_extensions"].append(CommonMarkEscapes())  # ADRs escape \$ and \~ as GitHub reads them
        if config.get("nav"):
            section = _prefixed(nav(bundles, "index.md", decisions=True), self._prefix())
            config["nav"], found = expand_nav(config["nav"], section)
            if not found:
                log.info(
                    "archgen: nav has no '%s' entry: archgen's pages are built but not in the navigation "
                    "(add e.g. '- Architecture: %s')",
                    PLACEHOLDER,
                    PLACEHOLDER,
                )
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        prefix = self._prefix()
        for rel, content in sorted(self._pages.items()):
            path = f"{prefix}{rel}"
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=content))
                if rel in self._adr_pages:
                    self._clean.pages.add(path)
        return files

    @event_priority(-100)
    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        return self._clean.on_page_content(html, page, config, files)

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        root = self._root(config)
        for folder in ("arch", "decisions"):
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        return server
