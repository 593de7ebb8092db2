"""The MkDocs ``hooks:`` file archgen names in the configuration it writes: MkDocs loads
it by path as a module of its own, so it hands each event to
:mod:`archgen.site.page_cache`, where the state of the run lives."""

from archgen.site.page_cache import on_files, on_page_content, on_page_markdown, on_post_build

__all__ = ["on_files", "on_page_content", "on_page_markdown", "on_post_build"]
