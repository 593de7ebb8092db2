"""Architecture decision records: read, check, write and link the ADRs of ``decisions/``.

An ADR is a MADR-shaped Markdown file named ``NNNN-slug.md`` that opens with YAML
front matter::

    ---
    status: accepted            # proposed | accepted | rejected | deprecated | superseded
    date: 2026-11-20            # YYYY-MM-DD, when the decision was last changed
    deciders: [Ana, Ben]
    components: [api]           # component ids; `model-name/id` in a repository of several models
    supersedes: []              # ADR ids, e.g. [ADR-0002]
    superseded-by: []
    tags: [platform]
    ---

    # Run the FastAPI backend on ECS Fargate
    ...

This module is the public face of :mod:`archgen.decisions`; the work is done by

- :mod:`~archgen.decisions.records`: the :class:`Decision` record and the file format's names;
- :mod:`~archgen.decisions.store`: reading (positioned), numbering, and the text of
  new ADRs and of front-matter edits (status, supersede);
- :mod:`~archgen.decisions.checks`: what the ``MODEL-ADR-*`` rules and the site ask
  about ADRs and models together (component references, links);
- :mod:`~archgen.decisions.render`: the site's index and pages;
- :mod:`~archgen.decisions.text`: the escaping of titles and front-matter scalars.
"""

from __future__ import annotations

from archgen.decisions.checks import concerning, links, qualify, resolve_component
from archgen.decisions.records import (
    DECISIONS_DIR,
    FIELDS,
    FILE_RE,
    INACTIVE_STATUSES,
    MAX_ADR_BYTES,
    STATUSES,
    Decision,
    accepted_with_tag,
    adr_id,
    find,
    parse_ref,
    split_component_ref,
)
from archgen.decisions.render import page_name, render_index, render_page, safe_markdown, strip_title, template_env
from archgen.decisions.store import (
    first_adr,
    load_decisions,
    new_text,
    next_number,
    parse_decision,
    set_fields,
    slugify,
    valid_date,
)
from archgen.decisions.text import md_title, yaml_flow_list, yaml_scalar

__all__ = [
    "DECISIONS_DIR",
    "FIELDS",
    "FILE_RE",
    "INACTIVE_STATUSES",
    "MAX_ADR_BYTES",
    "STATUSES",
    "Decision",
    "accepted_with_tag",
    "adr_id",
    "concerning",
    "find",
    "first_adr",
    "links",
    "load_decisions",
    "md_title",
    "new_text",
    "next_number",
    "page_name",
    "parse_decision",
    "parse_ref",
    "qualify",
    "render_index",
    "render_page",
    "resolve_component",
    "safe_markdown",
    "set_fields",
    "slugify",
    "split_component_ref",
    "strip_title",
    "template_env",
    "valid_date",
    "yaml_flow_list",
    "yaml_scalar",
]
