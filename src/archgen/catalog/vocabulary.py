"""The catalog's vocabulary: which kinds and providers exist, and what each kind *is*.

This is the light half of the catalog (PyYAML only, no pydantic types), read once from
``catalog/data/kinds.yaml`` so that the model, the graph and the rules ask data instead
of keeping lists of kind names::

    from archgen.catalog.vocabulary import KINDS, PROVIDERS, ZONES, kinds_with, has_trait
    kinds_with("data_store")         # frozenset({"postgres", "mysql", ...})
    has_trait("cache", "stateful")   # True
    ZONES["corporate"]["trusted"]    # True: the built-in zones are data too

Adding a kind is adding it to ``kinds.yaml`` with its traits (and an entry in each
provider's file): every rule, view, cost line and Terraform plan that asks for a trait
then picks it up. :func:`archgen.catalog.get_catalog` checks that every kind has traits
from :data:`TRAITS` only.
"""

from __future__ import annotations

import functools
import os
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

#: Every trait a kind may have, with what it means to the code that asks for it.
TRAITS: dict[str, str] = {
    "person": "people or systems that use the architecture: drawn, never provisioned, never a target of data",
    "external": "a system outside the provider (a SaaS, a partner API): drawn and checked, never provisioned",
    "public_by_default": "reachable from the internet unless the component says `public: false`",
    "tls_exempt": "traffic to it is not expected to carry TLS (DNS queries; people)",
    "data_store": "holds data a rule protects: never public, encrypted at rest, reached through an application",
    "stateful": "holds state that needs redundancy (a second zone or replica) to survive a failure",
    "bucket": "an object store: public only through a CDN or an explicit choice",
    "compute": "runs application code: the application tier a load balancer or gateway forwards to",
    "deployable": "counted as an independently deployed service when the model does not say how many",
    "edge": "fronts traffic from the internet (load balancer, CDN, API gateway)",
    "entry": "can be the internet's entry point and so needs a WAF when it leads to sensitive data",
    "fronting": "forwards requests without application code of its own: a path through it is no application tier",
    "network": "part of the network path (DNS, load balancing, delivery)",
    "security": "a security service (secrets, identity, firewall)",
    "operations": "runs the delivery or the bill, not the application: replacing it changes configuration only",
    "account_level": "belongs to the account, not to a flow: no flow is expected to touch it",
    "host": "other components can run on it (`runs_on`)",
    "device": "runs on the user's device: has a `platform` (web, mobile, desktop), never provisioned",
    "shield": "sits in front of the components it `protects` (a WAF)",
    "signs_in": "signs people in (an identity provider): a component that hands its login to it knows who is calling",
    "tunnel": "encrypts what crosses zones through it (a site-to-site VPN, a private interconnect)",
    "console": "serves a web UI that operates the system or its data (notebooks, pipeline and workflow UIs, model registries): it belongs behind identity",
    "notifies": "delivers messages to people (e-mail, SMS, push): a flow from it into a person is a delivery, not a reversed call",
}

#: The private tiers of the network view a kind may be drawn in.
TIERS = ("app", "data")

try:  # the C loader is several times faster; fall back when libyaml is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader


def parse_data(text: str) -> Any:
    """A data file's YAML, parsed by the C loader where PyYAML has it (archgen's own data
    files and Terraform facts: several times faster than ``yaml.safe_load``)."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader


#: An environment variable naming a folder that replaces ``catalog/data`` (kinds.yaml and one
#: file per provider): a catalog of one's own, or a test's temporary one.
CATALOG_ENV = "ARCHGEN_CATALOG_DIR"


def read_text(name: str) -> str:
    """One file of the catalog's data, as text (from ``$ARCHGEN_CATALOG_DIR`` when set)."""
    folder = os.environ.get(CATALOG_ENV)
    if folder:
        return Path(folder, name).read_text(encoding="utf-8")
    return resources.files("archgen.catalog").joinpath("data", name).read_text(encoding="utf-8")


def read_data(name: str) -> Any:
    """One file of the catalog's data, parsed (from ``$ARCHGEN_CATALOG_DIR`` when set)."""
    return parse_data(read_text(name))


@functools.lru_cache(maxsize=1)
def _kinds_file() -> dict[str, Any]:
    return read_data("kinds.yaml")


def _kinds() -> dict[str, dict[str, Any]]:
    return _kinds_file()["kinds"]


#: Every kind of the model, in the catalog's order.
KINDS: tuple[str, ...] = tuple(_kinds())
#: Every provider, in the order tables show them.
PROVIDERS: tuple[str, ...] = tuple(_kinds_file()["providers"])
#: Each kind's traits.
KIND_TRAITS: dict[str, frozenset[str]] = {k: frozenset(v.get("traits") or ()) for k, v in _kinds().items()}
#: Each kind's tier in the network view (None: drawn with the platform services).
KIND_TIER: dict[str, str | None] = {k: v.get("tier") for k, v in _kinds().items()}
#: The built-in trust zones: id -> {title, trusted, meaning} (MODEL.md, "Zones").
ZONES: dict[str, dict[str, Any]] = {k: dict(v) for k, v in (_kinds_file().get("zones") or {}).items()}
#: Each kind's zone when a component names none and runs on no host.
KIND_ZONE: dict[str, str] = {k: v.get("zone") or _kinds_file()["default_zone"] for k, v in _kinds().items()}


@functools.lru_cache(maxsize=None)
def kinds_with(*traits: str) -> frozenset[str]:
    """The kinds that have every one of ``traits``."""
    unknown = [t for t in traits if t not in TRAITS]
    if unknown:
        raise KeyError(f"unknown traits {unknown}; traits are {sorted(TRAITS)}")
    wanted = set(traits)
    return frozenset(k for k, have in KIND_TRAITS.items() if wanted <= have)


def has_trait(kind: str, trait: str) -> bool:
    """Whether ``kind`` has ``trait`` (an unknown trait is an error, an unknown kind has none)."""
    if trait not in TRAITS:
        raise KeyError(f"unknown trait {trait!r}; traits are {sorted(TRAITS)}")
    return trait in KIND_TRAITS.get(kind, frozenset())


def problems() -> list[str]:
    """What is wrong with the kinds' traits (empty when every kind is complete)."""
    found = []
    if _kinds_file().get("default_zone") not in ZONES:
        found.append(f"kinds.yaml: default_zone {_kinds_file().get('default_zone')!r} is not a zone")
    for zid, body in ZONES.items():
        if not isinstance(body.get("trusted"), bool) or not body.get("title"):
            found.append(f"kinds.yaml: zone {zid} needs a title and trusted: true or false")
    for kind, body in _kinds().items():
        if "traits" not in body:
            found.append(f"kinds.yaml: kind {kind} has no traits (give [] when it has none)")
        for t in body.get("traits") or ():
            if t not in TRAITS:
                found.append(f"kinds.yaml: kind {kind} has unknown trait {t!r}")
        zone = body.get("zone")
        if zone is not None and zone not in ZONES:
            found.append(f"kinds.yaml: kind {kind} has unknown zone {zone!r}")
        tier = body.get("tier")
        if tier is not None and tier not in TIERS:
            found.append(f"kinds.yaml: kind {kind} has unknown tier {tier!r}")
    return found
