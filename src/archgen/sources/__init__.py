"""Sources: models and ADRs read from a folder or a git revision, every element positioned.

- :mod:`archgen.sources.yamlpos`: the positioned YAML reader (models and ADR front matter);
- :mod:`archgen.sources.loader`: YAML -> validated :class:`archgen.model.Model`;
- :mod:`archgen.sources.git`: a revision's tree and blobs, read without a checkout;
- :mod:`archgen.sources.repository`: one side's models and ADRs as a :class:`Bundle`,
  from the working tree (:func:`read_repository`) or a revision (:func:`read_revision`).
"""

from archgen.sources.repository import Bundle, Layout, layout, read_repository, read_revision

__all__ = ["Bundle", "Layout", "layout", "read_repository", "read_revision"]
