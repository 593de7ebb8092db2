"""The diff for a terminal: one line per change."""

from __future__ import annotations

from archgen.generators.diff.records import ADDED, CHANGED, INTRODUCED, REMOVED, RESOLVED, DRIFT_STATUSES, Diff
from archgen.generators.diff.summary import arrow_text, estimate_text, headline, plain, value_text

__all__ = ["render_text"]

def render_text(diff: Diff) -> str:
    """The diff for a terminal: one line per change."""
    out = [f"{plain(diff.base_label)} -> {plain(diff.head_label)}: {headline(diff)}"]
    sym = {ADDED: "+", REMOVED: "-", CHANGED: "~", INTRODUCED: "+", RESOLVED: "-"}
    for m in diff.models:
        out.append("")
        out.append(f"{m.name} ({plain(m.title)}): {m.status}")
        for c in m.fields:
            out.append(f"  ~ {c.field}: {value_text(c.before)} -> {value_text(c.after)}")
        for status in (ADDED, REMOVED, CHANGED):
            for c in m.components_with(status):
                title = f" ({plain(c.title)})" if c.title != c.id else ""
                out.append(f"  {sym[status]} component {c.id}{title} [{c.kind}]")
                for ch in c.changes:
                    out.append(f"      {ch.field}: {value_text(ch.before)} -> {value_text(ch.after)}")
        for status in (ADDED, REMOVED, CHANGED):
            for f in m.flows_with(status):
                out.append(f"  {sym[status]} flow {plain(f.text)}")
                for ch in f.changes:
                    out.append(f"      {ch.field}: {value_text(ch.before)} -> {value_text(ch.after)}")
        for ch in m.findings:
            f = ch.finding
            subject = f" [{f.component}]" if f.component else ""
            note = ""
            if ch.status == CHANGED and ch.before is not None:
                note = f" (was {ch.before.severity}{', accepted' if ch.before.accepted else ''})"
            accepted = ", accepted" if f.accepted else ""
            out.append(f"  {ch.status} {f.severity}{accepted}{note}: {f.rule}{subject} {plain(f.message)}")
        own = m.own_provider
        if own is not None and m.base_provider not in (None, m.provider):
            lockin = arrow_text(own.lockin_before, own.lockin_after, str, "->", "-")
            out.append(f"  {plain(own.name).replace('→', '->')}: lock-in {lockin}, estimate {estimate_text(own, '->', '-')}")
        for p in m.providers:
            if p.changed:
                lockin = arrow_text(p.lockin_before, p.lockin_after, str, "->", "-")
                out.append(f"  {p.name}{' (chosen)' if p.chosen else ''}: lock-in {lockin}, estimate {estimate_text(p, '->', '-')}")
    if diff.drift is not None:
        out.append("")
        out.append(f"drift against {', '.join(plain(p) for p in diff.drift.inputs)}:" + ("" if diff.drift.changes else " none"))
        for model, ch in diff.drift.changes:
            f = ch.finding
            where = f"{model}/{f.component}" if f.component else model
            out.append(f"  {DRIFT_STATUSES[ch.status]} {f.severity}: {f.rule} [{where}] {plain(f.message)}")
    if diff.decisions:
        out.append("")
        for d in diff.decisions:
            out.append(f"{sym[d.status]} {d.id} {plain(d.title)}: {arrow_text(d.before, d.after, str, '->', '-')}")
    return "\n".join(out) + "\n"
