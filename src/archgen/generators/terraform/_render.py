"""Render a :class:`~archgen.generators.terraform._plan.Plan` through the provider's Jinja templates.

Two environments of :func:`archgen.rendering.templating.environment`: ``hcl`` for the
``.tf`` templates (every value an escaped HCL literal) and ``markdown`` for the README.
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Iterator
from typing import Any

from archgen.catalog import get_catalog
from archgen.rendering.templating import environment
from archgen.generators.terraform import _hcl
from archgen.generators.terraform._plan import Plan

_RESOURCE = re.compile(r'^(resource|data) "([a-z0-9_]+)" "([A-Za-z0-9_-]+)"', re.MULTILINE)


class TemplateError(RuntimeError):
    """A template produced HCL that breaks archgen's own rules (a bug in archgen)."""


@lru_cache(maxsize=None)
def hcl_env():
    env = environment("hcl", "archgen.generators.terraform")
    env.filters["raw"] = _hcl.raw
    env.filters["hcl"] = lambda v: _hcl.Raw(_hcl.finalize(v))
    env.filters["ident"] = _hcl.ident
    env.filters["safe_label"] = _hcl.label_text
    env.filters["cloud_name"] = lambda *parts, max_len=63: _hcl.cloud_name(*parts, max_len=max_len)
    # HCL expressions a template builds from archgen's own pieces (ids, slugs, var names)
    env.filters["expr"] = _hcl.Raw
    env.filters["vault_key"] = _hcl.vault_key
    env.filters["secret_slug"] = _hcl.secret_slug
    env.filters["hcl_object"] = lambda v: _hcl.Raw(_hcl.hcl_value(v))
    env.filters["label_value"] = _hcl.label_value
    env.filters["chart_values"] = lambda c, values: _hcl.Raw(_hcl.hcl_value(c.chart_values(values)))
    return env


@lru_cache(maxsize=None)
def md_env():
    return environment("markdown", "archgen.generators.terraform")


def render(plan: Plan) -> dict[str, str]:
    """File name -> content for the plan's provider."""
    env = hcl_env()
    from archgen.generators.terraform._plan import provider_data

    k8s_data = provider_data(get_catalog().open_provider)
    ctx = {"plan": plan, "model": plan.model, "data": plan.data, "provider": plan.provider, "k8s_data": k8s_data}
    files: dict[str, str] = {}
    for name in plan.data["files"]:
        template = env.select_template([f"{plan.provider}/{name}.j2", f"{name}.j2"])
        body = _hcl.tidy(_tag(plan, template.render(**ctx)))
        if body.strip():
            files[name] = body
    _check_addresses(files)
    _check_types(plan, files)
    files["tests/plan.tftest.hcl"] = plan_test(plan, files)
    readme = md_env().get_template("README.md.j2").render(
        **ctx,
        provider_name=get_catalog().provider_name(plan.provider),
        skipped=plan.skipped,
        required=required_variables(files.get("variables.tf", "")),
        accepted=accepted_checks(plan, files),
        written=_types_by_component(plan, files.get("main.tf", "")),
        review=review_notes(plan, files),
        first=first_steps(plan),
    )
    files["README.md"] = _tidy_md(readme)
    return dict(sorted(files.items()))


_SECTION = re.compile(r"^# -- ([a-z][a-z0-9_-]*): ", re.MULTILINE)
_BLOCK = re.compile(r'^resource "([a-z0-9_]+)" "[A-Za-z0-9_-]+" \{\n(.*?)^\}$', re.MULTILINE | re.DOTALL)


def _tag(plan: Plan, text: str) -> str:
    """Tag (or label) every resource that takes it with the model and the component it
    comes from (provider.yaml ``tags``): a component's resources are the ones in its
    section of main.tf. The model's tag is left to the provider block where it sets one
    for every resource."""
    spec = plan.data.get("tags")
    if not spec:
        return text
    types = set(spec["types"])
    model_value = _hcl.label_value(plan.model.name)

    def tag_blocks(chunk: str, component: str | None) -> str:
        def one(m: re.Match[str]) -> str:
            body = m.group(2)
            argument = spec.get("argument_of", {}).get(m.group(1), spec["argument"])
            if m.group(1) not in types or re.search(rf"^  {argument}\s*=", body, re.MULTILINE):
                return m.group(0)
            pairs = []
            if not spec.get("model_in_provider"):
                pairs.append((spec["model"], model_value))
            if component is not None:
                pairs.append((spec["component"], _hcl.label_value(component)))
            if not pairs:
                return m.group(0)
            pairs = [(k if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", k) else _hcl.finalize(k), v) for k, v in pairs]
            width = max(len(k) for k, _ in pairs)
            lines = "".join(f"    {k.ljust(width)} = {_hcl.finalize(v)}\n" for k, v in pairs)
            return f"{m.group(0)[:-1].rstrip()}\n\n  {argument} = {{\n{lines}  }}\n}}"

        return _BLOCK.sub(one, chunk)

    pieces = _SECTION.split(text)
    out = [tag_blocks(pieces[0], None)]
    for cid, chunk in zip(pieces[1::2], pieces[2::2], strict=True):
        out.append(f"# -- {cid}: " + tag_blocks(chunk, cid))
    return "".join(out)


_DATA = re.compile(r'^data "([a-z0-9_]+)" "([A-Za-z0-9_-]+)"', re.MULTILINE)


@lru_cache(maxsize=None)
def _examples() -> dict[str, Any]:
    from importlib import resources

    from archgen.catalog.vocabulary import parse_data

    text = resources.files("archgen.generators.terraform").joinpath("templates", "examples.yaml").read_text("utf-8")
    return parse_data(text)


def example_value(name: str, type_: str) -> Any:
    """A well-formed example for a required variable (templates/examples.yaml)."""
    ex = _examples()
    if name in ex["names"]:
        return ex["names"][name]
    for ending, value in sorted(ex["endings"].items(), key=lambda kv: -len(kv[0])):
        if name.endswith(ending):
            return value
    return ex["by_type"].get(type_, "example")


def plan_test(plan: Plan, files: dict[str, str]) -> str:
    """``tests/plan.tftest.hcl``: an offline ``terraform test`` that plans the skeleton,
    with example values for the required variables and the provider's data sources."""
    template = hcl_env().select_template([f"{plan.provider}/tests/plan.tftest.hcl.j2", "tests/plan.tftest.hcl.j2"])
    versions = files.get("versions.tf", "")
    from archgen.generators.terraform._plan import provider_data

    known = list(plan.data["terraform"]["providers"]) + list(provider_data(get_catalog().open_provider)["terraform"]["providers"])
    providers_used = [name for name in dict.fromkeys(known) if re.search(rf"^    {name} = \{{", versions, re.MULTILINE)]
    variables = []
    for m in _VARIABLE.finditer(files.get("variables.tf", "")):
        if re.search(r"^  default\s*=", m.group(2), re.MULTILINE):
            continue
        type_ = re.search(r"^  type\s*=\s*(.+)$", m.group(2), re.MULTILINE)
        variables.append((m.group(1), example_value(m.group(1), type_.group(1).strip() if type_ else "string")))
    data_sources = sorted({(m.group(1), m.group(2)) for text in files.values() for m in _DATA.finditer(text)})
    checked = plan.data.get("plan_test", {}).get("override_resource", {})
    overridden = [(t, n, checked[t]) for t, n in (a.split(".", 1) for a in resource_addresses(files)) if t in checked]
    overrides = {
        dtype: _formatted(values, region=plan.region)
        for dtype, values in plan.data.get("plan_test", {}).get("override_data", {}).items()
    }
    body = template.render(
        plan=plan, model=plan.model, data={**plan.data, "plan_test": {"override_data": overrides}},
        provider=plan.provider, examples=variables, data_sources=data_sources, overridden=overridden,
        providers_used=providers_used,
    )
    return _hcl.tidy(body)


def _formatted(value: Any, **fields: str) -> Any:
    if isinstance(value, str):
        return value.format(**fields)
    if isinstance(value, list):
        return [_formatted(v, **fields) for v in value]
    if isinstance(value, dict):
        return {k: _formatted(v, **fields) for k, v in value.items()}
    return value


_VARIABLE = re.compile(r'^variable "([A-Za-z0-9_]+)" \{\n(.*?)^\}', re.MULTILINE | re.DOTALL)


def required_variables(text: str) -> list[str]:
    """Names of the variables in ``text`` (archgen's own variables.tf) with no default."""
    return [m.group(1) for m in _VARIABLE.finditer(text) if not re.search(r"^  default\s*=", m.group(2), re.MULTILINE)]


def resource_types(files: dict[str, str]) -> set[str]:
    return {m.group(2) for text in files.values() for m in _RESOURCE.finditer(text) if m.group(1) == "resource"}


def resource_addresses(files: dict[str, str]) -> list[str]:
    """``type.name`` of every resource in ``files``, sorted."""
    return sorted(
        f"{m.group(2)}.{m.group(3)}" for text in files.values() for m in _RESOURCE.finditer(text) if m.group(1) == "resource"
    )


def resource_blocks(files: dict[str, str]) -> dict[str, str]:
    """``type.name`` -> the text of its block, for every resource in ``files``."""
    return {
        f"{m.group(1)}.{m.group(2)}": m.group(3)
        for name, text in files.items() if name.endswith(".tf")
        for m in _RESOURCE_BLOCK.finditer(text)
    }


_RESOURCE_BLOCK = re.compile(r'^resource "([a-z0-9_]+)" "([A-Za-z0-9_-]+)" \{\n(.*?)^\}$', re.MULTILINE | re.DOTALL)


def expected_failures(plan: Plan, files: dict[str, str]) -> dict[str, set[str]]:
    """Checkov check id -> the addresses it fails on in this skeleton, from
    provider.yaml's ``checkov_accepted`` (one case, or several under ``cases``): a
    resource counts when its address matches
    ``resources``, its block matches ``body`` (if given) and does not match ``unless``,
    and (``with``) a resource of that address pattern exists, ``{name}`` standing for
    the resource's own name, and (``unless_referenced_by``) no resource of that pattern
    refers to it (Checkov's connection conditions); an entry with ``when`` counts only if ``when`` matches a
    generated address."""
    blocks = resource_blocks(files)
    by_name: dict[str, list[str]] = {}
    for address in blocks:
        by_name.setdefault(address.split(".", 1)[1], []).append(address)
    out: dict[str, set[str]] = {}
    for check_id, entry in sorted(plan.data["checkov_accepted"].items()):
        if "when" in entry and not any(re.search(entry["when"], a) for a in blocks):
            continue
        hits = {a for case in entry.get("cases", [entry]) for a in _failing(case, blocks, by_name)}
        if hits:
            out[check_id] = hits
    return out


#: A ``with`` pattern naming the resource's own name and then only literal characters
#: up to its end (no alternative): only addresses of that very name can match it (see :func:`_failing`).
_WITH_OWN_NAME = re.compile(r"(.*)\\\.\{name\}([A-Za-z0-9_-]*)\$")


def _failing(case: dict[str, Any], blocks: dict[str, str], by_name: dict[str, list[str]]) -> Iterator[str]:
    """The addresses of ``blocks`` that ``case`` counts (the conditions of
    :func:`expected_failures`). Each pattern is compiled once per case, not once per
    resource; the resources ``unless_referenced_by`` names are found once; and a ``with``
    of the form ``TYPE\\.{name}SUFFIX$`` is tried only on the resources named
    ``name + SUFFIX``, the only ones it can match (6,455 resources at 1,000 components:
    a scan of all of them per resource took 0.4 s per such check)."""
    resources = re.compile(case["resources"])
    body = re.compile(case["body"], re.MULTILINE) if "body" in case else None
    unless = re.compile(case["unless"], re.MULTILINE) if "unless" in case else None
    own = _WITH_OWN_NAME.fullmatch(case.get("with", "")) if "|" not in case.get("with", "") else None
    referrers = None
    if "unless_referenced_by" in case:
        by = re.compile(case["unless_referenced_by"])
        referrers = "\n".join(text for other, text in blocks.items() if by.search(other))
    for address, text in blocks.items():
        if not resources.search(address):
            continue
        if body is not None and not body.search(text):
            continue
        if unless is not None and unless.search(text):
            continue
        if "with" in case:
            name = address.split(".", 1)[1]
            pattern = re.compile(case["with"].replace("{name}", re.escape(name)))
            others = by_name.get(name + own.group(2), ()) if own else blocks
            if not any(pattern.search(other) for other in others):
                continue
        # the referrers joined by newlines: an address (no newline) between word boundaries
        # matches the joined text exactly where it matches one of them
        if referrers is not None and re.search(rf"\b{re.escape(address)}\b", referrers):
            continue
        yield address


def accepted_checks(plan: Plan, files: dict[str, str]) -> dict[str, str]:
    """Checkov checks this skeleton does not satisfy, each with its reason (the list in
    its README): the checks of :func:`expected_failures`."""
    entries = plan.data["checkov_accepted"]
    return {cid: " ".join(entries[cid]["reason"].split()) for cid in expected_failures(plan, files)}


def first_steps(plan: Plan) -> list[str]:
    """What to do before the first ``terraform apply`` can succeed, in order: DNS,
    images, then each service's own step (provider.yaml ``readme`` and ``first``). The
    texts are archgen's own, with ids and names (slugs) filled in: Markdown as it is."""
    readme = plan.data.get("readme", {})
    steps: list[str] = []
    if plan.entry_points:
        if plan.dns is not None and readme.get("dns_first"):
            steps.append(readme["dns_first"].format(dns=plan.dns.name))
        elif readme.get("certs_first"):
            steps.append(readme["certs_first"])
    for registry in plan.generated:
        users = [p.id for p in registry.callers if p.has("compute")] if registry.spec.get("images") else []
        if users and readme.get("images_first"):
            steps.append(readme["images_first"].format(users=", ".join(users), registry=registry.name))
    for p in plan.generated:
        text = plan.data.get("first", {}).get(p.key)
        if text:
            steps.append(text.format(id=p.id, name=p.name, rname=p.rname, label=p.label))
    return [" ".join(t.split()) for t in steps]


def review_notes(plan: Plan, files: dict[str, str]) -> list[str]:
    """provider.yaml's ``readme.review`` texts whose ``resources`` pattern matches."""
    addresses = resource_addresses(files)
    out = []
    for entry in plan.data.get("readme", {}).get("review", []):
        pattern = re.compile(entry["resources"])
        if any(pattern.search(a) for a in addresses):
            out.append(" ".join(entry["text"].split()))
    return out


def _types_by_component(plan: Plan, main_tf: str) -> dict[str, list[str]]:
    """Component id -> resource types its section of main.tf writes, sorted."""
    out: dict[str, list[str]] = {}
    sections = re.split(r"^# -- ([a-z][a-z0-9_-]*): ", main_tf, flags=re.MULTILINE)
    for cid, body in zip(sections[1::2], sections[2::2], strict=True):
        out[cid] = sorted({m.group(2) for m in _RESOURCE.finditer(body) if m.group(1) == "resource"})
    return out


def _check_addresses(files: dict[str, str]) -> None:
    seen: dict[tuple[str, str, str], str] = {}
    for fname, text in files.items():
        for m in _RESOURCE.finditer(text):
            key = (m.group(1), m.group(2), m.group(3))
            if key in seen:
                raise TemplateError(f"{m.group(1)} {m.group(2)}.{m.group(3)} is defined in {seen[key]} and {fname}")
            seen[key] = fname


def _check_types(plan: Plan, files: dict[str, str]) -> None:
    """Every resource type written is one the catalog names for a generated service, or
    one of the provider's declared supporting types (network, identity, keys)."""
    allowed = set(plan.data["supporting_types"])
    for p in plan.generated:
        allowed.update(p.service.terraform)
    unknown = resource_types(files) - allowed
    if unknown:
        raise TemplateError(f"resource types neither in the catalog nor declared as supporting: {sorted(unknown)}")


def _tidy_md(text: str) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip()
        if not line and out and not out[-1]:
            continue
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"
