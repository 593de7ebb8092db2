"""Which kind of component a Terraform resource type provisions, from the catalog.

Every service in ``catalog/data/*.yaml`` lists the resource types that provision it
(``terraform:``), its *primary* type first (``aws_db_instance`` for RDS) and the
helpers after it (``aws_db_subnet_group``...). A primary type is a component; a type
that is only ever a helper (``aws_s3_bucket_policy``) is not, and has no guess.

When several services share a primary type, the guess is ranked, in this order: the kind
``infra/data/preferred.yaml`` names for that type (with why), then the default service of its kind and provider beats an alternative one (``aws_lambda_function``
is a ``function`` before it is a ``container_service``), then the catalog's order of
kinds. The reason names the other candidates, so a reader sees it is a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Guess", "guess", "primary_types"]

#: A type that is the primary type of services of more kinds than this says nothing about
#: the kind (``helm_release``, ``kubernetes_manifest``): no guess.
MAX_KINDS_PER_TYPE = 4


@dataclass(frozen=True)
class Guess:
    """A resource type's likely component: kind, provider, catalog service key, and why."""

    kind: str
    provider: str
    service: str
    reason: str


@dataclass(frozen=True)
class _Candidate:
    kind: str
    provider: str
    service: str
    name: str
    primary: bool
    default: bool
    order: int


def guess(resource_type: str) -> Guess | None:
    """The kind ``resource_type`` most likely provisions, or None (a helper, or unknown)."""
    return _guesses().get(resource_type)


def primary_types() -> frozenset[str]:
    """Every type that is some service's primary type (and so a component when unmapped)."""
    return frozenset(_guesses())


@lru_cache(maxsize=1)
def _guesses() -> dict[str, Guess]:
    from archgen.catalog import get_catalog
    from archgen.catalog.vocabulary import KINDS

    catalog = get_catalog()
    preferred = _preferred()
    order = {k: i for i, k in enumerate(KINDS)}
    by_type: dict[str, list[_Candidate]] = {}
    for svc in catalog.all_services():
        default = catalog.default_service(svc.kind, svc.provider) == svc.key
        for i, rtype in enumerate(svc.terraform):
            by_type.setdefault(rtype, []).append(
                _Candidate(svc.kind, svc.provider, svc.key, svc.name, i == 0, default, order[svc.kind])
            )
    out: dict[str, Guess] = {}
    for rtype, found in sorted(by_type.items()):
        primaries = sorted((c for c in found if c.primary), key=lambda c: (preferred.get(rtype, {}).get("kind") != c.kind, not c.default, c.order, c.service))
        if not primaries or len({c.kind for c in primaries}) > MAX_KINDS_PER_TYPE:
            continue
        best = primaries[0]
        reason = f"{rtype} is the primary Terraform type of {best.name} ({best.provider} {best.kind})"
        others = [f"{c.service} ({c.kind})" for c in primaries[1:]]
        if others:
            reason += "; also of " + ", ".join(others)
        if rtype in preferred:
            reason += f" ({preferred[rtype]['why']})"
        out[rtype] = Guess(best.kind, best.provider, best.service, reason)
    return out


def _preferred() -> dict[str, dict[str, str]]:
    from archgen.catalog.vocabulary import parse_data
    from importlib import resources

    text = resources.files("archgen.infra").joinpath("data", "preferred.yaml").read_text("utf-8")
    return parse_data(text) or {}
