"""The catalog's data types: what every entry of ``catalog/data/*.yaml`` must hold.

The YAML files are the single place where provider knowledge lives (STYLE.md):
services per kind and provider, Terraform resource types, diagram icons, how
much a service locks its user in, lifecycle facts and indicative prices, each
fact with its source and the date the source states. These pydantic types
validate the files when the catalog loads, so a wrong entry fails loudly.
"""

from __future__ import annotations

import re
from typing import Any, Literal

import archgen._pydantic  # noqa: F401 - pydantic without asyncio, first

# isort: split
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Interface = Literal["open_standard", "portable_artifact", "proprietary_api"]
Status = Literal["ga", "closed_to_new_customers", "maintenance", "retiring", "retired"]
Platform = Literal["app_platform", "kubernetes", "serverless", "containers", "vm"]
#: Where a service runs: in the model's own private network (VPC, VNet, VPC network), or
#: run by the provider outside it and reached through the provider's endpoints.
Network = Literal["private", "provider"]

#: What a price is charged per. The cost module turns sizing into these quantities.
Meter = Literal[
    "month",  # a flat monthly charge per unit (hosted zone, base fee, cluster)
    "hour",  # instance-hours (instances x hours), optionally for one instance type
    "cluster_hour",  # a control plane or gateway billed per hour, once per component
    "vcpu_hour",  # vCPU x instances x hours
    "gb_hour",  # memory GB x instances x hours
    "storage_gb_month",  # stored GB
    "egress_gb",  # GB delivered to the internet through this service
    "processed_gb",  # GB processed by a load balancer
    "capacity_unit_hour",  # load balancer capacity units (e.g. ALB LCU) x hours
    "requests_million",  # millions of requests a month
    "gb_second",  # function memory GB x seconds of execution
    "user_month",  # monthly active users of an identity provider (sizing `users`)
    "thousand_messages",  # thousands of messages (e-mails) sent a month (sizing `messages_thousands`)
    "ingested_gb",  # GB of logs or metrics ingested a month (sizing `ingested_gb`)
    "scanned_tb",  # TB scanned by queries a month (sizing `scanned_tb`)
]

#: Portability points per interface class (domain-facts 4b): 3 = open standard.
INTERFACE_POINTS: dict[str, int] = {"open_standard": 3, "portable_artifact": 2, "proprietary_api": 1}

INTERFACE_LABELS: dict[str, str] = {
    "open_standard": "open standard",
    "portable_artifact": "portable artifact",
    "proprietary_api": "proprietary API",
}

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_TF_TYPE = re.compile(r"^[a-z][a-z0-9]*_[a-z0-9_]+$")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_ICON = re.compile(r"^diagrams(\.[a-z0-9_]+)+\.[A-Z][A-Za-z0-9_]*$")


def _icon(path: str) -> str:
    """``path`` when it is a dotted path to a diagrams class; raises ValueError otherwise."""
    if not _ICON.match(path):
        raise ValueError(f"icon {path!r} is not a dotted path to a diagrams class")
    return path


def _check_date(value: str | None) -> str | None:
    if value is not None and not _DATE.match(value):
        raise ValueError(f"{value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return value


class _Frozen(BaseModel):
    # defer_build: pydantic builds a type's validator when it first validates, not when the
    # class is made; a catalog read from the cache (catalog/__init__.py) validates nothing
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Lifecycle(_Frozen):
    """Whether new users can still adopt the service, and until when."""

    status: Status = Field(default="ga", description="ga, closed_to_new_customers, maintenance, retiring or retired.")
    date: str | None = Field(
        default=None,
        description="For closed/maintenance: since when; for retiring/retired: the retirement date.",
    )
    successor: str | None = Field(default=None, description="Service key (same kind and provider) to move to.")
    note: str = Field(default="", description="What the status means for a user, in one or two sentences.")
    source: str = Field(min_length=3, description="Where the fact comes from (URL or repository reference).")
    as_of: str = Field(description="Date the source states or was read (ISO).")

    _v_date = field_validator("date", "as_of")(_check_date)

    @model_validator(mode="after")
    def _dated_when_not_ga(self) -> Lifecycle:
        if self.status != "ga" and not self.date:
            raise ValueError(f"lifecycle status {self.status} needs a date")
        return self

    @property
    def flag(self) -> str:
        """A short phrase for tables, e.g. 'closed to new customers since 2026-04-30'."""
        if self.status == "ga":
            return ""
        words = {
            "closed_to_new_customers": "closed to new customers since",
            "maintenance": "maintenance only since",
            "retiring": "retiring on",
            "retired": "retired on",
        }[self.status]
        return f"{words} {self.date}"


class Price(_Frozen):
    """One indicative list price: what is charged per what, where, according to whom, when."""

    item: Meter = Field(description="The meter the price is charged per.")
    usd: float = Field(ge=0, description="US dollars per unit.")
    unit: str = Field(min_length=1, description="The unit as a reader would say it, e.g. 'vCPU-hour'.")
    region: str = Field(min_length=1, description="Region (or geography) the price applies to.")
    instance_type: str | None = Field(default=None, description="Instance type, for instance-hour prices.")
    vcpu: float | None = Field(default=None, gt=0, description="vCPUs of the instance type.")
    memory_gb: float | None = Field(default=None, gt=0, description="Memory (GB) of the instance type.")
    free_quantity: float = Field(default=0, ge=0, description="Quantity free each month (free tier).")
    factor: float = Field(
        default=1,
        gt=0,
        description="Multiplies the meter's quantity before pricing: e.g. 0.25 when a quarter of "
        "the requests are writes, 5 state transitions per workflow execution. Say why in `note`.",
    )
    note: str = Field(default="", description="Caveats: secondary source, approximation, region.")
    source: str = Field(min_length=3, description="Where the price comes from.")
    as_of: str = Field(description="Date the source states or was read (ISO).")

    _v_date = field_validator("as_of")(_check_date)

    @model_validator(mode="after")
    def _instance_spec(self) -> Price:
        if self.instance_type and (self.vcpu is None or self.memory_gb is None):
            raise ValueError(f"price for instance type {self.instance_type} needs vcpu and memory_gb")
        if self.instance_type and self.item != "hour":
            raise ValueError("instance_type applies to 'hour' prices only")
        if self.factor != 1 and not self.note:
            raise ValueError("a price with a factor needs a note saying what the factor is")
        return self


class Limit(_Frozen):
    """A documented limit of a service, or one inferred and marked as such."""

    value: float | int | str | bool
    unit: str = ""
    note: str = ""
    source: str | None = None
    inference: bool = Field(default=False, description="True when the value is reasoning, not a source statement.")

    @model_validator(mode="after")
    def _sourced_or_inferred(self) -> Limit:
        if not self.source and not self.inference:
            raise ValueError("a limit needs a source, or inference: true")
        return self


class HAPricing(_Frozen):
    """How high availability changes the bill."""

    multiplier: float = Field(default=1, ge=1, description="Factor on instance-priced meters.")
    min_instances: int | None = Field(default=None, ge=1, description="Instances at least, when HA.")
    note: str = Field(min_length=3, description="How the provider bills HA; shown in the formula.")


class HAByDesign(_Frozen):
    """A service the provider runs in several zones whatever its configuration, and the source."""

    note: str = Field(min_length=10, description="What the provider does, in one sentence.")
    source: str = Field(min_length=3)
    as_of: str

    _v_date = field_validator("as_of")(_check_date)


class ServiceFact(_Frozen):
    """A fact about one service that a rule weighs, with its source (e.g. it serves through its own CDN)."""

    note: str = Field(min_length=10, description="What the provider does, in one sentence.")
    source: str = Field(min_length=3)
    as_of: str

    _v_date = field_validator("as_of")(_check_date)


class TierOf(ServiceFact):
    """A service that is another service of the same provider at a higher tier: a WAF_v2
    Application Gateway is the Application Gateway it protects, billed at the WAF_v2 rate."""

    service: str = Field(description="Key of the service (same provider, any kind) this one is a tier of.")


class DirectIntegration(ServiceFact):
    """A managed API front door that authorizes every request itself (API keys, IAM, OIDC, user
    pools) and then resolves it straight to a store, with no application code of the team's."""

    kinds: tuple[str, ...] = Field(min_length=1, description="Kinds of store it resolves requests to directly.")


class Service(_Frozen):
    """One concrete service of one provider for one kind of component."""

    key: str = Field(description="The value of a component's `service:` field.")
    name: str = Field(min_length=2, description="Display name.")
    kind: str
    provider: str
    provisioned: bool = Field(default=True, description="False for actor and external: drawn, never provisioned.")
    terraform: tuple[str, ...] = Field(default=(), description="Terraform resource types that provision it.")
    terraform_unverified: tuple[str, ...] = Field(
        default=(), description="Resource types in `terraform` not checked against the provider's docs."
    )
    terraform_gap: str | None = Field(
        default=None, description="What Terraform cannot do for this service, and the workaround."
    )
    icon: str = Field(description="Dotted path of a class of the `diagrams` package.")
    platform_icons: dict[str, str] = Field(
        default_factory=dict, description="An icon per `platform` (web, mobile, desktop) of a component on a device."
    )
    interface: Interface | None = Field(default=None, description="Interface class, from which lock-in is scored.")
    licence: str | None = Field(default=None, description="Licence of open-source software (SPDX id).")
    licence_risk: str | None = Field(default=None, description="A licence change or restriction a user should know.")
    lock_in: int = Field(default=3, ge=0, le=3, description="Portability points, 0-3; 3 = least lock-in. Computed.")
    lifecycle: Lifecycle
    platform: Platform | None = None
    network: Network | None = Field(
        default=None,
        description="Where it runs, when not where its kind's services usually do (kinds.yaml `network:`).",
    )
    limits: dict[str, Limit] = Field(default_factory=dict)
    equivalents: dict[str, str] | None = Field(
        default=None, description="provider -> service key of the same kind, where not that provider's default."
    )
    prices: tuple[Price, ...] = ()
    unpriced: str | None = Field(
        default=None,
        min_length=10,
        description="Why no price can be stated (usage the model cannot know, priced by a third "
        "party...): shown wherever the estimate leaves the service out.",
    )
    ha: HAPricing | None = None
    ha_by_design: HAByDesign | None = Field(
        default=None,
        description="Spread over several zones by the provider whatever the configuration (DynamoDB, SQS...).",
    )
    direct_integration: DirectIntegration | None = Field(
        default=None,
        description="Authorizes each request itself and resolves it straight to stores of these kinds "
        "(AppSync resolvers to DynamoDB, API Gateway service integrations): no application tier needed.",
    )
    own_cdn: ServiceFact | None = Field(
        default=None,
        description="Serves its content through the provider's own CDN (Amplify Hosting, Static Web Apps): "
        "public by design, with no bucket of the team's behind it.",
    )
    tier_of: TierOf | None = Field(
        default=None,
        description="This service is that service at a higher tier (a WAF_v2 Application Gateway): a "
        "component it protects on that service is the same resource, priced once, on this service's line.",
    )
    sizing: dict[str, Any] = Field(default_factory=dict, description="Default sizing (kind defaults + overrides).")
    notes: tuple[str, ...] = Field(default=(), description="What an architect should know when choosing it.")

    @field_validator("key")
    @classmethod
    def _key_slug(cls, v: str) -> str:
        if not _KEY.match(v):
            raise ValueError(f"service key {v!r} must be lowercase letters, digits and '_'")
        return v

    @field_validator("icon")
    @classmethod
    def _icon_path(cls, v: str) -> str:
        return _icon(v)

    @field_validator("platform_icons")
    @classmethod
    def _platform_icon_paths(cls, v: dict[str, str]) -> dict[str, str]:
        for icon in v.values():
            _icon(icon)
        return v

    @field_validator("terraform", "terraform_unverified")
    @classmethod
    def _tf_types(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for t in v:
            if not _TF_TYPE.match(t):
                raise ValueError(f"{t!r} is not a Terraform resource type")
        return v

    @model_validator(mode="before")
    @classmethod
    def _score(cls, data: Any) -> Any:
        """lock_in = interface points, -1 when not GA, -1 for a licence risk (domain-facts 4b)."""
        if not isinstance(data, dict):
            return data
        if "lock_in" in data:
            raise ValueError("lock_in is computed from interface, lifecycle and licence_risk; do not set it")
        data = dict(data)
        interface = data.get("interface")
        if interface is None:
            data["lock_in"] = 3
            return data
        points = INTERFACE_POINTS.get(interface, 3)
        lifecycle = data.get("lifecycle") or {}
        status = lifecycle.get("status", "ga") if isinstance(lifecycle, dict) else lifecycle.status
        if status != "ga":
            points -= 1
        if data.get("licence_risk"):
            points -= 1
        data["lock_in"] = max(points, 0)
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Service:
        if self.provisioned:
            if self.interface is None:
                raise ValueError(f"{self.key}: a provisioned service needs an interface class")
        else:
            if self.terraform or self.prices or self.interface is not None:
                raise ValueError(f"{self.key}: an unprovisioned entry has no terraform, prices or interface")
        unknown = set(self.terraform_unverified) - set(self.terraform)
        if unknown:
            raise ValueError(f"{self.key}: terraform_unverified lists types not in terraform: {sorted(unknown)}")
        if self.unpriced and self.prices:
            raise ValueError(f"{self.key}: a service has prices or an `unpriced` reason, not both")
        if self.lifecycle.successor == self.key:
            raise ValueError(f"{self.key}: a service cannot succeed itself")
        return self

    @property
    def interface_label(self) -> str:
        return INTERFACE_LABELS.get(self.interface or "", "not provisioned")

    @property
    def terraform_verified(self) -> bool:
        """True when every resource type was checked against the provider's documentation."""
        return not self.terraform_unverified

    @property
    def ga(self) -> bool:
        return self.lifecycle.status == "ga"


class Gap(_Frozen):
    """A kind a provider has no equivalent for, and why."""

    reason: str = Field(min_length=10)
    source: str | None = None
    inference: bool = False


class KindEntry(_Frozen):
    """The services of one kind on one provider."""

    default: str | None = None
    services: dict[str, Service] = Field(default_factory=dict)
    gap: Gap | None = None

    @model_validator(mode="after")
    def _default_or_gap(self) -> KindEntry:
        if self.services:
            if self.gap is not None:
                raise ValueError("a kind has services or a gap, not both")
            if self.default not in self.services:
                raise ValueError(f"default {self.default!r} is not one of {sorted(self.services)}")
        elif self.gap is None:
            raise ValueError("a kind with no service needs a gap with a reason")
        return self


class KindInfo(_Frozen):
    """Provider-neutral facts about a kind: whether it is provisioned, its default sizing."""

    title: str
    provisioned: bool = True
    traits: tuple[str, ...] = Field(description="What the kind is (archgen.catalog.vocabulary.TRAITS).")
    tier: Literal["app", "data"] | None = Field(default=None, description="Its private tier in the network view.")
    zone: str | None = Field(default=None, description="Its zone when a component names none (default_zone otherwise).")
    network: Network | None = Field(
        default=None,
        description="Where its services run: `private` (in the model's VPC) or `provider` (outside it); a service may say otherwise.",
    )
    sizing: dict[str, Any] = Field(default_factory=dict)


class ProviderInfo(_Frozen):
    key: str
    name: str
    default_region: str
    terraform_provider: str
    terraform_source: str = Field(description="How the resource types were checked.")
    self_hosted: bool = Field(
        default=False, description="The team runs these services itself (open source on Kubernetes): lock-in open."
    )
