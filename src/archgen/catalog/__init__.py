"""The provider catalog: every kind of component on AWS, Azure, GCP and Kubernetes, as data.

Rules, diagrams, the comparison and Terraform read provider knowledge from here and
never hard-code a service. The data lives in ``catalog/data/*.yaml`` (one file per
provider plus ``kinds.yaml``); it is validated by the types in
:mod:`archgen.catalog._schema` when first loaded, then cached::

    from archgen.catalog import get_catalog, PROVIDERS, KINDS
    cat = get_catalog()
    cat.services("container_service", "aws")      # {"ecs_fargate": Service, ...}
    cat.default_service("container_service", "gcp")  # "cloud_run"
    cat.service("cache", "azure", "azure_cache_for_redis").lifecycle.flag
    cat.gap("cdn", "kubernetes")                  # why there is no equivalent

Nothing heavy is imported here: no ``diagrams``, no ``networkx``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# One list of kinds and providers: the catalog's own data (kinds.yaml).
from archgen.catalog.vocabulary import KINDS, PROVIDERS
from archgen.catalog._schema import (
    INTERFACE_LABELS,
    INTERFACE_POINTS,
    Gap,
    HAPricing,
    KindEntry,
    KindInfo,
    Lifecycle,
    Limit,
    Price,
    ProviderInfo,
    Service,
)

__all__ = [
    "INTERFACE_LABELS",
    "INTERFACE_POINTS",
    "KINDS",
    "PROVIDERS",
    "Catalog",
    "CatalogError",
    "Gap",
    "HAPricing",
    "KindEntry",
    "KindInfo",
    "Lifecycle",
    "Limit",
    "Price",
    "ProviderInfo",
    "Service",
    "get_catalog",
]

class CatalogError(ValueError):
    """The catalog's data is inconsistent (a bug in archgen, caught by its tests)."""


class Catalog:
    """Read-only access to the catalog. Build it with :func:`get_catalog`."""

    def __init__(
        self,
        providers: dict[str, ProviderInfo],
        kinds: dict[str, KindInfo],
        entries: dict[tuple[str, str], KindEntry],
        assumptions: dict[str, Any],
        prices_reviewed: str | None = None,
    ) -> None:
        self.providers = providers
        self.kinds = kinds
        self._entries = entries
        #: Model-wide sizing defaults (hours per month, traffic...); see docs/catalog.md.
        self.assumptions = assumptions
        #: The date the prices were last reviewed (kinds.yaml `prices_reviewed`): no price is
        #: dated more than twelve months before it.
        self.prices_reviewed = prices_reviewed

    # -- the API other modules call -------------------------------------------------

    def entry(self, kind: str, provider: str) -> KindEntry:
        try:
            return self._entries[(kind, provider)]
        except KeyError:
            raise KeyError(f"no catalog entry for kind {kind!r} on provider {provider!r}") from None

    def services(self, kind: str, provider: str) -> dict[str, Service]:
        """Valid keys for a component's ``service:`` field; ``{}`` if there is no equivalent."""
        found = self._entries.get((kind, provider))
        return dict(found.services) if found else {}

    def default_service(self, kind: str, provider: str) -> str | None:
        """The provider's default service for the kind; None when it has no equivalent."""
        found = self._entries.get((kind, provider))
        return found.default if found and found.services else None

    def service(self, kind: str, provider: str, key: str | None = None) -> Service | None:
        """A service by key (None: the default); None when unknown or no equivalent."""
        found = self._entries.get((kind, provider))
        if not found or not found.services:
            return None
        return found.services.get(key if key is not None else found.default or "")

    def gap(self, kind: str, provider: str) -> str | None:
        """Why the provider has no equivalent for the kind; None when it has one."""
        found = self._entries.get((kind, provider))
        if found is None:
            return f"the catalog has no entry for {kind} on {provider}"
        return found.gap.reason if found.gap else None

    def equivalent(self, kind: str, service: Service | None, provider: str) -> Service | None:
        """The service on ``provider`` that stands for ``service`` (its own provider's choice).

        Uses the service's ``equivalents`` when it names one for ``provider``, else the
        provider's default for the kind. None when the provider has no equivalent.
        """
        if service is not None and service.provider == provider:
            return service
        if service is not None and service.equivalents and provider in service.equivalents:
            return self.service(kind, provider, service.equivalents[provider])
        return self.service(kind, provider)

    # -- a component's service: the one accessor (placement included) --------------

    def placement_provider(self, model: Any, comp: Any) -> str:
        """The provider whose catalog a component's ``service`` comes from.

        The model's provider, except for a component placed with ``runs_on`` (on a
        ``kubernetes_cluster`` or a ``vm``): it is software the team runs itself, so its
        service comes from the self-hosted provider's catalog (``deployment``,
        ``cloudnative_pg``, ``valkey``, ``kserve``...) whatever the model's provider.
        """
        if getattr(comp, "runs_on", None):
            return self.open_provider
        return str(model.provider)

    def services_for(self, model: Any, comp: Any) -> dict[str, Service]:
        """The valid values of the component's ``service:`` field (placement included)."""
        return self.services(comp.kind, self.placement_provider(model, comp))

    def resolve_service(self, model: Any, comp: Any, provider: str | None = None) -> Service | None:
        """The service ``comp`` of ``model`` uses on ``provider`` (default: the model's own).

        Its ``service:`` (or the default for its kind) in the catalog of
        :meth:`placement_provider`; on another provider, that service's equivalent there.
        A placed component keeps its self-hosted service on every provider: it runs on the
        cluster wherever the cluster runs. None when there is no equivalent.
        """
        own = self.service(comp.kind, self.placement_provider(model, comp), comp.service)
        target = provider or str(model.provider)
        if getattr(comp, "runs_on", None) or target == str(model.provider):
            return own
        return self.equivalent(comp.kind, own, target)

    def resolve_gap(self, model: Any, comp: Any, provider: str | None = None) -> str | None:
        """Why :meth:`resolve_service` finds nothing for ``comp`` on ``provider``; None when it does."""
        if self.resolve_service(model, comp, provider) is not None:
            return None
        where = self.placement_provider(model, comp) if getattr(comp, "runs_on", None) else (provider or str(model.provider))
        return self.gap(comp.kind, where) or f"no {comp.kind} service on {where} in the catalog"

    def network(self, model: Any, comp: Any) -> str | None:
        """Where ``comp`` runs: ``private`` (inside the model's private network: VPC,
        VNet, VPC network, or the cluster a self-hosted service runs in) or ``provider``
        (run by the provider outside it, reached through its endpoints: S3, Lambda,
        DynamoDB, SQS...); None for what is never provisioned. The service's own
        ``network`` wins over its kind's."""
        if not self.provisioned(comp.kind):
            return None
        if getattr(comp, "runs_on", None) or self.self_hosted(str(model.provider)):
            return "private"
        svc = self.resolve_service(model, comp)
        return (svc.network if svc is not None else None) or self.kinds[comp.kind].network or "private"

    def cluster_service(self, provider: str) -> Service | None:
        """The provider's default Kubernetes cluster: the service of a host kind that runs
        Kubernetes (catalog data: the `host` trait and `platform: kubernetes`)."""
        from archgen.catalog.vocabulary import kinds_with

        for kind in sorted(kinds_with("host")):
            svc = self.service(kind, provider)
            if svc is not None and svc.platform == "kubernetes":
                return svc
        return None

    def provisioned(self, kind: str) -> bool:
        return self.kinds[kind].provisioned

    def self_hosted(self, provider: str) -> bool:
        """Whether the team runs the provider's services itself (open source on Kubernetes)."""
        return self.providers[provider].self_hosted

    @property
    def open_provider(self) -> str:
        """The provider whose services are the open-source equivalents of the others'."""
        return next(p for p in PROVIDERS if self.providers[p].self_hosted)

    def all_services(self) -> Iterator[Service]:
        """Every service, in KINDS then PROVIDERS order, default first."""
        for kind in KINDS:
            for provider in PROVIDERS:
                found = self._entries.get((kind, provider))
                if found is None:
                    continue
                for key in sorted(found.services, key=lambda k: (k != found.default, k)):
                    yield found.services[key]

    def provider_name(self, provider: str) -> str:
        return self.providers[provider].name


def _read(name: str) -> Any:
    from archgen.catalog.vocabulary import read_data

    return read_data(name)


def _merge_sizing(*layers: dict[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for layer in layers:
        out.update(layer or {})
    return out


def _check_vocabulary() -> None:
    """kinds.yaml's traits and zones and protocols.yaml must be whole (see their ``problems``)."""
    from archgen.catalog import protocols, vocabulary

    trouble = vocabulary.problems() + protocols.problems()
    if trouble:
        raise CatalogError("; ".join(trouble))


def _build(raw_kinds: Any, raw_providers: dict[str, Any]) -> Catalog:
    _check_vocabulary()
    kinds = {k: KindInfo.model_validate(v) for k, v in (raw_kinds.get("kinds") or {}).items()}
    missing = [k for k in KINDS if k not in kinds]
    extra = [k for k in kinds if k not in KINDS]
    if missing or extra:
        raise CatalogError(f"kinds.yaml: missing kinds {missing}, unknown kinds {extra}")
    unprovisioned = raw_kinds.get("unprovisioned") or {}
    providers: dict[str, ProviderInfo] = {}
    entries: dict[tuple[str, str], KindEntry] = {}
    for provider in PROVIDERS:
        raw = raw_providers[provider]
        providers[provider] = ProviderInfo.model_validate(raw["provider"])
        raw_entries = dict(raw.get("kinds") or {})
        for kind in KINDS:
            if not kinds[kind].provisioned:
                if kind in raw_entries:
                    raise CatalogError(f"{provider}.yaml: {kind} is not provisioned; it lives in kinds.yaml")
                shared = dict(unprovisioned[kind])
                key = shared.pop("key")
                raw_entries[kind] = {"default": key, "services": {key: shared}}
            if kind not in raw_entries:
                raise CatalogError(f"{provider}.yaml: no entry for kind {kind} (give services or a gap)")
        unknown = set(raw_entries) - set(KINDS)
        if unknown:
            raise CatalogError(f"{provider}.yaml: unknown kinds {sorted(unknown)}")
        for kind, body in raw_entries.items():
            services = {}
            for key, svc in (body.get("services") or {}).items():
                svc = dict(svc)
                svc_sizing = svc.pop("sizing", None)
                try:
                    services[key] = Service.model_validate(
                        {
                            **svc,
                            "key": key,
                            "kind": kind,
                            "provider": provider,
                            "provisioned": kinds[kind].provisioned,
                            "sizing": _merge_sizing(kinds[kind].sizing, svc_sizing),
                        }
                    )
                except ValueError as exc:
                    raise CatalogError(f"{provider}.yaml: {kind}.{key}: {exc}") from exc
            try:
                entries[(kind, provider)] = KindEntry(
                    default=body.get("default"),
                    services=services,
                    gap=Gap.model_validate(body["gap"]) if body.get("gap") else None,
                )
            except ValueError as exc:
                raise CatalogError(f"{provider}.yaml: {kind}: {exc}") from exc
    catalog = Catalog(
        providers, kinds, entries, dict(raw_kinds.get("assumptions") or {}), raw_kinds.get("prices_reviewed")
    )
    _check_references(catalog)
    return catalog


def _check_references(catalog: Catalog) -> None:
    """Successors and equivalents must name services that exist."""
    for svc in catalog.all_services():
        succ = svc.lifecycle.successor
        if succ and succ not in catalog.services(svc.kind, svc.provider):
            raise CatalogError(f"{svc.provider}.{svc.kind}.{svc.key}: successor {succ!r} is not a service")
        direct = svc.direct_integration
        if direct is not None and not set(direct.kinds) <= set(KINDS):
            raise CatalogError(
                f"{svc.provider}.{svc.kind}.{svc.key}: direct_integration names unknown kinds "
                f"{sorted(set(direct.kinds) - set(KINDS))}"
            )
        for other, key in (svc.equivalents or {}).items():
            if other not in PROVIDERS or other == svc.provider:
                raise CatalogError(f"{svc.provider}.{svc.kind}.{svc.key}: equivalents names provider {other!r}")
            if key not in catalog.services(svc.kind, other):
                raise CatalogError(
                    f"{svc.provider}.{svc.kind}.{svc.key}: equivalent {other}.{key} is not a {svc.kind} service"
                )


@functools.lru_cache(maxsize=1)
def get_catalog() -> Catalog:
    """The catalog, loaded and validated once per process.

    The validated catalog is kept in this user's cache (:func:`_cache_path`), sealed
    (:func:`archgen.writer.write_sealed`) and named by a hash of the data files' bytes,
    the catalog's code and the Python and pydantic versions: the next process reads it
    in 3 ms instead of parsing 240 KB of YAML and validating it (60-120 ms, most of it
    pydantic building its validators)."""
    from archgen.catalog.vocabulary import read_text

    names = ("kinds.yaml", *(f"{p}.yaml" for p in PROVIDERS))
    texts = {name: read_text(name) for name in names}
    path = _cache_path(texts)
    cached = _cached(path)
    if cached is not None:
        _check_vocabulary()
        return cached
    from archgen.catalog.vocabulary import parse_data

    catalog = _build(parse_data(texts["kinds.yaml"]), {p: parse_data(texts[f"{p}.yaml"]) for p in PROVIDERS})
    _keep(path, catalog)
    return catalog


#: The first bytes of a cached catalog's name; the rest is the hash of what it was built from.
_CACHE_PREFIX = "catalog-"


def _cache_path(texts: dict[str, str]) -> Path:
    import hashlib
    import sys

    import pydantic

    from archgen.writer import cache_key_file

    h = hashlib.sha256(f"archgen-catalog 1 {sys.version} {pydantic.VERSION}".encode())
    here = Path(__file__).parent
    for name in ("__init__.py", "_schema.py"):  # the types the cached objects are made of
        h.update(b"\0" + name.encode() + b"\0" + (here / name).read_bytes())
    for name, text in texts.items():
        h.update(b"\0" + name.encode() + b"\0" + text.encode("utf-8"))
    return cache_key_file().parent / f"{_CACHE_PREFIX}{h.hexdigest()[:32]}.pickle"


def _cached(path: Path) -> Catalog | None:
    """The catalog of ``path`` when this user's archgen sealed it there, unaltered."""
    import pickle

    from archgen.writer import read_sealed

    data = read_sealed(path)
    if data is None:
        return None
    try:
        found = pickle.loads(data)  # sealed with this user's key: written by archgen
    except Exception:  # noqa: BLE001 - an entry of another archgen: built again
        return None
    return found if isinstance(found, Catalog) else None


def _keep(path: Path, catalog: Catalog) -> None:
    """Seal the catalog into ``path`` and drop the entries of other data or code (best effort:
    a read-only or full disk only costs the next process the YAML)."""
    import pickle

    from archgen.writer import write_sealed

    try:
        write_sealed(path, pickle.dumps(catalog, protocol=pickle.HIGHEST_PROTOCOL))
        for old in path.parent.glob(f"{_CACHE_PREFIX}*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
