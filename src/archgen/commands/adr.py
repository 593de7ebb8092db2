"""``archgen adr``: create, list, supersede and change the status of ADRs; list drafts."""

from __future__ import annotations

import argparse

from archgen.rendering.formats import add_format_option

NAME = "adr"
HELP = "architecture decision records: new, list, supersede, status, drafts"
DESCRIPTION = (
    "Architecture decision records live in decisions/ as NNNN-slug.md (MADR with YAML front "
    "matter). 'new' writes the next number, 'supersede' writes a new ADR and marks the old one, "
    "'status' changes a status, 'list' shows them, 'drafts' shows the decisions archgen "
    "proposes from the rules (copy one with 'new --from-draft NAME')."
)


def register(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="adr_command", metavar="ACTION", parser_class=type(parser))
    sub.required = True

    new = sub.add_parser("new", help="write the next ADR from the MADR template (or a draft)")
    new.add_argument("title", nargs="?", metavar="TITLE", help="the decision, e.g. 'Use Postgres for customer data'")
    _add_common_new(new)
    new.add_argument("--from-draft", metavar="NAME", help="copy the draft NAME ('archgen adr drafts' lists them)")
    new.add_argument("--status", default="proposed", help="status of the new ADR (default: proposed)")
    new.set_defaults(_adr=_new)

    lst = sub.add_parser("list", help="list the ADRs with status and date")
    add_format_option(lst, "decisions")
    lst.set_defaults(_adr=_list)

    sup = sub.add_parser("supersede", help="write a new ADR that supersedes ADR N, and mark N superseded")
    sup.add_argument("number", metavar="N", help="the ADR to supersede: 3, 0003 or ADR-0003")
    sup.add_argument("title", metavar="TITLE", help="the new decision")
    _add_common_new(sup)
    sup.add_argument("--status", default="accepted", help="status of the new ADR (default: accepted)")
    sup.set_defaults(_adr=_supersede)

    st = sub.add_parser("status", help="change the status of ADR N (one file, written atomically)")
    st.add_argument("number", metavar="N", help="the ADR: 3, 0003 or ADR-0003")
    st.add_argument("status", metavar="STATUS", help="proposed, accepted, rejected or deprecated")
    st.add_argument("--date", help="also set the date (YYYY-MM-DD); by default the date is kept")
    st.set_defaults(_adr=_status)

    dr = sub.add_parser("drafts", help="list the decision drafts archgen makes from the rules, or show one")
    dr.add_argument("paths", nargs="*", metavar="PATH", help="model files or folders (default: arch/)")
    dr.add_argument("--show", metavar="NAME", help="print the draft NAME as Markdown")
    add_format_option(dr, "drafts")
    dr.set_defaults(_adr=_drafts)


def _add_common_new(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--component",
        action="append",
        default=[],
        metavar="ID",
        help="a component the decision is about (repeatable; model-name/ID when several models have it)",
    )
    p.add_argument("--tag", action="append", default=[], metavar="TAG", help="a tag, e.g. security-review (repeatable)")
    p.add_argument("--decider", action="append", default=[], metavar="NAME", help="who decides (repeatable)")
    p.add_argument("--date", help="the ADR's date, YYYY-MM-DD (default: today)")


def run(args: argparse.Namespace) -> int:
    return int(args._adr(args) or 0)


# ---------------------------------------------------------------------------


def _today(given: str | None) -> str:
    import datetime as dt

    return given if given else dt.date.today().isoformat()


def _models_if_any(paths=()) -> list:
    """The models of arch/ (or ``paths``), or [] when the repository has none yet."""
    from pathlib import Path

    from archgen.sources.loader import load_models

    if not paths and not Path("arch").is_dir():
        return []
    return load_models(paths or ())


def _check_components(refs: list[str], models: list | None = None, prefer: str | None = None) -> list[str]:
    """Every component an ADR names must exist in the models of arch/ (when there are
    any); returns the references to write: ``model/ID`` for an id several models have
    (of ``prefer``, a draft's model; otherwise of each model that has it, said on stderr)."""
    import difflib
    import sys

    from archgen.decisions.adr import qualify, resolve_component, split_component_ref
    from archgen.errors import UsageError

    if not refs:
        return refs
    models = _models_if_any() if models is None else models
    if not models:
        return refs
    out = []
    for ref in refs:
        if resolve_component(ref, models) is None:
            model_name, cid = split_component_ref(ref)
            known = sorted({c for m in models for c in m.components if model_name in (None, m.name)})
            close = difflib.get_close_matches(cid, known, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            where = f"model {model_name}" if model_name else "the models in arch/"
            raise UsageError(f"no component {ref!r} in {where}{hint}")
        written = qualify(ref, models, prefer)
        if len(written) > 1:
            print(
                f"archgen: component {ref!r} is in {len(written)} models: the ADR lists {', '.join(written)} "
                "(remove the ones it is not about)",
                file=sys.stderr,
            )
        out.extend(written)
    return sorted(dict.fromkeys(out))


def _write_new(decisions, title: str, args, supersedes=(), components=None, tags=None, body=None):
    from pathlib import Path

    from archgen.decisions.adr import DECISIONS_DIR, adr_id, new_text, next_number, slugify
    from archgen.errors import UsageError

    number = next_number(decisions)
    if number > 9999:
        raise UsageError("decisions/ is full: ADR numbers have four digits")
    name = f"{number:04d}-{slugify(title)}.md"
    path = Path(DECISIONS_DIR) / name
    if path.exists():  # pragma: no cover - next_number is past every file read
        raise UsageError(f"{path} already exists")
    text = new_text(
        number,
        title,
        date=_today(args.date),
        status=args.status,
        deciders=args.decider,
        components=components if components is not None else args.component,
        supersedes=supersedes,
        tags=tags if tags is not None else args.tag,
        body=body,
    )
    return adr_id(number), path, text


def _new(args) -> int:
    from archgen.decisions.adr import STATUSES, load_decisions
    from archgen.errors import UsageError
    from archgen.writer import write_file

    if args.status not in STATUSES or args.status == "superseded":
        raise UsageError(
            f"a new ADR's status is one of: {', '.join(s for s in STATUSES if s != 'superseded')} "
            "(to supersede one, use 'archgen adr supersede N TITLE')"
        )
    decisions = load_decisions(".")
    body = None
    components, tags = list(args.component), list(args.tag)
    title = args.title
    if args.from_draft:
        draft = _find_draft(args.from_draft)
        if draft.adopted:
            raise UsageError(
                f"draft {args.from_draft!r} is adopted already: {draft.adopted_by} ({draft.adopted_status}, "
                f"{draft.adopted_path}) records this decision; to revisit it, edit that ADR or supersede it "
                f"with 'archgen adr supersede {draft.adopted_by.split('-')[-1].lstrip('0') or '0'} TITLE'"
            )
        title = title or draft.title
        models = _models_if_any()
        # the draft's components are of its own model: model/ID where another model has the id too
        components = _check_components(components, models) + _check_components(draft.components, models, prefer=draft.model)
        components = sorted(dict.fromkeys(components))
        tags = sorted(set(tags) | set(draft.tags))
        body = draft.body
    elif not title:
        raise UsageError("give the decision's TITLE, or --from-draft NAME")
    else:
        components = _check_components(components)
    adr, path, text = _write_new(decisions, title, args, components=components, tags=tags, body=body)
    write_file(path, text)
    print(f"{adr}: wrote {path}")
    return 0


def _list(args) -> int:
    import sys

    from archgen.decisions.adr import load_decisions
    from archgen.rendering.formats import render

    sys.stdout.write(render("decisions", args.format, load_decisions(".")))
    return 0


def _supersede(args) -> int:
    from archgen.decisions.adr import STATUSES, find, load_decisions, set_fields
    from archgen.errors import UsageError
    from archgen.writer import write_file

    if args.status not in STATUSES or args.status == "superseded":
        raise UsageError(f"the new ADR's status is one of: {', '.join(s for s in STATUSES if s != 'superseded')}")
    decisions = load_decisions(".")
    old = find(decisions, args.number)
    if old.status == "superseded":
        raise UsageError(f"{old.id} is already superseded by {', '.join(old.superseded_by) or 'another ADR'}")
    if old.status == "rejected":
        raise UsageError(f"{old.id} was rejected, so there is nothing in force to supersede; write a new ADR instead")
    components = sorted(set(old.components) | set(_check_components(sorted(set(args.component)))))
    tags = sorted(set(old.tags) | set(args.tag))
    adr, path, text = _write_new(decisions, args.title, args, supersedes=[old.id], components=components, tags=tags)
    # both texts are ready before anything is written; then the new file, then the old one
    old_text = set_fields(old, {"status": "superseded", "superseded-by": sorted(set(old.superseded_by) | {adr})})
    write_file(path, text)
    write_file(old.path, old_text)
    print(f"{adr}: wrote {path}")
    print(f"{old.id}: marked superseded by {adr} in {old.path}")
    return 0


def _status(args) -> int:
    from archgen.decisions.adr import STATUSES, find, load_decisions, set_fields
    from archgen.errors import UsageError
    from archgen.writer import write_file

    status = args.status.strip().lower()
    if status == "superseded":
        raise UsageError("to supersede an ADR, write its successor: archgen adr supersede N \"NEW TITLE\"")
    if status not in STATUSES:
        import difflib

        close = difflib.get_close_matches(status, STATUSES, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise UsageError(f"unknown status {args.status!r}{hint}; statuses are: proposed, accepted, rejected, deprecated")
    decisions = load_decisions(".")
    d = find(decisions, args.number)
    if d.status == "superseded":
        raise UsageError(
            f"{d.id} is superseded by {', '.join(d.superseded_by) or 'another ADR'}; change that ADR instead "
            "(or edit the file by hand to undo the supersession)"
        )
    updates: dict[str, str] = {"status": status}
    if args.date:
        from archgen.decisions.store import valid_date

        if not valid_date(args.date):
            raise UsageError(f"date {args.date!r} is not a date YYYY-MM-DD")
        updates["date"] = args.date
    if d.status == status and "date" not in updates:
        print(f"{d.id}: already {status}")
        return 0
    write_file(d.path, set_fields(d, updates))
    print(f"{d.id}: {d.status or '(none)'} -> {status} in {d.path}")
    return 0


# ---------------------------------------------------------------------------
# drafts


def _all_drafts(paths=()) -> list:
    from archgen.decisions.adr import load_decisions
    from archgen.generators.drafts import make_drafts
    from archgen.sources.loader import load_models
    from archgen.rules import run_rules

    models = load_models(paths or ())
    decisions = load_decisions(".")
    out = []
    for m in models:
        out.extend(make_drafts(m, run_rules(m, decisions, models=models), decisions))
    return out


def _find_draft(name: str, paths=()):
    import difflib

    from archgen.errors import UsageError

    drafts = _all_drafts(paths)
    model_name, _, short = name.rpartition("/")
    found = [d for d in drafts if d.name == short and model_name in ("", d.model)]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        options = ", ".join(f"{d.model}/{d.name}" for d in found)
        raise UsageError(f"several models have a draft {name!r}: name one of {options}")
    close = difflib.get_close_matches(short, sorted({d.name for d in drafts}), n=1, cutoff=0.5)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    raise UsageError(f"no draft {name!r}{hint}; 'archgen adr drafts' lists them")


def _drafts(args) -> int:
    import sys

    from archgen.generators.drafts import render

    if args.show:
        from archgen.rendering.textutil import terminal_text

        sys.stdout.write(terminal_text(render(_find_draft(args.show, args.paths))))
        return 0
    from archgen.rendering.formats import render as render_format

    sys.stdout.write(render_format("drafts", args.format, _all_drafts(args.paths)))
    return 0
