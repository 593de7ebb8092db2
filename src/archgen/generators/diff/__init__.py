"""What a change does to the architecture: the semantic diff of two versions of the models.

:func:`diff_models` compares a *base* and a *head* list of models (and their ADRs) and
returns a :class:`Diff`, plain data:

- models are matched by ``name``; components by id, compared field by field on their
  *effective* values (``public`` as the kind's default when not written, ``service`` as
  the provider's default when not named), with secret-looking ``env`` values redacted
  through :func:`archgen.graph.secretscan.redacted_env` before any value is kept;
- flows are matched by ``(from, to, label)``; a flow whose data classes or ``tls``
  changed is *changed*, a relabelled flow is one removed and one added;
- findings (the rules run on each side) are matched by ``Finding.match_key``
  (rule, component): *introduced*, *resolved*, or *changed* (the same finding with
  another severity or acceptance);
- per provider, the lock-in score and the indicative monthly estimate before and after
  (from :mod:`archgen.generators.compare`);
- ADRs added, removed, or with a new status;
- given the drift findings of each side against a plan or state (:func:`drift_report`),
  the drift that is new, resolved or still there.

:func:`render_markdown` (sized for a pull-request comment), :func:`render_json` and
:func:`render_text` turn a diff into text; :mod:`archgen.generators.diffdraw` draws it.
Nothing here reads files or writes them.

The package: :mod:`.records` (the data types), :mod:`.compute` (computing the diff),
:mod:`.summary` (words and numbers the renderers share), and one module per output:
:mod:`.text`, :mod:`.markdown` (from the template ``diff.md.j2``), :mod:`.jsondoc`.
"""

from archgen.generators.diff.compute import diff_models, drift_report
from archgen.generators.diff.jsondoc import render_json
from archgen.generators.diff.markdown import COMMENT_LIMIT, render_markdown
from archgen.generators.diff import records
from archgen.generators.diff.records import *  # noqa: F403 - the data types are the package's API
from archgen.generators.diff.summary import VALUE_WIDTH, value_text
from archgen.generators.diff.text import render_text

__all__ = [  # noqa: F405
    "COMMENT_LIMIT",
    "VALUE_WIDTH",
    "diff_models",
    "drift_report",
    "render_json",
    "render_markdown",
    "render_text",
    "value_text",
    *records.__all__,
]
