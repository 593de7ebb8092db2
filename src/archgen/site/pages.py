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

from archgen.findings import CATEGORIES, SEVERITIES, Finding
from archgen.rendering import textutil
from archgen.rendering.templating import Trusted, render_markdown
from archgen.rendering.textutil import money, plural

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
    #: ``archgen build --plan/--state``: the drift findings against those files (None: no drift page)
    drift: list[Finding] | None = None
    drift_inputs: tuple[str, ...] = ()  # the plan and state files the drift was read from


def _counts(findings: list[Finding]) -> dict[str, int]:
    c = Counter(f.severity for f in findings if not f.accepted)
    out = {s: c.get(s, 0) for s in SEVERITIES}
    out["accepted"] = sum(1 for f in findings if f.accepted)
    return out


def _count_text(findings: list[Finding]) -> str:
    c = _counts(findings)
    return f"{c['error']} errors, {c['warning']} warnings, {c['info']} info, {c['accepted']} accepted"


def _money(value: float | None, as_of: str | None, unpriced: tuple[str, ...] = (), dated: bool = True) -> str:
    """A monthly estimate as a table cell shows it; ``dated=False`` leaves the prices'
    date to the note under the table (the home page: a short cell fits the screen)."""
    if value is None:
        return money(None)
    note = (f" (indicative, prices as of {as_of})" if as_of else " (indicative)") if dated else ""
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
                "estimate": Trusted(textutil.md_cell(_money(b.estimate_usd, b.estimate_as_of, b.estimate_unpriced, dated=False))),
            }
        )
    dates = sorted({b.estimate_as_of for b in bundles if b.estimate_as_of})
    note = (
        "Lock-in score: 100 means every provisioned component uses an open standard with several "
        "implementations; see each model's comparison. Monthly estimates are indicative list prices "
        + (f"(as of {', '.join(dates)}) " if dates else "")
        + "for stated sizing assumptions, not quotes."
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
    if b.drift is not None:
        sections.append({"title": f"Drift against Terraform ({plural(len(b.drift), 'finding')})", "href": "drift.md"})
    if b.comparison_md is not None:
        sections.append({"title": "Provider comparison", "href": "compare.md"})
    if b.terraform:
        sections.append({"title": "Terraform skeleton", "href": "terraform.md"})
    from archgen.generators.svglayout import size

    views = []
    for v in sorted(b.views, key=_view_order):
        data = b.images.get(f"{v.name}.svg")
        if data is None:
            continue
        w, h = size(data) or (800.0, 600.0)
        views.append(
            {"name": v.name, "title": v.title, "description": v.description, "href": f"diagrams/{v.name}.svg",
             "style": f"aspect-ratio: {w:.0f} / {h:.0f}; max-width: {w:.0f}pt"}
        )
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
        split_note=split_note(b),
        components=components,
        flows=flows,
        exports=exports,
    )


def _groups(findings: list[Finding]) -> list[dict[str, Any]]:
    """Findings by severity (errors first), the accepted ones last."""
    groups = []
    for severity in SEVERITIES:
        items = [f for f in findings if f.severity == severity and not f.accepted]
        if items:
            groups.append({"title": severity.capitalize() + "s" if severity != "info" else "Info", "findings": items})
    accepted = [f for f in findings if f.accepted]
    if accepted:
        groups.append({"title": "Accepted", "findings": accepted})
    return groups


def findings_page(b: ModelBundle, rules_href: str = "../../rules/") -> str:
    return render_markdown(
        "site/findings.md.j2",
        file=b.model.file,
        title=b.model.display_name,
        summary=_count_text(b.findings) + ".",
        groups=_groups(b.findings),
        rules_href=Trusted(rules_href),
    )


def drift_page(b: ModelBundle, rules_href: str = "../../rules/") -> str:
    """The model's drift against the plans and states given to ``archgen build`` (the
    findings of ``archgen verify``): component, rule, resource address, model line."""
    found = b.drift or []
    return render_markdown(
        "site/drift.md.j2",
        file=b.model.file,
        title=b.model.display_name,
        plans=list(b.drift_inputs),
        what="the plan or state" if len(b.drift_inputs) == 1 else "the plans and states",
        summary=_count_text(found) + ".",
        groups=_groups(found),
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
            lang = "hcl" if name.endswith(".tf") else "text"
            if name.endswith(".md"):
                # MkDocs renders a Markdown file of the docs folder as a page of its own: the
                # README is read there (and found by the search), not shown a second time as
                # highlighted source (at 1,000 components 0.4 MB: a second of the build)
                lines += [f"### {textutil.md_text(name)}", "", f"[Read it]({rel}) as a page of this site; the zip above holds the file.", ""]
                continue
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
    """A page for every rule: the design-time rules of ``check`` and the drift rules of
    ``verify`` (the ``helpUri`` of their SARIF findings names these pages)."""
    from archgen.drift import all_drift_rules
    from archgen.rules import all_rules

    rules = (*all_rules(), *all_drift_rules())
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


#: The order of the views on a model's page: the context first (C4's zoom-in order),
#: then the overview, then the views of one question; the group views of a large model last.
VIEW_ORDER = ("context", "overview", "network", "data", "findings")


def _view_order(view: Any) -> tuple[int, str, int]:
    return _name_order(view.name)


def _name_order(name: str) -> tuple[int, str, int]:
    """Where a view goes on the page; the parts of a view cut in parts (``data-part-2``)
    where the view would, in their order."""
    from archgen.generators.views import whole_name, whole_part

    whole = whole_name(name)
    number = whole_part(name) if whole != name else 0
    return (VIEW_ORDER.index(whole) if whole in VIEW_ORDER else len(VIEW_ORDER), whole, number)


def split_note(b: ModelBundle) -> str:
    """What the model page says when a model is drawn in parts (issue 21: "the split
    explained on the page"); empty for a model drawn whole."""
    from archgen.generators.views import (
        LARGE_MODEL_COMPONENTS,
        MAX_ASPECT,
        MAX_SIDE_PX,
        PART_NODES,
        whole_name,
    )

    count = len(b.model.components)
    if count <= LARGE_MODEL_COMPONENTS:
        return ""
    groups = len({whole_name(v.name) for v in b.views if v.name.startswith("group-")})
    text = (
        f"This model has {count:,} components, more than the {LARGE_MODEL_COMPONENTS} one picture can show "
        f"readably, so it is drawn in parts: the overview shows one box per group (click one to open its view), "
        f"and each of the {plural(groups, 'group')} has a view of its own below, with the components of other "
        "groups it talks to greyed (or, when they are many, one box per other group). The network view sums "
        "the private tiers up; the data and findings views show only what they mark."
    )
    parts: dict[str, int] = {}
    for v in b.views:
        if whole_name(v.name) != v.name:
            parts[whole_name(v.name)] = parts.get(whole_name(v.name), 0) + 1
    if parts:
        listed = ", ".join(f"{name} ({n} parts)" for name, n in sorted(parts.items(), key=lambda kv: _name_order(kv[0])))
        text += (
            f"\n\nSo that no picture is more than {MAX_SIDE_PX:,} pixels on a side or more than "
            f"{MAX_ASPECT:g} times as long as it is wide, a view of more than {PART_NODES} boxes is cut in parts, "
            f"each its own picture, one after the other below: {listed}. A part holds whole groups and tiers as long "
            "as they fit; a flow to a component of another part ends at a grey box naming that part, and a click on "
            "the box opens it."
        )
    return text



def page_url(rel: str, directory_urls: bool = True) -> str:
    """The file MkDocs writes for the page ``rel`` (a docs-relative ``.md`` path), as a
    path a link can name without a server: ``rules/X.md`` is ``rules/X/index.html`` with
    directory URLs, ``rules/X.html`` without; ``.../index.md`` is ``.../index.html``."""
    stem = rel.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return f"{stem}/index.html" if directory_urls else f"{stem}.html"


def diagram_links(b: ModelBundle, view: Any, directory_urls: bool = True) -> dict[str, str]:
    """Where each node and box of a view links to in the site, by SVG id, relative to
    the SVG (``models/<name>/diagrams/``): a component to its entry on the model page,
    a component marked in the findings view to the page of its first rule (errors
    first), a group of a large model to its own view, a cluster's box to the cluster's
    entry; the system of the context view to the overview."""
    from archgen.generators.views import SHARED_HOST, SYSTEM_NODE, part_name

    up = "../../../"  # from models/<name>/diagrams/ to the docs root
    model_page_href = "../" + page_url("index.md", directory_urls)
    components = set(b.model.components)
    rules: dict[str, str] = {}
    if view.name == "findings":
        for f in sorted(b.findings, key=lambda f: (f.severity != "error", f.rule)):
            if f.component and not f.accepted and f.severity in ("error", "warning"):
                rules.setdefault(f.component, f.rule)
    names = {v.name for v in b.views}
    # a view cut in parts is found at its first part
    groups = {v.name for v in b.views if v.name.startswith("group-")}
    groups |= {n.removesuffix(part_name("", 1)) for n in groups if n.endswith(part_name("", 1))}

    def anchor(name: str) -> str:
        return f"{model_page_href}#view-{name if name in names else part_name(name, 1)}"

    out: dict[str, str] = {}
    for node in view.nodes:
        if node.id in rules:
            out[f"n-{node.id}"] = up + page_url(f"rules/{rules[node.id]}.md", directory_urls)
        elif node.id in components:
            out[f"n-{node.id}"] = f"{model_page_href}#component-{node.id}"
        elif node.id == SYSTEM_NODE:
            out[f"n-{node.id}"] = f"{model_page_href}#view-overview"
        elif node.id.startswith("group.") and f"group-{node.id[6:]}" in groups:
            out[f"n-{node.id}"] = anchor(f"group-{node.id[6:]}")
        elif node.id.startswith("part.") and node.id[5:] in names:
            out[f"n-{node.id}"] = anchor(node.id[5:])
    for cluster in view.clusters:
        if cluster.id.startswith("host-") and cluster.id[5:] in components:
            out[f"c-{cluster.id}"] = f"{model_page_href}#component-{cluster.id[5:]}"
        elif cluster.id == SHARED_HOST:
            out[f"c-{cluster.id}"] = f"{model_page_href}#view-overview"
        elif cluster.id.startswith("ctx-") and f"group-{cluster.id[4:]}" in groups:
            out[f"c-{cluster.id}"] = anchor(f"group-{cluster.id[4:]}")
    return out


def linked_images(b: ModelBundle, directory_urls: bool = True) -> dict[str, bytes]:
    """The model's SVGs with their nodes and boxes linked into the site (plain SVG
    links: no JavaScript)."""
    from archgen.generators.svglayout import add_links, fluid

    specs = {f"{v.name}.svg": v for v in b.views}
    out = {}
    for name, data in sorted(b.images.items()):
        view = specs.get(name)
        out[name] = fluid(add_links(data, diagram_links(b, view, directory_urls))) if view is not None and name.endswith(".svg") else data
    return out


def model_pages(b: ModelBundle, adr_links: dict[str, list[Any]], directory_urls: bool = True) -> Files:
    base = f"models/{b.model.name}/"
    files: Files = {
        base + "index.md": model_page(b, adr_links),
        base + "findings.md": findings_page(b),
    }
    if b.drift is not None:
        files[base + "drift.md"] = drift_page(b)
    for name, data in linked_images(b, directory_urls).items():
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
            else textutil.md_code("archgen adr new --from-draft") + " " + textutil.md_code(d.name)
        )
        lines.append(
            f"| [{textutil.md_cell(d.title)}](drafts/{model_name}-{d.name}.md) | {textutil.md_cell(model_name)} | {how} |"
        )
    return "\n".join(lines) + "\n"


#: archgen's pages at the top of the docs folder besides the home page (each has its nav entry).
GENERATED_TOP_PAGES = ("schema.md",)
#: The style sheet archgen adds to the site (MkDocs ``extra_css``).
SITE_CSS = "assets/archgen.css"


def site_css() -> str:
    """Tables that fit the screen and diagrams that fit their column.

    - every table of a page scrolls inside its own box when it cannot fit (Material
      wraps it in ``.md-typeset__table``; the wrapper must not be wider than the page);
    - cells wrap between words, never inside one; a file:line location, an id or a
      link to a rule is one unbreakable piece, so it never wraps inside
      ``online-boutique`` or ``SEC-DATA-NO-TLS``;
    - a diagram is as wide as the text column at most, its height following (an
      ``<object>`` keeps the SVG's links: plain SVG ``<a>``, no script).
    """
    return """/* Generated by archgen. Do not edit: run `archgen build`. */
.md-typeset__scrollwrap { max-width: 100%; overflow-x: auto; }
.md-typeset__table { max-width: 100%; }
.md-typeset table:not([class]) { font-size: .68rem; }
.md-typeset table:not([class]) td, .md-typeset table:not([class]) th {
  padding: .5em .7em; overflow-wrap: normal; word-break: normal; hyphens: none;
}
.md-typeset table:not([class]) th { min-width: 0; }
.md-typeset table:not([class]) td code, .md-typeset table:not([class]) td a[href*="rules/"] {
  white-space: nowrap; word-break: keep-all; overflow-wrap: normal;
}
.md-typeset object.archgen-diagram { display: block; width: 100%; height: auto; }
.md-typeset pre > code { max-width: 100%; }
@media screen and (max-width: 44.9375em) {
  .md-typeset table:not([class]) { font-size: .64rem; }
}
"""


def nav(bundles: list[ModelBundle], home: str, decisions: bool, gallery: bool = False) -> list[Any]:
    """The navigation archgen adds when the user's configuration has none."""
    items: list[Any] = [{"Home": home}]
    for b in bundles:
        base = f"models/{b.model.name}/"
        sub: list[Any] = [{"Overview": base + "index.md"}, {"Findings": base + "findings.md"}]
        if b.drift is not None:
            sub.append({"Drift": base + "drift.md"})
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
