"""The ADRs of ``decisions/``: reading them (positioned), numbering, and the text of edits.

Reading (:func:`load_decisions`, :func:`parse_decision`) keeps the position of every
front-matter field so that problems point at FILE:LINE:COLUMN; a file that cannot be
read raises :class:`~archgen.errors.ModelErrors`. What is wrong in a readable ADR (an
unknown status, a missing successor, a component that does not exist) is left to the
``MODEL-ADR-*`` rules. Writing (:func:`new_text`, :func:`first_adr`, :func:`set_fields`)
returns text; the caller hands it to :mod:`archgen.writer`.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from archgen.decisions.records import (
    ALIASES,
    COMPONENT_REF_RE,
    DECISIONS_DIR,
    FENCE_RE,
    FIELDS,
    FILE_RE,
    H1_RE,
    LIST_FIELDS,
    MAX_ADR_BYTES,
    REF_RE,
    STATUSES,
    Decision,
    adr_id,
)
from archgen.decisions.render import template_env
from archgen.rendering.templating import Trusted
from archgen.decisions.text import unescape_md, yaml_flow_list, yaml_scalar
from archgen.errors import Location, ModelError, ModelErrors, UsageError

__all__ = [
    "first_adr",
    "load_decisions",
    "new_text",
    "next_number",
    "parse_decision",
    "set_fields",
    "slugify",
    "valid_date",
]

#: Names that look like an ADR but do not follow ``NNNN-slug.md`` (reported, not skipped).
_ADR_LIKE_RE = re.compile(r"^\d+[-_ ].*\.md$", re.IGNORECASE)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
_TAG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}\Z")


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


def _title(body: str, slug: str) -> str:
    in_fence = None
    for line in body.splitlines():
        fence = FENCE_RE.match(line)
        if fence:
            marker = fence.group(1)[0]
            in_fence = None if in_fence == marker else (in_fence or marker)
            continue
        if in_fence:
            continue
        match = H1_RE.match(line)
        if match:
            title = unescape_md(match.group(1))
            return " ".join("".join(ch if ch.isprintable() else " " for ch in title).split())
    return slug.replace("-", " ").capitalize()


def parse_decision(text_or_bytes: str | bytes, file: str, name: str | None = None) -> Decision:
    """Parse one ADR; ``name`` is the file name (``NNNN-slug.md``, default: from ``file``).

    Raises :class:`ModelErrors` with every problem that makes the file unreadable.
    """
    from archgen.sources.yamlpos import decode, did_you_mean, read

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
        doc = read(front, file)
    except ModelError as err:
        raise ModelErrors([err]) from None
    if doc.root is None:
        raise ModelErrors([ModelError(Location(file, 1, 1), "the front matter is empty: give at least 'status' and 'date'")])
    if doc.root != "mapping":
        raise ModelErrors([ModelError(doc.root_loc or Location(file, 1, 1), "the front matter must be a mapping of fields such as 'status: proposed'")])
    pos, data = doc.positions, doc.data
    errors: list[ModelError] = list(doc.errors.errors)
    if not isinstance(data, dict):  # pragma: no cover - a mapping node gives a dict
        data = {}
    values: dict[str, Any] = {}
    locs: dict[str, Location] = {}
    for key, value in data.items():
        canonical = ALIASES.get(key, key)
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
        if not valid_date(date):
            errors.append(ModelError(locs["date"], f"'date' must be a date YYYY-MM-DD, got {date!r}"))

    lists: dict[str, list[str]] = {}
    for name_ in LIST_FIELDS:
        loc = locs.get(name_, front_loc)
        lists[name_] = _as_list(values.get(name_), name_, loc, errors, split=True)
        if isinstance(values.get(name_), list):
            written = _key_as_written(data, name_)
            for i, item in enumerate(values[name_]):
                locs.setdefault(f"{name_}:{str(item).strip()}", pos.of_value((written, i)))

    for i, ref in enumerate(lists["components"]):
        if not COMPONENT_REF_RE.match(ref):
            errors.append(
                ModelError(
                    pos.of_value((_key_as_written(data, "components"), i)) if isinstance(values.get("components"), list) else locs["components"],
                    f"component {ref!r} is not a component id (or model-name/id)",
                )
            )
    for name_ in ("supersedes", "superseded-by"):
        ids = []
        for i, ref in enumerate(lists[name_]):
            match_ = REF_RE.match(ref)
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
        if ALIASES.get(key, key) == canonical:
            return key
    return canonical


def valid_date(text: str) -> bool:
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

    from archgen.sources.loader import escapes

    folder = Path(root) / DECISIONS_DIR
    if not folder.is_dir():
        return []
    base = Path(root).resolve()
    if escapes(folder, base):
        raise UsageError(f"{display_path(folder)}: a symbolic link that points outside the repository is refused")
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


def _front_value(name: str, value: Any) -> str:
    if name == "date":
        return str(value)
    if isinstance(value, (list, tuple)):
        return yaml_flow_list(value)
    return yaml_scalar(value)


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
    if not valid_date(date):
        raise UsageError(f"date {date!r} is not a date YYYY-MM-DD")
    if not title.strip():
        raise UsageError("an ADR needs a title")
    for ref in components:
        if not COMPONENT_REF_RE.match(ref):
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
        front=[(Trusted(k), Trusted(_front_value(k, v))) for k, v in front.items()],
        number=number,
        id=adr_id(number),
        title=" ".join(title.split()),
        supersedes=list(supersedes),
        body=Trusted(body.strip("\n")) if body is not None else None,
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
            key = ALIASES.get(str(key_node.value), str(key_node.value))
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
