"""The ADR record: what one ``decisions/NNNN-slug.md`` says, and its file format's names.

A :class:`Decision` is plain, immutable data; reading and writing files is
:mod:`archgen.decisions.store`, the relations with models are
:mod:`archgen.decisions.checks`, pages are :mod:`archgen.decisions.render`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from archgen.errors import Location, UsageError

__all__ = [
    "ALIASES",
    "COMPONENT_REF_RE",
    "DECISIONS_DIR",
    "FENCE_RE",
    "FIELDS",
    "FILE_RE",
    "H1_RE",
    "INACTIVE_STATUSES",
    "LIST_FIELDS",
    "MAX_ADR_BYTES",
    "REF_RE",
    "STATUSES",
    "Decision",
    "accepted_with_tag",
    "adr_id",
    "find",
    "parse_ref",
    "split_component_ref",
]

DECISIONS_DIR = "decisions"

#: The statuses of MADR, in the order a decision usually goes through them.
STATUSES: tuple[str, ...] = ("proposed", "accepted", "rejected", "deprecated", "superseded")
#: Statuses that mean "this decision no longer holds": a component should not point at it.
INACTIVE_STATUSES = frozenset({"rejected", "deprecated", "superseded"})

#: Front-matter fields, in the order archgen writes them. ``decision-makers`` (MADR 4)
#: is read as ``deciders``.
FIELDS: tuple[str, ...] = (
    "status",
    "date",
    "deciders",
    "consulted",
    "informed",
    "components",
    "supersedes",
    "superseded-by",
    "tags",
)
ALIASES = {"decision-makers": "deciders"}
LIST_FIELDS = ("deciders", "consulted", "informed", "components", "supersedes", "superseded-by", "tags")

#: ``0003-use-sagemaker.md``: four digits, a lowercase slug.
FILE_RE = re.compile(r"^(\d{4})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md\Z")
REF_RE = re.compile(r"^(?:ADR[-_ ]?)?0*(\d{1,4})\Z", re.IGNORECASE)
COMPONENT_REF_RE = re.compile(r"^(?:([a-z0-9]+(?:-[a-z0-9]+)*)/)?([a-z][a-z0-9_-]{0,62})\Z")
#: The body's first-level title, and the fence of a code block (its backticks or tildes).
H1_RE = re.compile(r"^#\s+(.+?)\s*#*\s*$")
FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")

MAX_ADR_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Decision:
    """One ADR as read from ``decisions/NNNN-slug.md``."""

    number: int
    slug: str
    title: str
    status: str
    date: str
    path: str
    body: str = ""
    deciders: list[str] = field(default_factory=list)
    consulted: list[str] = field(default_factory=list)
    informed: list[str] = field(default_factory=list)
    components: list[str] = field(default_factory=list)
    supersedes: list[str] = field(default_factory=list)
    superseded_by: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    #: where the front matter starts (line 1 of the file)
    loc: Location = field(default_factory=lambda: Location("<adr>", 1, 1))
    #: where each front-matter field's value stands, by field name as written in YAML
    field_locs: Mapping[str, Location] = field(default_factory=dict, compare=False, hash=False)
    #: the whole file as read, for rewriting fields in place
    text: str = field(default="", repr=False, compare=False, hash=False)

    @property
    def id(self) -> str:
        return adr_id(self.number)

    @property
    def path_name(self) -> str:
        """The file name without ``.md``: ``0003-use-sagemaker``."""
        return f"{self.number:04d}-{self.slug}"

    @property
    def file_name(self) -> str:
        return f"{self.path_name}.md"

    def loc_of(self, name: str) -> Location:
        """Where a front-matter field stands (the front matter itself when not written)."""
        return self.field_locs.get(name, self.loc)

    @property
    def active(self) -> bool:
        """Whether the decision still holds (proposed or accepted)."""
        return self.status not in INACTIVE_STATUSES

    def sort_key(self) -> tuple[int, str]:
        return (self.number, self.path)


def adr_id(number: int) -> str:
    """``ADR-0003`` for 3."""
    return f"ADR-{number:04d}"


def parse_ref(text: str | int) -> int:
    """The number of an ADR reference: ``3``, ``0003``, ``ADR-0003``, ``adr-3``; UsageError otherwise."""
    match = REF_RE.match(str(text).strip())
    if not match or int(match.group(1)) == 0:
        raise UsageError(f"{str(text)!r} is not an ADR number (use 3, 0003 or ADR-0003)")
    return int(match.group(1))


def find(decisions: Iterable[Decision], ref: str | int) -> Decision:
    """The ADR a reference names; UsageError when there is none or several."""
    number = parse_ref(ref)
    found = [d for d in decisions if d.number == number]
    if not found:
        raise UsageError(f"no {adr_id(number)} in {DECISIONS_DIR}/ ('archgen adr list' shows the ADRs)")
    if len(found) > 1:
        raise UsageError(
            f"{adr_id(number)} is used by several files ({', '.join(d.path for d in found)}); "
            "renumber one of them first"
        )
    return found[0]


def accepted_with_tag(decisions: Iterable[Decision], tag: str) -> list[Decision]:
    """Accepted ADRs carrying ``tag`` (e.g. ``security-review``), by number."""
    return sorted((d for d in decisions if d.status == "accepted" and tag in d.tags), key=Decision.sort_key)


def split_component_ref(ref: str) -> tuple[str | None, str]:
    """``("ml-serving", "api")`` for ``ml-serving/api``; ``(None, "api")`` for ``api``."""
    model_name, _, cid = ref.rpartition("/")
    return (model_name or None, cid)
