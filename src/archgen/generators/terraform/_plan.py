"""What to provision, read from the model's graph before any template runs.

A :class:`Plan` holds one :class:`Part` per provisioned component, with everything the
templates need already derived:

- the service on the target provider (the model's own choice, or the catalog's
  equivalent when generating for another provider);
- network rules: a component with a firewall (a security group, a network security
  group...) accepts traffic only from the components that have a flow into it, on its
  port, and from the internet only when it is exposed (``public``, or called by an
  actor); its egress goes only to what it calls;
- access grants: a call to a service reached through the provider's API (an ML
  endpoint, a registry...) becomes a permission on the caller's identity instead;
- secrets: names only, kept in the secrets store the component calls; environment
  values that look like secrets become secrets too and are never written;
- log sinks, exposure, high availability, encryption, and cloud-side names.

Provider knowledge comes from two places: the catalog (which service, its resource
types, its Terraform gaps) and ``templates/<provider>/provider.yaml`` (ports, grants,
how each service is reached): nothing here branches on a provider's name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from operator import attrgetter
from typing import Any

from archgen.catalog import Service, get_catalog
from archgen.catalog.vocabulary import has_trait, parse_data
from archgen.graph import ArchGraph
from archgen.model import Component, Model
from archgen.graph.facts import flow_tls
from archgen.graph.secretscan import secret_reason
from archgen.generators.terraform._hcl import Raw, cloud_name, ident, label_text, raw

INTERNET_CIDR = "0.0.0.0/0"


@lru_cache(maxsize=None)
def provider_data(provider: str) -> dict[str, Any]:
    """``templates/<provider>/provider.yaml``: Terraform facts that are not the catalog's."""
    text = resources.files("archgen.generators.terraform").joinpath("templates", provider, "provider.yaml").read_text("utf-8")
    data = parse_data(text) or {}
    data["_provider"] = provider
    data.setdefault("services", {})
    data.setdefault("supporting_types", [])
    data.setdefault("checkov_accepted", {})
    return data


@lru_cache(maxsize=None)
def template_names(provider: str) -> frozenset[str]:
    """Service templates that exist for ``provider`` (``services/<key>.tf.j2``)."""
    folder = resources.files("archgen.generators.terraform").joinpath("templates", provider, "services")
    return frozenset(p.name for p in folder.iterdir() if p.name.endswith(".j2"))


@dataclass(frozen=True)
class NetRule:
    """One allowed flow of traffic through a firewall."""

    port: Raw  # an HCL expression: a number or a variable
    peer: Part | None  # None: the internet (or a CIDR); else the other component
    description: str  # goes through hcl_string; already narrowed to a cloud-safe set
    key: Raw  # a suffix for the rule's resource name
    cidr: str | None = None
    prefix_list: str | None = None
    cidrs: Raw | None = None  # an HCL list of CIDRs (a variable): one rule per element
    via: Part | None = None  # the placed component this rule reaches through its cluster


@dataclass(frozen=True)
class Gap:
    """Something the skeleton leaves to do by hand, about one component."""

    component: str
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Grant:
    """A permission the caller's identity needs to call a service through its API."""

    role: str
    actions: tuple[str, ...]
    resources: tuple[Raw, ...]
    target: Part
    kms: bool = False  # the target is encrypted with the model's key: the caller may use it
    consume: bool = False  # the target calls the caller (a queue or stream it reads from)


@dataclass(eq=False)
class Part:
    """One component as the Terraform of one provider sees it."""

    comp: Component
    id: str
    name: Raw  # Terraform identifier (component id, '-' mapped to '_')
    kind: str
    service: Service
    spec: dict[str, Any]  # the service's entry in provider.yaml
    template: str | None  # services/<key>.tf.j2, or None when not generated yet
    rname: Raw  # cloud-side name, at most 63 characters (write it inside quotes)
    short: Raw  # cloud-side name, at most 32 characters (load balancers, target groups)
    label: Raw  # DNS label
    model_name: str = ""
    provider: str = ""  # whose templates write it: the plan's, or Kubernetes for a placed component
    guest: bool = False  # placed (runs_on) on a cluster of a cloud model: kubernetes/helm templates
    host: Part | None = None  # the cluster it runs on, when placed
    implicit: bool = False  # added by archgen (e.g. a secrets store the model lacks)
    callers: list[Part] = field(default_factory=list)
    callees: list[Part] = field(default_factory=list)
    exposed: bool = False
    ingress: list[NetRule] = field(default_factory=list)
    egress: list[NetRule] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    env: list[tuple[str, str]] = field(default_factory=list)
    moved_env: list[tuple[str, str]] = field(default_factory=list)
    secret_store: Part | None = None
    stored_secrets: list[str] = field(default_factory=list)
    log_sink: Part | None = None
    log_sources: list[Part] = field(default_factory=list)
    unreached: list[Part] = field(default_factory=list)  # callers the network cannot place
    tls_to: dict[str, bool] = field(default_factory=dict)  # callee id -> every flow to it uses TLS
    shields: list[Part] = field(default_factory=list)  # web application firewalls in front of it
    why_not: str | None = None  # why a service with a template is not generated for this model

    # -- what templates read -------------------------------------------------------

    @property
    def key(self) -> str:
        return self.service.key

    @property
    def stem(self) -> str:
        """The template's name without ``.tf.j2``: its ``.variables.tf.j2`` and
        ``.outputs.tf.j2`` companions share it."""
        return (self.template or f"{self.key}.tf.j2").removesuffix(".tf.j2")

    @property
    def replicas(self) -> int:
        """How many instances run: the model's sizing (``instances``), at least two when
        highly available."""
        return max(int(self.sizing.get("instances", 1) or 1), 2 if self.ha else 1)

    def has(self, trait: str) -> bool:
        """Whether the component's kind has ``trait`` (catalog data: compute, data_store...)."""
        return has_trait(self.kind, trait)

    def chart_values(self, values: Any) -> Any:
        """provider.yaml's Helm values for the service, with the model's sizing filled in:
        "{replicas}", "{replicas3}" (three when highly available, else one), "{ha}",
        "{single}" (not highly available), "{vcpu}", "{memory}" (e.g. "2G")."""
        fills: dict[str, Any] = {
            "{replicas}": self.replicas,
            "{replicas3}": max(self.replicas, 3) if self.ha else 1,
            "{ha}": self.ha,
            "{single}": not self.ha,
            "{vcpu}": self.sizing.get("vcpu", 1),
            "{memory}": f"{self.sizing.get('memory_gb', 1):g}G",
            "{namespace}": Raw("var.namespace"),
        }
        if isinstance(values, dict):
            return {k: self.chart_values(v) for k, v in values.items()}
        if isinstance(values, list):
            return [self.chart_values(v) for v in values]
        if isinstance(values, str) and values in fills:
            return fills[values]
        return values

    @property
    def shield(self) -> Part | None:
        """The model's web application firewall in front of this component, if any."""
        return self.shields[0] if self.shields else None

    #: The component's own fields, as the templates name them.
    title = property(attrgetter("comp.display_name"))
    public = property(attrgetter("comp.is_public"))
    ha = property(attrgetter("comp.high_availability"))
    encrypted = property(attrgetter("comp.encrypted"))
    tls = property(attrgetter("comp.tls"))

    @property
    def description(self) -> str:
        return self.comp.description or ""

    @property
    def data(self) -> list[str]:
        return sorted(set(self.comp.data))

    @property
    def firewalled(self) -> bool:
        """Whether it sits behind a firewall of its own (only a generated component)."""
        return bool(self.spec.get("firewall")) and self.template is not None

    @property
    def listens(self) -> bool:
        """Whether callers reach it over the network (a firewalled service with a port);
        a firewalled service without one (a function in the VPC) is reached through its
        API, and its firewall only lets it out."""
        return self.firewalled and "port" in self.spec

    @property
    def port(self) -> Raw:
        return _expr(self.spec.get("port", 443), self)

    @property
    def sizing(self) -> dict[str, Any]:
        """The catalog's default sizing for the service, overridden by the component's."""
        return {**self.service.sizing, **self.comp.sizing}

    def cloud(self, suffix: str = "", max_len: int = 63) -> Raw:
        """A cloud-side name for one of the component's resources (write it in quotes)."""
        parts = [self.model_name, self.id] + ([suffix] if suffix else [])
        return raw(cloud_name(*parts, max_len=max_len))

    @property
    def account_id(self) -> Raw:
        """A service-account style id: 6 to 30 characters."""
        name = cloud_name(self.model_name, self.id, max_len=30)
        if len(name) < 6:
            name = cloud_name(name, "svc")
        return raw(name)

    @property
    def numeric_id(self) -> Raw:
        """A stable 10-digit number for resources whose name must be numeric."""
        digest = int(hashlib.sha256(f"{self.model_name}/{self.id}".encode()).hexdigest(), 16)
        return Raw(str(1_000_000_000 + digest % 9_000_000_000))

    @property
    def identity(self) -> Raw | None:
        """The HCL expression of the identity the component runs as, if it has one."""
        expr = self.spec.get("identity")
        return _expr(expr, self) if expr else None

    @property
    def heading(self) -> Raw:
        """A comment line that opens the component's section (id, kind, service key:
        all of a safe character set)."""
        text = f"# -- {self.id}: {self.kind} ({self.key}) "
        return Raw(text + "-" * max(3, 88 - len(text)))

    def flow_tls_to(self, other: Part) -> bool:
        """Whether the model's flows from this component to ``other`` are encrypted."""
        return self.tls_to.get(other.id, other.tls)

    def callers_of(self, *kinds: str) -> list[Part]:
        return [p for p in self.callers if not kinds or p.kind in kinds]

    def callees_of(self, *kinds: str) -> list[Part]:
        return [p for p in self.callees if not kinds or p.kind in kinds]

    def grants_for(self, role: str) -> list[Grant]:
        return [g for g in self.grants if g.role == role]

    @property
    def internet_egress(self) -> bool:
        return any(r.peer is None for r in self.egress)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Part({self.id!r}, {self.key!r})"


@dataclass
class Plan:
    model: Model
    provider: str
    data: dict[str, Any]
    parts: list[Part]
    skipped: list[tuple[str, str]]  # (component id, why it is not provisioned)
    gaps: list[Gap]  # what the catalog says Terraform cannot do, or archgen does not yet
    notes: list[str]  # what a user must know or fill in

    def part(self, cid: str) -> Part:
        return next(p for p in self.parts if p.id == cid)

    def of_kind(self, *kinds: str) -> list[Part]:
        return [p for p in self.parts if p.kind in kinds and p.template]

    @property
    def generated(self) -> list[Part]:
        return [p for p in self.parts if p.template]

    @property
    def stubs(self) -> list[Part]:
        return [p for p in self.parts if not p.template]

    @property
    def dns(self) -> Part | None:
        found = self.of_kind("dns")
        return found[0] if found else None

    @property
    def firewalled(self) -> list[Part]:
        """Generated components of the plan's own provider behind a firewall of their own."""
        return [p for p in self.generated if p.firewalled and not p.guest]

    @property
    def guests(self) -> list[Part]:
        """Components placed on a cluster of a cloud model: the kubernetes and helm
        templates write them against that cluster (cluster.tf holds what they share)."""
        return [p for p in self.generated if p.guest]

    @property
    def hosts(self) -> list[Part]:
        """The clusters the guests run on, each once."""
        out: list[Part] = []
        for p in self.guests:
            if p.host is not None and p.host not in out:
                out.append(p.host)
        return out

    @property
    def k8s_firewalled(self) -> list[Part]:
        """What the Kubernetes network policies cover: every firewalled component on
        Kubernetes itself, the guests on a cloud."""
        return [p for p in self.generated if p.firewalled and p.provider == get_catalog().open_provider]

    @property
    def entry_points(self) -> list[Part]:
        """Components of the plan's provider reached by a host name (with a certificate)."""
        return [p for p in self.generated if p.spec.get("hostname") and not p.guest]

    @property
    def hostnames(self) -> list[Part]:
        """Every component reached by a host name, guests on a cluster included."""
        return [p for p in self.generated if p.spec.get("hostname") is not None]

    @property
    def ha(self) -> bool:
        """Whether any generated component is highly available (the network follows)."""
        return any(p.ha for p in self.generated)

    @property
    def needs_vpc(self) -> bool:
        """Whether the skeleton has a network of its own: a component behind a firewall,
        or one that attaches to the network (a VPN)."""
        return bool(self.firewalled) or any(p.spec.get("vpc") for p in self.generated)

    @property
    def nat_per_zone(self) -> bool:
        """One NAT gateway per zone: something calls out and the model is highly available."""
        return self.needs_nat and self.ha

    @property
    def needs_nat(self) -> bool:
        return any(p.internet_egress for p in self.firewalled)

    @property
    def region(self) -> str:
        return self.model.region if self.provider == self.model.provider and self.model.region else self.data["default_region"]

    def uses(self, resource_type_prefix: str) -> bool:
        return any(t.startswith(resource_type_prefix) for p in self.generated for t in p.service.terraform)


def _expr(value: Any, part: Part, caller: Part | None = None) -> Raw:
    """A provider.yaml expression (archgen's own HCL) with {name}, {rname}, {label} and
    {caller} (the calling component's id) filled in: all are made of safe characters."""
    if isinstance(value, int):
        return Raw(str(value))
    return Raw(
        str(value).format(name=part.name, rname=part.rname, label=part.label, caller=caller.id if caller else "")
    )


def service_for(comp: Component, model: Model, provider: str) -> tuple[Service | None, str | None]:
    """The component's service on ``provider`` and, when there is none, why."""
    cat = get_catalog()
    svc = cat.resolve_service(model, comp, provider)
    if svc is None:
        return None, cat.resolve_gap(model, comp, provider)
    return svc, None


def _unique_names(ids: list[str], reserved: set[str]) -> dict[str, Raw]:
    names: dict[str, Raw] = {}
    taken = set(reserved)
    for cid in sorted(ids):
        base = ident(cid)
        name, n = base, 2
        while name in taken:
            name, n = Raw(f"{base}_{n}"), n + 1
        taken.add(name)
        names[cid] = name
    return names


def build_plan(model: Model, provider: str | None = None) -> Plan:
    provider = provider or model.provider
    data = provider_data(provider)
    cat = get_catalog()
    data.setdefault("default_region", cat.providers[provider].default_region)
    templates = template_names(provider)
    graph = ArchGraph(model)

    skipped: list[tuple[str, str]] = []
    gaps: list[Gap] = []
    notes: list[str] = []
    chosen: dict[str, Service] = {}
    for comp in graph.components():
        if not cat.provisioned(comp.kind):
            skipped.append((comp.id, f"{comp.kind}: drawn and checked, never provisioned"))
            continue
        svc, why = service_for(comp, model, provider)
        if svc is None:
            gaps.append(Gap(comp.id, f"{comp.id} ({comp.kind}): {why}"))
            skipped.append((comp.id, f"no {comp.kind} service on {cat.provider_name(provider)}"))
            continue
        chosen[comp.id] = svc

    names = _unique_names(list(chosen), set(data.get("reserved_names", [])))
    parts: dict[str, Part] = {}
    for cid, svc in chosen.items():
        parts[cid] = _make_part(model, model.components[cid], svc, names[cid], data, templates, graph)

    # a secrets store for components whose secrets have nowhere to live
    homeless = [p for p in parts.values() if _secret_names(p)[0] and not _store_of(p, graph, parts)]
    if homeless:
        svc = cat.service("secrets", provider)
        if svc is not None:
            sid = "secrets"
            while sid in model.components:
                sid = "app-" + sid
            comp = Component(kind="secrets", title="Application secrets")
            comp._id = sid
            name = _unique_names([sid], set(data.get("reserved_names", [])) | {str(n) for n in names.values()})[sid]
            store = _make_part(model, comp, svc, name, data, templates, graph, implicit=True)
            parts[sid] = store
            notes.append(
                f"The model has no secrets component for the secrets of {', '.join(p.id for p in homeless)}: "
                f"archgen added {sid} ({svc.name}). Add a secrets component and a flow to it in the model."
            )

    # placement: a component that runs on a cluster of the model is written by the
    # Kubernetes templates against that cluster
    for p in parts.values():
        if p.comp.runs_on and p.comp.runs_on in parts:
            p.host = parts[p.comp.runs_on]
        if p.guest and (p.host is None or not p.host.spec.get("cluster_access")):
            p.template = None
            where = p.comp.runs_on or "a cluster"
            p.why_not = (
                f"{p.id} ({p.service.name}) runs on {where}, which this skeleton cannot reach with the "
                f"kubernetes and helm providers (not a Kubernetes cluster it creates): install it there yourself"
            )

    # neighbours along flows (only provisioned components take part). A component the
    # provider has no service for (a CDN on Kubernetes) and an inline firewall are
    # passed through: their callers reach what they call.
    gapped = {cid for cid, _ in skipped if cid not in chosen and cat.provisioned(model.components[cid].kind)}
    inline = {cid for cid, p in parts.items() if p.spec.get("inline")}
    for p in parts.values():
        if p.implicit:
            continue
        through = gapped if p.id in inline else gapped | inline
        p.callers = [parts[c] for c in _reach(graph, p.id, through, up=True) if c in parts]
        p.callees = [parts[c] for c in _reach(graph, p.id, gapped, up=False) if c in parts]
        p.exposed = graph.is_exposed(p.id) or any(
            graph.is_exposed(c) for c in _reach(graph, p.id, gapped | inline, up=True, keep=True) if c in gapped | inline
        )
        p.shields = [parts[c.id] for c in graph.callers(p.id) if c.id in inline]
        for f in graph.flows_from(p.id):
            p.tls_to[f.to] = p.tls_to.get(f.to, True) and flow_tls(model, f)

    # a front end with nothing it can route to is not written (a URL map needs a backend)
    for p in parts.values():
        if p.spec.get("not_generated"):
            p.template = None
            p.why_not = f"{p.id} ({p.service.name}): {' '.join(str(p.spec['not_generated']).split())}"
        if p.template and p.spec.get("needs_gateway") and not any(c.spec.get("hostname") is not None and c.template for c in p.callees):
            p.template = None
            p.why_not = (
                f"{p.id} ({p.service.name}) runs inside a gateway, and the model gives it none to protect: "
                f"add a flow from it to a load balancer (the gateway)"
            )
        if p.template and p.spec.get("needs_backend") and not any(c.spec.get("backend") and c.template for c in p.callees):
            p.template = None
            p.why_not = (
                f"{p.id} ({p.service.name}) calls nothing archgen can put behind it "
                f"(a container service, a function, a VM or a static site): add its backend yourself "
                f"with {', '.join(p.service.terraform)}"
            )

    for p in sorted(parts.values(), key=lambda x: x.id):
        _secrets(p, graph, parts, notes)
        sinks = p.callees_of("monitoring")
        p.log_sink = sinks[0] if sinks and sinks[0].template else None
        if p.log_sink is not None:
            p.log_sink.log_sources.append(p)
    for p in parts.values():
        _network(p, graph)
        _grants(p)
    # traffic to a placed component enters through its cluster's firewall
    for p in sorted(parts.values(), key=lambda x: x.id):
        for rule in list(p.egress):
            callee = rule.via
            if callee is not None and rule.peer is not None and rule.peer.firewalled:
                rule.peer.ingress.append(
                    NetRule(callee.port, p, label_text(f"from {p.id} to {callee.id}"), raw(f"{p.name}_{callee.name}"))
                )

    # a cloud skeleton with placed components takes in Kubernetes' facts too
    if any(p.guest and p.template for p in parts.values()):
        k8s = provider_data(cat.open_provider)
        data = {
            **data,
            "checkov_accepted": {**k8s["checkov_accepted"], **data["checkov_accepted"]},
            "supporting_types": list(data["supporting_types"]) + list(k8s["supporting_types"]),
        }
        hosts = sorted({p.host.id for p in parts.values() if p.guest and p.template and p.host})
        for p in parts.values():
            if not (p.guest and p.template):
                continue
            if p.host is not None and p.host.id != hosts[0]:
                p.template = None
                p.why_not = (
                    f"{p.id} runs on {p.host.id}: archgen points the kubernetes and helm providers "
                    f"at one cluster per skeleton ({hosts[0]})"
                )
                gaps.append(Gap(p.id, p.why_not))
                continue
            cloud_calls = [c.id for c in p.callees if not c.guest and (c.spec.get("grant") or c.spec.get("role"))]
            if cloud_calls:
                notes.append(
                    f"{p.id} runs on {p.host.id if p.host else 'a cluster'} and calls {', '.join(cloud_calls)} through "
                    f"the cloud's API: its pods need an identity for that (IRSA or EKS Pod Identity, GKE Workload "
                    f"Identity, AKS workload identity), which archgen does not write yet."
                )

    ordered = sorted(parts.values(), key=lambda x: x.id)
    for p in ordered:
        if p.service.terraform_gap:
            note = f" {p.spec['gap_note']}" if p.template and p.spec.get("gap_note") else ""
            gaps.append(Gap(p.id, f"{p.id} ({p.service.name}): {p.service.terraform_gap}{note}"))
        if p.why_not:
            gaps.append(Gap(p.id, p.why_not))
        elif not p.template and p.spec.get("requires_exposed"):
            gaps.append(Gap(
                p.id,
                f"{p.id} ({p.service.name}): archgen generates only the public variant; "
                f"{p.id} is not public, so write the internal one with {', '.join(p.service.terraform)}",
            ))
        elif not p.template and p.service.terraform:  # with no type at all, its terraform_gap says why
            gaps.append(Gap(
                p.id,
                f"{p.id} ({p.service.name}): archgen does not generate this service yet; "
                f"write it with the resource types {', '.join(p.service.terraform)}",
            ))
        for caller in p.unreached:
            notes.append(
                f"{caller.id} calls {p.id}, but {caller.id} is not in the network: "
                f"allow its traffic into {p.id} yourself."
            )
    return Plan(model, provider, data, ordered, skipped, gaps, notes)


def _reach(graph: ArchGraph, cid: str, through: set[str], up: bool, keep: bool = False) -> list[str]:
    """Callers (``up``) or callees of ``cid``, looking through the components in
    ``through`` to their own callers or callees; ``keep`` lists those too."""
    out: list[str] = []
    seen = {cid}
    stack = [c.id for c in (graph.callers(cid) if up else graph.callees(cid))]
    while stack:
        nxt = stack.pop(0)
        if nxt in seen:
            continue
        seen.add(nxt)
        if nxt in through:
            if keep:
                out.append(nxt)
            stack.extend(c.id for c in (graph.callers(nxt) if up else graph.callees(nxt)))
        else:
            out.append(nxt)
    return sorted(set(out))


def _make_part(
    model: Model,
    comp: Component,
    svc: Service,
    name: Raw,
    data: dict[str, Any],
    templates: frozenset[str],
    graph: ArchGraph,
    implicit: bool = False,
) -> Part:
    spec_data = data if svc.provider == data["_provider"] else provider_data(svc.provider)
    spec = dict(spec_data["services"].get(svc.key) or {})
    if svc.provider != data["_provider"]:
        templates = template_names(svc.provider)
    template = spec.get("template", f"{svc.key}.tf.j2")
    if spec.get("requires_exposed") and not implicit and not graph.is_exposed(comp.id):
        template = None  # archgen writes only the public variant of this service
    return Part(
        comp=comp,
        id=comp.id,
        name=name,
        kind=comp.kind,
        service=svc,
        spec=spec,
        template=template if template in templates else None,
        rname=raw(cloud_name(model.name, comp.id)),
        short=raw(cloud_name(model.name, comp.id, max_len=32)),
        label=raw(cloud_name(comp.id)),
        model_name=model.name,
        provider=svc.provider,
        guest=svc.provider != data["_provider"],
        implicit=implicit,
    )


def _secret_names(p: Part) -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str]]]:
    """(secret names, plain env, env moved to secrets with the reason)."""
    names = set(p.comp.secrets)
    env: list[tuple[str, str]] = []
    moved: list[tuple[str, str]] = []
    for key, value in sorted(p.comp.env.items()):
        why = secret_reason(key, value)
        if why:
            names.add(key)
            moved.append((key, why))
        else:
            env.append((key, _env_text(value)))
    return sorted(names), env, moved


def _env_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _store_of(p: Part, graph: ArchGraph, parts: dict[str, Part]) -> Part | None:
    for c in graph.callees(p.id, kinds=("secrets",)):
        if c.id in parts and parts[c.id].template:
            return parts[c.id]
    return None


def _secrets(p: Part, graph: ArchGraph, parts: dict[str, Part], notes: list[str]) -> None:
    names, env, moved = _secret_names(p)
    p.env = env
    p.moved_env = moved
    if not names:
        return
    store = _store_of(p, graph, parts) if not p.implicit else None
    if store is None:
        store = next((s for s in parts.values() if s.implicit and s.kind == "secrets"), None)
    p.secrets = names
    p.secret_store = store
    if store is not None:
        store.stored_secrets = sorted(set(store.stored_secrets) | set(names))
        if store.implicit and p not in store.callers:
            # the store archgen added is reached as if the model had the flow
            store.callers.append(p)
            p.callees.append(store)
    for key, why in moved:
        notes.append(
            f"{p.id}: the env value {key} was not written because {why}; "
            f"it is a secret in {store.id if store else 'a secrets store'}: set its value there."
        )


def _network(p: Part, graph: ArchGraph) -> None:
    """Firewall rules from the flows: in from callers and (if exposed) the internet,
    out to callees."""
    if not p.firewalled:
        return
    seen: set[tuple[str, str]] = set()
    if p.exposed and p.listens:
        for port in p.spec.get("public_ports", [p.spec.get("port", 443)]):
            port_raw = _expr(port, p)
            p.ingress.append(NetRule(port_raw, None, f"from the internet to {p.id} on {port}", raw(f"internet_{port}" if isinstance(port, int) else "internet"), cidr=INTERNET_CIDR))
    for caller in p.callers if p.listens else []:
        labels = sorted({f.label for f in graph.flows_into(p.id) if f.source == caller.id and f.label})
        text = label_text(f"from {caller.id}" + (f" ({', '.join(labels)})" if labels else ""))
        if p.guest and not caller.guest:
            # from outside the cluster (a cloud load balancer, a VM): the policy admits the port
            p.ingress.append(NetRule(p.port, None, text, caller.name))
            continue
        peer = _peer(caller, p)
        if peer is None:
            p.unreached.append(caller)
            continue
        if peer.firewalled:
            if (peer.id, "in") in seen:
                continue
            seen.add((peer.id, "in"))
            if peer is not caller:
                text = label_text(f"from {caller.id} on {peer.id}")
            p.ingress.append(NetRule(p.port, peer, text, peer.name))
        elif caller.spec.get("namespace"):
            p.ingress.append(NetRule(p.port, caller, text, caller.name))
        elif caller.spec.get("origin_prefix_list"):
            p.ingress.append(
                NetRule(p.port, caller, text, caller.name, prefix_list=str(caller.spec["origin_prefix_list"]))
            )
        else:
            p.unreached.append(caller)
    internet_needed = False
    for callee in p.callees:
        if callee.template is None:
            continue
        if callee.spec.get("remote_cidrs"):
            p.egress.append(
                NetRule(
                    _expr(callee.spec.get("remote_port", 443), callee), callee,
                    label_text(f"to the networks beyond {callee.id}"), callee.name,
                    cidrs=_expr(callee.spec["remote_cidrs"], callee),
                )
            )
        elif p.guest:
            continue  # network policies here admit traffic in; the pods may call out
        elif callee.guest and callee.listens:
            host = _peer(callee, p)
            if host is not None and host.firewalled:
                text = label_text(f"to {callee.id} on {host.id}")
                p.egress.append(NetRule(callee.port, host, text, raw(f"{host.name}_{callee.name}"), via=callee))
        elif callee.listens:
            labels = sorted({f.label for f in graph.flows_from(p.id) if f.to == callee.id and f.label})
            text = label_text(f"to {callee.id}" + (f" ({', '.join(labels)})" if labels else ""))
            p.egress.append(NetRule(callee.port, callee, text, callee.name))
        else:
            internet_needed = True
    external = [c for c in graph.callees(p.id) if c.kind == "external"]
    if internet_needed or external:
        p.egress.append(
            NetRule(Raw("443"), None, label_text(f"from {p.id} to provider APIs and external systems over HTTPS"), Raw("https"), cidr=INTERNET_CIDR)
        )


def _peer(other: Part, p: Part) -> Part | None:
    """Who ``p``'s firewall sees for ``other``: the cluster it runs on for a placed
    component seen from outside the cluster, the component itself otherwise."""
    if other.guest and not p.guest:
        return other.host
    return other


def _grants(p: Part) -> None:
    """Permissions on the caller's identity from the provider.yaml of what it calls
    (``grant``) and of the stores that call it, which it reads from (``consume``). A
    placed component has no cloud identity of its own here (a note says so)."""
    if p.guest:
        return
    for callee in p.callees:
        if callee.template is None:
            continue
        for spec in _listed(callee.spec.get("grant")):
            if "when_caller" not in spec or p.has(spec["when_caller"]):
                p.grants.append(_grant(spec, callee, p))
    for caller in p.callers:
        if caller.template is None:
            continue
        for spec in _listed(caller.spec.get("consume")):
            if "when_caller" not in spec or p.has(spec["when_caller"]):
                p.grants.append(_grant(spec, caller, p, consume=True))


def _listed(value: Any) -> list[dict[str, Any]]:
    if not value:
        return []
    return value if isinstance(value, list) else [value]


def _grant(spec: dict[str, Any], target: Part, holder: Part, consume: bool = False) -> Grant:
    arns = spec["resources"] if isinstance(spec["resources"], list) else [spec["resources"]]
    return Grant(
        role=spec.get("role", "task"),
        actions=tuple(spec["actions"]),
        resources=tuple(_expr(a, target, holder) for a in arns),
        target=target,
        kms=bool(spec.get("kms")) and target.encrypted,
        consume=consume,
    )
