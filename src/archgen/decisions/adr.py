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

Reading (:func:`load_decisions`) keeps the position of every front-matter field so
that problems point at FILE:LINE:COLUMN; a file that cannot be read raises
:class:`~archgen.errors.ModelErrors`. What is wrong in a readable ADR (an unknown
status, a missing successor, a component that does not exist) is left to the
``MODEL-ADR-*`` rules, which ``archgen check`` runs. Writing (:func:`new_text`,
:func:`set_fields`) returns text; the caller hands it to :mod:`archgen.writer`.

Both directions of the links between components and ADRs come from
:func:`links`; :func:`render_index` and :func:`render_page` give the site's Markdown.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from archgen.errors import Location, ModelError, ModelErrors, UsageError

if TYPE_CHECKING:
    from jinja2 import Environment

    from archgen.model import Model

__all__ = [
    "DECISIONS_DIR",
    "STATUSES",
    "Decision",
    "accepted_with_tag",
    "adr_id",
    "find",
    "first_adr",
    "links",
    "load_decisions",
    "new_text",
    "next_number",
    "page_name",
    "parse_decision",
    "parse_ref",
    "render_index",
    "render_page",
    "resolve_component",
    "set_fields",
    "slugify",
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
_ALIASES = {"decision-makers": "deciders"}
_LIST_FIELDS = ("deciders", "consulted", "informed", "components", "supersedes", "superseded-by", "tags")

#: ``0003-use-sagemaker.md``: four digits, a lowercase slug.
FILE_RE = re.compile(r"^(\d{4})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
#: Names that look like an ADR but do not follow ``NNNN-slug.md`` (reported, not skipped).
_ADR_LIKE_RE = re.compile(r"^\d+[-_ ].*\.md$", re.IGNORECASE)
_REF_RE = re.compile(r"^(?:ADR[-_ ]?)?0*(\d{1,4})$", re.IGNORECASE)
_ID_RE = re.compile(r"^ADR-\d{4}$")
_COMPONENT_REF_RE = re.compile(r"^(?:([a-z0-9]+(?:-[a-z0-9]+)*)/)?([a-z][a-z0-9_-]{0,62})$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TAG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")
_H1_RE = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")

MAX_ADR_BYTES = 1024 * 1024


# ---------------------------------------------------------------------------
# the record


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
    match = _REF_RE.match(str(text).strip())
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


def resolve_component(ref: str, models: Sequence[Model]) -> tuple[str, str] | None:
    """``(model name, component id)`` a component reference of an ADR names, or None.

    ``api`` names a component of any model (the first by model name when several
    have it); ``ml-serving/api`` names one of that model.
    """
    match = _COMPONENT_REF_RE.match(ref)
    if not match:
        return None
    model_name, cid = match.groups()
    for m in sorted(models, key=lambda m: m.name):
        if (model_name is None or model_name == m.name) and cid in m.components:
            return (m.name, cid)
    return None


def concerning(decisions: Iterable[Decision], model: Model, models: Sequence[Model] | None = None) -> list[Decision]:
    """The ADRs whose own problems ``archgen check`` reports with ``model``.

    An ADR concerns a model when the model (or one of its components) refers to it,
    or when it lists one of the model's components. An ADR that lists components
    of another model only (``other-model/id``) is left to that model. An ADR that
    names no model at all (no components, no references) concerns every model; when
    ``models`` (all models of the run) is given it is reported with the first model
    by name only, so that it is reported once.
    """
    models = list(models or [model])
    names = {m.name for m in models}
    out = []
    for d in decisions:
        if _refers(model, d.id) or _lists_component_of(d, model):
            out.append(d)
            continue
        if any(_refers(m, d.id) or _lists_component_of(d, m) for m in models if m.name != model.name):
            continue
        if any(split_component_ref(ref)[0] not in (None, model.name) for ref in d.components):
            continue  # about another system (``other-model/id``)
        if model.name == min(names):
            out.append(d)
    return sorted(out, key=Decision.sort_key)


def _refers(model: Model, ref: str) -> bool:
    return ref in model.decisions or any(ref in c.decisions for c in model.components.values())


def _lists_component_of(decision: Decision, model: Model) -> bool:
    for ref in decision.components:
        model_name, cid = split_component_ref(ref)
        if model_name == model.name or (model_name is None and cid in model.components):
            return True
    return False


def split_component_ref(ref: str) -> tuple[str | None, str]:
    """``("ml-serving", "api")`` for ``ml-serving/api``; ``(None, "api")`` for ``api``."""
    model_name, _, cid = ref.rpartition("/")
    return (model_name or None, cid)


# ---------------------------------------------------------------------------
# reading


def _split(text: str, file: str) -> tuple[str, str]:
    """(front matter, body): the front matter with its opening line blanked, so that it
    keeps its offsets in the file and YAML marks are file positions (line, column, index).
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        raise ModelError(
            Location(file, 1, 1),
            "an ADR starts with YAML front matter: a line '---', fields such as 'status: proposed' "
            "and 'date: YYYY-MM-DD', and a closing '---'",
        )
    first = lines[0]
    content = first.rstrip("\r\n")
    blanked = " " * len(content) + first[len(content) :]
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return blanked + "".join(lines[1:i]), "".join(lines[i + 1 :])
    raise ModelError(Location(file, 1, 1), "the front matter opened on line 1 is never closed with a line '---'")


def _as_list(value: Any, name: str, loc: Location, errors: list[ModelError], split: bool = True) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = str(value)
        if not split:
            return [text] if text.strip() else []
        return [part.strip() for part in re.split(r",", text) if part.strip()]
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, (str, int, float)) and not isinstance(item, bool):
                if str(item).strip():
                    out.append(str(item).strip())
            else:
                errors.append(ModelError(loc, f"'{name}' must be a list of plain values"))
                return []
        return out
    errors.append(ModelError(loc, f"'{name}' must be a list, e.g. {name}: [a, b]"))
    return []


def _unescape_md(text: str) -> str:
    """Undo the escaping :func:`archgen.rendering.textutil.md_text` applies, for titles read back."""
    text = re.sub(r"\\([\\`*_{}\[\]()#+!|<>&~$-])", r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&#124;", "|").replace("&amp;", "&")


_TITLE_SPECIAL = set("\\`*_[]{}#|~$")


def md_title(text: str) -> str:
    """A title for the H1 of an ADR file the team will edit: escapes only what Markdown
    would read as markup or raw HTML, so the source stays readable. Read back by
    :func:`parse_decision` to the same text."""
    out = []
    s = " ".join(str(text).split())
    for i, ch in enumerate(s):
        if ch in _TITLE_SPECIAL:
            out.append("\\" + ch)
        elif ch == "<":
            out.append("&lt;")
        elif ch == "&" and re.match(r"&(#?[A-Za-z0-9]+);", s[i:]):
            out.append("&amp;")
        else:
            out.append(ch)
    return "".join(out)


def _title(body: str, slug: str) -> str:
    in_fence = None
    for line in body.splitlines():
        fence = _FENCE_RE.match(line)
        if fence:
            marker = fence.group(1)[0]
            in_fence = None if in_fence == marker else (in_fence or marker)
            continue
        if in_fence:
            continue
        match = _H1_RE.match(line)
        if match:
            title = _unescape_md(match.group(1))
            return " ".join("".join(ch if ch.isprintable() else " " for ch in title).split())
    return slug.replace("-", " ").capitalize()


def parse_decision(text_or_bytes: str | bytes, file: str, name: str | None = None) -> Decision:
    """Parse one ADR; ``name`` is the file name (``NNNN-slug.md``, default: from ``file``).

    Raises :class:`ModelErrors` with every problem that makes the file unreadable.
    """
    from archgen.sources.yamlpos import Collector, Positions, check_expansion, compose, decode, did_you_mean, to_data

    name = name or Path(file).name
    match = FILE_RE.match(name)
    if not match:
        raise ModelErrors(
            [ModelError(Location(file), f"an ADR file is named NNNN-slug.md (four digits, a lowercase slug), not {name!r}")]
        )
    number, slug = int(match.group(1)), match.group(2)
    try:
        raw = text_or_bytes if isinstance(text_or_bytes, bytes) else text_or_bytes.encode("utf-8")
        if len(raw) > MAX_ADR_BYTES:
            raise ModelError(Location(file, 1, 1), f"the file is {len(raw):,} bytes; an ADR may be at most {MAX_ADR_BYTES:,}")
        text = decode(raw, file)
        front, body = _split(text, file)
        pos = Positions(file)
        root = compose(front, file)
        if root is not None:
            check_expansion(root, pos)
    except ModelError as err:
        raise ModelErrors([err]) from None
    if root is None:
        raise ModelErrors([ModelError(Location(file, 1, 1), "the front matter is empty: give at least 'status' and 'date'")])
    if not isinstance(root, yaml.MappingNode):
        raise ModelErrors([ModelError(pos.loc(root), "the front matter must be a mapping of fields such as 'status: proposed'")])
    collector = Collector()
    data = to_data(root, (), pos, collector)
    errors: list[ModelError] = list(collector.errors)
    if not isinstance(data, dict):  # pragma: no cover - a mapping node gives a dict
        data = {}
    values: dict[str, Any] = {}
    locs: dict[str, Location] = {}
    for key, value in data.items():
        canonical = _ALIASES.get(key, key)
        if canonical not in FIELDS:
            errors.append(
                ModelError(
                    pos.of_key((key,)),
                    f"unknown front-matter field '{key}'{did_you_mean(key, FIELDS)}; fields are: {', '.join(FIELDS)}",
                )
            )
            continue
        if canonical in values:
            errors.append(ModelError(pos.of_key((key,)), f"'{key}' repeats '{canonical}'"))
            continue
        values[canonical] = value
        locs[canonical] = pos.of_value((key,))
    front_loc = Location(file, 1, 1)

    status = values.get("status")
    if status is None:
        errors.append(ModelError(front_loc, f"missing field 'status' (one of: {', '.join(STATUSES)})"))
        status = ""
    elif not isinstance(status, str):
        errors.append(ModelError(locs["status"], f"'status' must be one word, one of: {', '.join(STATUSES)}"))
        status = ""
    status = status.strip().lower()

    date = values.get("date")
    if date is None:
        errors.append(ModelError(front_loc, "missing field 'date' (YYYY-MM-DD, when the decision was last changed)"))
        date = ""
    else:
        date = str(date).strip()
        if not _valid_date(date):
            errors.append(ModelError(locs["date"], f"'date' must be a date YYYY-MM-DD, got {date!r}"))

    lists: dict[str, list[str]] = {}
    for name_ in _LIST_FIELDS:
        loc = locs.get(name_, front_loc)
        lists[name_] = _as_list(values.get(name_), name_, loc, errors, split=True)
        if isinstance(values.get(name_), list):
            written = _key_as_written(data, name_)
            for i, item in enumerate(values[name_]):
                locs.setdefault(f"{name_}:{str(item).strip()}", pos.of_value((written, i)))

    for i, ref in enumerate(lists["components"]):
        if not _COMPONENT_REF_RE.match(ref):
            errors.append(
                ModelError(
                    pos.of_value((_key_as_written(data, "components"), i)) if isinstance(values.get("components"), list) else locs["components"],
                    f"component {ref!r} is not a component id (or model-name/id)",
                )
            )
    for name_ in ("supersedes", "superseded-by"):
        ids = []
        for i, ref in enumerate(lists[name_]):
            match_ = _REF_RE.match(ref)
            if not match_ or int(match_.group(1)) == 0:
                where = (
                    pos.of_value((_key_as_written(data, name_), i))
                    if isinstance(values.get(name_), list)
                    else locs.get(name_, front_loc)
                )
                errors.append(ModelError(where, f"{ref!r} in '{name_}' is not an ADR id like ADR-0002"))
                continue
            ids.append(adr_id(int(match_.group(1))))
        lists[name_] = sorted(set(ids))
    for i, tag in enumerate(lists["tags"]):
        if not _TAG_RE.match(tag):
            errors.append(ModelError(locs.get("tags", front_loc), f"tag {tag!r} must be one word (letters, digits, '-', '_', '.')"))
    if adr_id(number) in lists["supersedes"] or adr_id(number) in lists["superseded-by"]:
        errors.append(ModelError(locs.get("supersedes", front_loc), f"{adr_id(number)} cannot supersede itself"))
    if errors:
        raise ModelErrors(errors)
    return Decision(
        number=number,
        slug=slug,
        title=_title(body, slug),
        status=status,
        date=date,
        path=file,
        body=body,
        deciders=lists["deciders"],
        consulted=lists["consulted"],
        informed=lists["informed"],
        components=sorted(dict.fromkeys(lists["components"])),
        supersedes=lists["supersedes"],
        superseded_by=lists["superseded-by"],
        tags=sorted(dict.fromkeys(lists["tags"])),
        loc=front_loc,
        field_locs=locs,
        text=text,
    )


def _key_as_written(data: dict[str, Any], canonical: str) -> str:
    for key in data:
        if _ALIASES.get(key, key) == canonical:
            return key
    return canonical


def _valid_date(text: str) -> bool:
    if not _DATE_RE.match(text):
        return False
    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def load_decisions(root: str | os.PathLike[str] = ".") -> list[Decision]:
    """Every ADR of ``root/decisions/``, by number; [] when there is no such folder.

    Files that are not ``NNNN-slug.md`` (a README, an index, a template) are left
    alone, except names that start with a number, which are reported as misnamed.
    All problems of all files are raised together as :class:`ModelErrors`.
    """
    from archgen.sources.loader import display_path

    folder = Path(root) / DECISIONS_DIR
    if not folder.is_dir():
        return []
    base = Path(root).resolve()
    decisions: list[Decision] = []
    errors: list[ModelError] = []
    for path in sorted(folder.iterdir()):
        name = path.name
        if not path.is_file() or name.startswith("."):
            continue
        shown = display_path(path)
        if not FILE_RE.match(name):
            if _ADR_LIKE_RE.match(name):
                errors.append(
                    ModelError(
                        Location(shown),
                        f"an ADR file is named NNNN-slug.md (four digits, lowercase words joined by '-'), not {name!r}",
                    )
                )
            continue
        if path.is_symlink():
            try:
                path.resolve().relative_to(base)
            except ValueError:
                errors.append(ModelError(Location(shown), "a symbolic link that points outside the repository is refused"))
                continue
        try:
            with path.open("rb") as fh:
                raw = fh.read(MAX_ADR_BYTES + 1)
        except OSError as exc:
            errors.append(ModelError(Location(shown), f"cannot read: {exc.strerror or exc}"))
            continue
        try:
            decisions.append(parse_decision(raw, shown, name))
        except ModelErrors as exc:
            errors.extend(exc.errors)
    if errors:
        raise ModelErrors(errors)
    return sorted(decisions, key=Decision.sort_key)


# ---------------------------------------------------------------------------
# writing (text only: archgen.writer puts it on disk)


def slugify(title: str, limit: int = 60) -> str:
    """A file-name slug for a title: lowercase ASCII words joined by '-'."""
    ascii_ = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug or (words[0][:limit] if words else "decision")


def next_number(decisions: Iterable[Decision]) -> int:
    """One more than the highest number in use (gaps are not reused)."""
    return max((d.number for d in decisions), default=0) + 1


_PLAIN_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._/@+-]*$")
_YAML_WORDS = re.compile(r"^(?:y|n|yes|no|on|off|true|false|null|~)$", re.IGNORECASE)


def yaml_scalar(value: str) -> str:
    """A front-matter scalar: plain when YAML reads it back as the same string, else quoted."""
    from archgen.rendering.textutil import yaml_string

    text = str(value)
    if (
        _PLAIN_RE.match(text)
        and not text.endswith(" ")
        and not _YAML_WORDS.match(text)
        and not re.match(r"^[-+]?[0-9._]+$", text)
        and " #" not in text
        and not _looks_like_date(text)
    ):
        return text
    return yaml_string(text)


def _looks_like_date(text: str) -> bool:
    return bool(re.match(r"^\d{4}-\d{1,2}-\d{1,2}", text))


def yaml_flow_list(values: Iterable[str]) -> str:
    """``[a, "b c#"]``: a one-line YAML list."""
    return "[" + ", ".join(yaml_scalar(v) for v in values) + "]"


def _front_value(name: str, value: Any) -> str:
    if name == "date":
        return str(value)
    if isinstance(value, (list, tuple)):
        return yaml_flow_list(value)
    return yaml_scalar(value)


@lru_cache(maxsize=1)
def template_env() -> Environment:
    """Jinja environment for ADR and draft templates: strict, with per-language filters."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    from archgen.rendering.textutil import md_cell, md_code, md_text

    env = Environment(
        loader=PackageLoader("archgen.rendering", "templates"),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md_text
    env.filters["cell"] = md_cell
    env.filters["code"] = md_code
    env.filters["yaml"] = yaml_scalar
    env.filters["yaml_list"] = yaml_flow_list
    env.filters["title"] = md_title
    return env


def new_text(
    number: int,
    title: str,
    *,
    date: str,
    status: str = "proposed",
    deciders: Sequence[str] = (),
    components: Sequence[str] = (),
    supersedes: Sequence[str] = (),
    tags: Sequence[str] = (),
    body: str | None = None,
) -> str:
    """The text of a new ADR: front matter plus the MADR template (or ``body``, a draft's).

    The file belongs to the team from then on: no "generated" marker.
    """
    if status not in STATUSES:
        raise UsageError(f"unknown status {status!r}; statuses are: {', '.join(STATUSES)}")
    if not _valid_date(date):
        raise UsageError(f"date {date!r} is not a date YYYY-MM-DD")
    if not title.strip():
        raise UsageError("an ADR needs a title")
    for ref in components:
        if not _COMPONENT_REF_RE.match(ref):
            raise UsageError(f"component {ref!r} is not a component id (or model-name/id)")
    for tag in tags:
        if not _TAG_RE.match(tag):
            raise UsageError(f"tag {tag!r} must be one word (letters, digits, '-', '_', '.')")
    front = {
        "status": status,
        "date": date,
        "deciders": list(deciders),
        "components": sorted(dict.fromkeys(components)),
        "supersedes": list(supersedes),
        "superseded-by": [],
        "tags": sorted(dict.fromkeys(tags)),
    }
    text = template_env().get_template("adr.md.j2").render(
        front=[(k, _front_value(k, v)) for k, v in front.items()],
        number=number,
        id=adr_id(number),
        title=" ".join(title.split()),
        supersedes=list(supersedes),
        body=body.strip("\n") if body is not None else None,
    )
    return text.rstrip("\n") + "\n"


def first_adr(date: str) -> str:
    """ADR-0001 of a new architecture repository ("Record architecture decisions"), accepted on ``date``."""
    body = template_env().get_template("adr_first.md.j2").render()
    return new_text(1, "Record architecture decisions", date=date, status="accepted", tags=["process"], body=body)


def set_fields(decision: Decision, updates: Mapping[str, Any]) -> str:
    """The ADR's text with front-matter fields replaced (or added), all else kept byte for byte.

    Only the value of each named field changes: comments, the order of fields and
    the body stay as the team wrote them.
    """
    text = decision.text
    file = decision.path
    front, _body = _split(text, file)
    root = yaml.compose(front, Loader=_loader())
    spans: dict[str, tuple[int, int, str]] = {}
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            key = _ALIASES.get(str(key_node.value), str(key_node.value))
            start, end = key_node.end_mark.index, value_node.end_mark.index
            ending = "\r\n" if front[start:end].endswith("\r\n") else "\n" if front[start:end].endswith("\n") else ""
            spans[key] = (start, end, ending)
    edits: list[tuple[int, int, str]] = []
    additions: list[str] = []
    newline = "\r\n" if "\r\n" in front else "\n"
    for name, value in updates.items():
        if name not in FIELDS:
            raise ValueError(f"unknown front-matter field {name!r}")
        rendered = _front_value(name, value)
        if name in spans:
            start, end, ending = spans[name]
            edits.append((start, end, ": " + rendered + ending))
        else:
            additions.append(f"{name}: {rendered}{newline}")
    out = text
    for start, end, replacement in sorted(edits, reverse=True):
        out = out[:start] + replacement + out[end:]
    if additions:
        # before the closing '---' line, i.e. at the end of the (possibly edited) front matter
        shift = sum(len(r) - (e - s) for s, e, r in edits)
        close = len(front) + shift
        if close and out[close - 1] not in "\n":
            additions[0] = "\n" + additions[0]
        out = out[:close] + "".join(additions) + out[close:]
    try:  # never write an ADR archgen could not read back
        check = parse_decision(out, file, decision.file_name)
    except ModelErrors:
        check = None
    if check is None or any(_front_value(k, getattr(check, k.replace("-", "_"))) != _front_value(k, v) for k, v in updates.items()):
        raise UsageError(f"{file}: archgen cannot rewrite this front matter safely; change {', '.join(updates)} by hand")
    return out


def _loader() -> type:
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# ---------------------------------------------------------------------------
# links and the site's pages


def links(models: Sequence[Model], decisions: Sequence[Decision]) -> dict[str, Any]:
    """Both directions of the links between components and ADRs.

    A link exists when a component lists the ADR under ``decisions:`` or the ADR
    lists the component under ``components:``; either side is enough. Returns::

        {"components": {model name: {component id: [Decision]}},
         "models":     {model name: [Decision]},        # the model's own `decisions:`
         "decisions":  {ADR id: [(model name, component id)]}}

    Only ADRs that exist and components that exist are linked; every list is sorted
    (decisions by number). Components without a link are left out.
    """
    by_id: dict[str, Decision] = {}
    for d in sorted(decisions, key=Decision.sort_key):
        by_id.setdefault(d.id, d)  # a duplicate number links to the first file (MODEL-ADR-DUPLICATE reports it)
    components: dict[str, dict[str, set[str]]] = {}
    model_level: dict[str, set[str]] = {}
    for m in models:
        components[m.name] = {}
        model_level[m.name] = {ref for ref in m.decisions if ref in by_id}
        for cid, comp in m.components.items():
            refs = {ref for ref in comp.decisions if ref in by_id}
            if refs:
                components[m.name][cid] = set(refs)
    for d in by_id.values():
        for ref in d.components:
            target = resolve_component(ref, models)
            if target is not None:
                components[target[0]].setdefault(target[1], set()).add(d.id)
    by_decision: dict[str, set[tuple[str, str]]] = {ref: set() for ref in by_id}
    for model_name, comps in components.items():
        for cid, ids in comps.items():
            for ref in ids:
                by_decision[ref].add((model_name, cid))
    return {
        "components": {
            name: {cid: [by_id[i] for i in sorted(ids)] for cid, ids in sorted(comps.items())}
            for name, comps in sorted(components.items())
        },
        "models": {name: [by_id[i] for i in sorted(ids)] for name, ids in sorted(model_level.items())},
        "decisions": {ref: sorted(pairs) for ref, pairs in sorted(by_decision.items())},
    }


def page_name(decision: Decision) -> str:
    """The site page of an ADR: its file name, so links between ADR bodies keep working."""
    return decision.file_name


def _component_label(model_name: str, cid: str, models: Sequence[Model], several: bool) -> str:
    from archgen.rendering.textutil import md_code, md_text

    model = next((m for m in models if m.name == model_name), None)
    comp = model.components.get(cid) if model else None
    title = comp.display_name if comp is not None else cid
    shown = f"{model_name}/{cid}" if several else cid
    return md_code(shown) + (f" {md_text(title)}" if title != cid else "")


def render_index(
    decisions: Sequence[Decision],
    models: Sequence[Model] = (),
    link: str = "{page}",
) -> str:
    """The ADR index: a timeline table (oldest first) of number, title, status, date, components.

    ``link`` formats each ADR's page address from ``{page}`` (``0002-slug.md``); the
    components column joins the ADR's own list with the components that point at it.
    """
    from archgen.rendering.textutil import md_cell

    linked = links(models, decisions)["decisions"] if models else {}
    several = len(models) > 1
    rows = []
    for d in sorted(decisions, key=lambda d: (d.date, d.number, d.path)):
        names = set()
        for model_name, cid in linked.get(d.id, []):
            names.add(f"{model_name}/{cid}" if several else cid)
        if not models:
            names.update(d.components)
        rows.append(
            {
                "id": d.id,
                "url": link.format(page=page_name(d)),
                "title": md_cell(d.title),
                "status": d.status if d.status in STATUSES else md_cell(d.status),
                "date": md_cell(d.date),
                "components": ", ".join(f"`{n}`" for n in sorted(names)) or "",
                "successor": ", ".join(d.superseded_by),
            }
        )
    counts = {s: sum(1 for d in decisions if d.status == s) for s in STATUSES}
    return template_env().get_template("adr_index.md.j2").render(rows=rows, counts=counts, statuses=STATUSES)


def render_page(
    decision: Decision,
    models: Sequence[Model] = (),
    decisions: Sequence[Decision] = (),
    component_link: str | None = "../models/{model}/index.md",
) -> str:
    """The site page of one ADR: its status and links (both directions), then its text.

    ``component_link`` formats the address of a component's page from ``{model}`` and
    ``{component}``, relative to the ADR's page (default: the model's page of the site,
    ``models/NAME/index.md``); None gives no links. ``decisions`` lets supersedes/superseded-by
    link to the other ADRs' pages.
    """
    from archgen.rendering.textutil import md_text

    linked = links(models, list(decisions) or [decision])["decisions"].get(decision.id, []) if models else []
    several = len(models) > 1
    comps = []
    for model_name, cid in linked:
        label = _component_label(model_name, cid, models, several)
        if component_link:
            label = f"[{label}]({component_link.format(model=model_name, component=cid)})"
        comps.append(label)
    known = {d.id: d for d in decisions}
    unresolved = [ref for ref in decision.components if models and resolve_component(ref, models) is None]

    def ref_link(ref: str) -> str:
        other = known.get(ref)
        return f"[{ref}]({page_name(other)}) {md_text(other.title)}" if other else ref

    return template_env().get_template("adr_page.md.j2").render(
        d=decision,
        title=md_text(decision.title),
        status=decision.status if decision.status in STATUSES else md_text(decision.status),
        date=md_text(decision.date),
        deciders=[md_text(x) for x in decision.deciders],
        tags=[md_text(x) for x in decision.tags],
        components=comps,
        unresolved=[md_text(x) for x in unresolved],
        supersedes=[ref_link(r) for r in decision.supersedes],
        superseded_by=[ref_link(r) for r in decision.superseded_by],
        body=safe_markdown(strip_title(decision.body)),
    )


def strip_title(body: str) -> str:
    """The body without its first H1 (the page gives its own, escaped)."""
    lines = body.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if _H1_RE.match(line):
            return "".join(lines[i + 1 :]).lstrip("\n")
        break
    return body.lstrip("\n")


_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def safe_markdown(markdown: str) -> str:
    """An ADR's Markdown with raw HTML neutralised (shown as text), code left alone.

    ADR prose is Markdown the team writes, so its formatting is kept; HTML comments
    (notes to the author, such as the template's) are dropped, and any other raw HTML
    is escaped, so no ADR can put a script or a form into the site.
    """
    out: list[str] = []
    prose: list[str] = []

    def flush() -> None:
        if prose:
            text = _COMMENT.sub("", "".join(prose))
            out.append("".join(_escape_outside_code_spans(line) for line in text.splitlines(keepends=True)))
            prose.clear()

    fence: str | None = None
    for line in markdown.splitlines(keepends=True):
        match = _FENCE_RE.match(line)
        if fence is not None:
            out.append(line)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) and not line.strip()[len(match.group(1)):]:
                fence = None
            continue
        if match:
            flush()
            fence = match.group(1)
            out.append(line)
            continue
        prose.append(line)  # indented code is escaped too: it may be a list's paragraph
    flush()
    return "".join(out)


#: A code span as Python-Markdown reads one: N backticks, text, the same N backticks.
_CODE_SPAN = re.compile(r"(?<!\\)(`+)(.+?)(?<!`)\1(?!`)")


def _escape_outside_code_spans(line: str) -> str:
    out, last = [], 0
    for match in _CODE_SPAN.finditer(line):
        out.append(_TAG_START.sub("&lt;", line[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_TAG_START.sub("&lt;", line[last:]))
    return "".join(out)
