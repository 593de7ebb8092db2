"""The site's pages: a pure function from models, findings and generated artifacts
to the Markdown and files of an MkDocs ``docs_dir``. Nothing here writes files.

Generated pages live under ``models/``, ``decisions/``, ``rules/`` and ``schema/``
plus ``index.md`` (unless the user has written their own home page, in which case
archgen's home is ``models/index.md``).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from archgen.rendering import textutil
from archgen.findings import CATEGORIES, SEVERITIES, Finding
from archgen.rendering.templating import Trusted, render_markdown
from archgen.rendering.textutil import money

if TYPE_CHECKING:
    from archgen.model import Model

Files = dict[str, bytes | str]


@dataclass(frozen=True)
class ModelBundle:
    """Everything generated for one model, ready to be laid out as pages (immutable: the
    build stages hand it on, none changes it)."""

    model: Model
    findings: list[Finding]
    views: list[Any] = field(default_factory=list)  # ViewSpec-like: .name, .title, .description
    images: dict[str, bytes] = field(default_factory=dict)  # "overview.svg" -> bytes
    comparison_md: str | None = None
    lockin_score: float | None = None
    estimate_usd: float | None = None
    estimate_as_of: str | None = None
    estimate_unpriced: tuple[str, ...] = ()  # components the estimate has no price for
    terraform: dict[str, dict[str, str]] = field(default_factory=dict)  # provider -> files
    terraform_gaps: dict[str, list[str]] = field(default_factory=dict)
    drafts: list[Any] = field(default_factory=list)  # .name, .title, markdown via render_draft
    exports: dict[str, str] = field(default_factory=dict)  # "ml-serving.c4" -> the export (docs/interop.md)


def _counts(findings: list[Finding]) -> dict[str, int]:
    c = Counter(f.severity for f in findings if not f.accepted)
    out = {s: c.get(s, 0) for s in SEVERITIES}
    out["accepted"] = sum(1 for f in findings if f.accepted)
    return out


def _count_text(findings: list[Finding]) -> str:
    c = _counts(findings)
    return f"{c['error']} errors, {c['warning']} warnings, {c['info']} info, {c['accepted']} accepted"


def _money(value: float | None, as_of: str | None, unpriced: tuple[str, ...] = ()) -> str:
    if value is None:
        return money(None)
    note = f" (indicative, prices as of {as_of})" if as_of else " (indicative)"
    gaps = f" + {len(unpriced)} not priced ({', '.join(unpriced)})" if unpriced else ""
    return f"{money(value, cents=False)}/month{gaps}{note}"


def home_page(bundles: list[ModelBundle], title: str, prefix: str = "", gallery: bool = False) -> str:
    rows = []
    for b in bundles:
        m = b.model
        c = _counts(b.findings)
        by_cat = Counter(f.category for f in b.findings if not f.accepted)
        rows.append(
            {
                "name": m.name,
                "title": m.display_name,
                "provider": m.provider,
                "components": len(m.components),
                "errors": c["error"],
                "warnings": c["warning"],
                "info": c["info"],
                "accepted": c["accepted"],
                "by_category": {cat: by_cat.get(cat, 0) for cat in CATEGORIES},
                "lockin": Trusted("n/a" if b.lockin_score is None else f"{b.lockin_score:.0f}/100"),
                "estimate": Trusted(textutil.md_cell(_money(b.estimate_usd, b.estimate_as_of, b.estimate_unpriced))),
            }
        )
    note = (
        "Lock-in score: 100 means every provisioned component uses an open standard with several "
        "implementations; see each model's comparison. Monthly estimates are indicative list prices "
        "for stated sizing assumptions, not quotes."
    )
    text = render_markdown("site/home.md.j2", title=title, models=rows, categories=CATEGORIES, note=Trusted(note), gallery=gallery)
    if prefix:  # the home page moved below models/: its links are one level deeper
        text = text.replace("](models/", "](").replace("](decisions/", "](../decisions/")
        text = text.replace("](rules/", "](../rules/").replace("](schema.md", "](../schema.md")
        text = text.replace("](gallery/", "](../gallery/")
    return text


def _alternatives(model: Model, cid: str) -> str:
    from archgen.catalog import PROVIDERS, get_catalog

    cat = get_catalog()
    comp = model.components[cid]
    parts = []
    for provider in PROVIDERS:
        if provider == model.provider:
            continue
        # a placed component keeps its self-hosted service on every provider (it runs on the cluster)
        svc = cat.resolve_service(model, comp, provider) if comp.runs_on else cat.service(comp.kind, provider)
        if svc is None:
            parts.append(f"{provider}: none")
        elif getattr(svc, "provisioned", True):
            parts.append(f"{provider}: {svc.name}")
    return "; ".join(parts)


def _lifecycle(model: Model, cid: str) -> str:
    from archgen.catalog import get_catalog

    comp = model.components[cid]
    svc = get_catalog().resolve_service(model, comp)
    if svc is None or svc.lifecycle is None:
        return ""
    lc = svc.lifecycle
    if lc.status == "ga":
        return "generally available"
    text = lc.status.replace("_", " ")
    if lc.date:
        text += f" ({lc.date})"
    if lc.successor:
        successor = get_catalog().service(comp.kind, svc.provider, lc.successor)
        text += f"; successor: {successor.name if successor else lc.successor}"
    return text


def model_page(b: ModelBundle, adr_links: dict[str, list[Any]]) -> str:
    from archgen.catalog import get_catalog

    m = b.model
    cat = get_catalog()
    req = m.requirements
    requirements = [
        ("Peak requests per second", req.peak_rps if req.peak_rps is not None else "not stated"),
        ("Services", m.service_count),
        ("Ops team", req.ops_team),
        ("Kubernetes experience", "yes" if req.kubernetes_experience else "no"),
        ("Portability", req.portability),
        ("Data classes", ", ".join(sorted(m.data_classes)) or "none"),
        ("Monthly budget", f"${req.monthly_budget_usd:,.0f}" if req.monthly_budget_usd is not None else "not stated"),
    ]
    components = []
    for cid in sorted(m.components):
        comp = m.components[cid]
        svc = cat.resolve_service(m, comp)
        links = adr_links.get(cid, [])
        decisions = ", ".join(
            f"[{textutil.md_cell(d.id)}](../../decisions/{d.path_name}.md)" for d in links
        ) or ""
        components.append(
            {
                "id": cid,
                "title": comp.display_name,
                "kind": comp.kind,
                "service": svc.name if svc is not None and getattr(svc, "provisioned", True) else ("not provisioned" if svc is not None else "no equivalent"),
                "alternatives": _alternatives(m, cid),
                "lifecycle": _lifecycle(m, cid),
                "decisions": Trusted(decisions),
            }
        )
    flows = [
        {
            "source": f.source,
            "to": f.to,
            "label": f.label or "",
            "data": ", ".join(f.data),
            "tls": "no" if f.tls is False else ("yes" if f.tls else "default"),
        }
        for f in sorted(m.flows, key=lambda f: f.key)
    ]
    sections = [{"title": "Findings", "href": "findings.md"}]
    if b.comparison_md is not None:
        sections.append({"title": "Provider comparison", "href": "compare.md"})
    if b.terraform:
        sections.append({"title": "Terraform skeleton", "href": "terraform.md"})
    views = [
        {"title": v.title, "description": v.description, "href": f"diagrams/{v.name}.svg"}
        for v in b.views
        if f"{v.name}.svg" in b.images
    ]
    from archgen.rendering import formats

    by_file = {m.name + fmt.suffix: fmt for fmt in formats.formats("export")}
    exports = [
        {"title": by_file[name].name, "summary": by_file[name].summary, "href": f"exports/{name}", "file": name}
        for name in sorted(b.exports, key=lambda n: list(by_file).index(n) if n in by_file else len(by_file))
        if name in by_file
    ]
    return render_markdown(
        "site/model.md.j2",
        file=m.file,
        title=m.display_name,
        description=m.description or "",
        name=m.name,
        provider=m.provider,
        region=m.region,
        counts=Trusted(_count_text(b.findings)),
        requirements=requirements,
        sections=sections,
        views=views,
        components=components,
        flows=flows,
        exports=exports,
    )


def findings_page(b: ModelBundle, rules_href: str = "../../rules/") -> str:
    groups = []
    for severity in SEVERITIES:
        items = [f for f in b.findings if f.severity == severity and not f.accepted]
        if items:
            groups.append({"title": severity.capitalize() + "s" if severity != "info" else "Info", "findings": items})
    accepted = [f for f in b.findings if f.accepted]
    if accepted:
        groups.append({"title": "Accepted", "findings": accepted})
    return render_markdown(
        "site/findings.md.j2",
        file=b.model.file,
        title=b.model.display_name,
        summary=_count_text(b.findings) + ".",
        groups=groups,
        rules_href=Trusted(rules_href),
    )


def _fence(text: str) -> str:
    # a regex, not a loop over every character (the Terraform of 5,000 components is 20 MB)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


#: A Terraform file longer than this is offered for download but not shown on the page:
#: 1,000 components give a 1.6 MB main.tf, a 10 MB page that costs the build seconds.
TERRAFORM_INLINE_MAX_LINES = 5000


def terraform_page(b: ModelBundle) -> tuple[str, Files]:
    files: Files = {}
    lines = [
        # code listings: left out of the search index (its cost grows with every line)
        "---",
        "search:",
        "  exclude: true",
        "---",
        f"<!-- Generated by archgen from {textutil.md_text(b.model.file)}. Do not edit: run `archgen build`. -->",
        f"# Terraform skeleton: {textutil.md_text(b.model.display_name)}",
        "",
        "A starting point, secure by default, derived from the model's graph: fill in the "
        "variables and review before applying. Works with Terraform and OpenTofu.",
        "",
    ]
    for provider in sorted(b.terraform):
        tf = b.terraform[provider]
        zip_name = f"terraform/{b.model.name}-{provider}.zip"
        files[zip_name] = _zip(tf)
        lines += [f"## {provider}", "", f"[Download all files (zip)]({zip_name})", ""]
        gaps = b.terraform_gaps.get(provider) or []
        if gaps:
            lines += ["!!! warning \"Gaps\"", ""]
            lines += [f"    - {textutil.md_text(g)}" for g in gaps]
            lines.append("")
        for name in sorted(tf):
            rel = f"terraform/{provider}/{name}"
            files[rel] = tf[name]
            lang = "hcl" if name.endswith(".tf") else ("markdown" if name.endswith(".md") else "text")
            lines += [f"### {textutil.md_text(name)}", "", f"[Download]({rel})", ""]
            count = tf[name].count("\n")
            if count > TERRAFORM_INLINE_MAX_LINES:
                lines += [f"{count:,} lines: too long to show here; download it, or all files as a zip above.", ""]
                continue
            fence = _fence(tf[name])
            lines += [f"{fence}{lang}", tf[name].rstrip("\n"), fence, ""]
    return "\n".join(lines) + "\n", files


def _zip(files: dict[str, str]) -> bytes:
    """A deterministic zip: sorted names, fixed timestamps and permissions."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, files[name])
    return buf.getvalue()


def rule_pages() -> Files:
    from archgen.rules import all_rules

    rules = all_rules()
    files: Files = {"rules/index.md": render_markdown("site/rules_index.md.j2", rules=rules)}
    for rule in rules:
        files[f"rules/{rule.id}.md"] = render_markdown("site/rule.md.j2", rule=rule)
    return files


def schema_pages() -> Files:
    from archgen.model import json_schema

    schema = json_schema()
    rows = []
    defs = schema.get("$defs", {})

    def type_of(spec: dict[str, Any]) -> str:
        if "$ref" in spec:
            return spec["$ref"].rsplit("/", 1)[-1]
        if "enum" in spec:
            return " | ".join(str(v) for v in spec["enum"])
        if "anyOf" in spec:
            return " or ".join(type_of(s) for s in spec["anyOf"])
        if spec.get("type") == "array":
            return f"list of {type_of(spec.get('items', {}))}"
        if "const" in spec:
            return repr(spec["const"])
        return str(spec.get("type", "any"))

    for prefix, props in [("", schema["properties"])] + [
        (f"{name}.", d.get("properties", {})) for name, d in sorted(defs.items()) if name in ("Requirements", "Component", "Flow")
    ]:
        for name, spec in props.items():
            rows.append({"name": prefix + name, "type": type_of(spec), "description": spec.get("description", "")})
    return {
        "schema.md": render_markdown("site/schema.md.j2", fields=rows),
        "schema/model-1.json": json.dumps(schema, indent=2, sort_keys=True) + "\n",
    }


def model_pages(b: ModelBundle, adr_links: dict[str, list[Any]]) -> Files:
    base = f"models/{b.model.name}/"
    files: Files = {
        base + "index.md": model_page(b, adr_links),
        base + "findings.md": findings_page(b),
    }
    for name, data in sorted(b.images.items()):
        files[base + "diagrams/" + name] = data
    for name, text in sorted(b.exports.items()):
        files[base + "exports/" + name] = text
    if b.comparison_md is not None:
        files[base + "compare.md"] = b.comparison_md
    if b.terraform:
        page, extra = terraform_page(b)
        files[base + "terraform.md"] = page
        for rel, data in extra.items():
            files[base + rel] = data
    return files


def drafts_section(bundles: list[ModelBundle]) -> str:
    """The list of decision drafts under the ADR index: drafts, not decisions."""
    rows = [(b.model.name, d) for b in bundles for d in b.drafts]
    if not rows:
        return ""
    lines = [
        "",
        "## Drafts",
        "",
        "Proposed by archgen from the rules; not decisions until the team copies one with "
        "`archgen adr new --from-draft NAME` and owns it.",
        "",
        "| Draft | Model | Copy with (or the ADR that adopted it) |",
        "|---|---|---|",
    ]
    for model_name, d in rows:
        how = (
            f"adopted: [{d.adopted_by}]({d.adopted_path.replace(chr(92), '/').rsplit('/', 1)[-1].removesuffix('.md')}.md) ({d.adopted_status})"
            if getattr(d, "adopted_by", None) and d.adopted_path
            else textutil.md_code("archgen adr new --from-draft " + d.name)
        )
        lines.append(
            f"| [{textutil.md_cell(d.title)}](drafts/{model_name}-{d.name}.md) | {textutil.md_cell(model_name)} | {how} |"
        )
    return "\n".join(lines) + "\n"


def nav(bundles: list[ModelBundle], home: str, decisions: bool, gallery: bool = False) -> list[Any]:
    """The navigation archgen adds when the user's configuration has none."""
    items: list[Any] = [{"Home": home}]
    for b in bundles:
        base = f"models/{b.model.name}/"
        sub: list[Any] = [{"Overview": base + "index.md"}, {"Findings": base + "findings.md"}]
        if b.comparison_md is not None:
            sub.append({"Provider comparison": base + "compare.md"})
        if b.terraform:
            sub.append({"Terraform": base + "terraform.md"})
        items.append({textutil.plain(b.model.display_name, b.model.name): sub})
    if gallery:
        items.append({"Gallery": "gallery/index.md"})
    if decisions:
        items.append({"Decisions": "decisions/index.md"})
    items.append({"Rules": "rules/index.md"})
    items.append({"Schema": "schema.md"})
    return items
