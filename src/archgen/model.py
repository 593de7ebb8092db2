"""The archgen model, version 1, as pydantic types (see MODEL.md).

Every field carries a description: the JSON Schema that ``archgen schema`` prints
gives editors completion and hover help from it. Source positions are not part
of the schema: the loader attaches them as private attributes after validation.
"""

from __future__ import annotations

import math
import re
from typing import Any, Literal

import archgen._pydantic  # noqa: F401 - pydantic without asyncio, first

# isort: split
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator
from pydantic_core import PydanticCustomError

from archgen.errors import Location

FORMAT_VERSION = 1

from archgen.catalog.protocols import PROTOCOLS  # noqa: E402 - the catalog's data
from archgen.catalog.vocabulary import KIND_ZONE, KINDS, PROVIDERS, ZONES, kinds_with  # noqa: E402 - the catalog's data

Provider = Literal[PROVIDERS]  # type: ignore[valid-type]
DataClass = Literal["pii", "payment", "health", "credentials"]
Portability = Literal["low", "medium", "high"]
#: Every kind of the catalog (catalog/data/kinds.yaml), so a new kind is data only.
Kind = Literal[KINDS]  # type: ignore[valid-type]

#: Every protocol of the table (catalog/data/protocols.yaml).
ProtocolKey = Literal[PROTOCOLS]  # type: ignore[valid-type]
Auth = Literal["none", "api_key", "token", "oidc", "iam", "mtls"]
DevicePlatform = Literal["web", "mobile", "desktop"]

DATA_CLASSES: tuple[str, ...] = DataClass.__args__  # type: ignore[attr-defined]
AUTH_METHODS: tuple[str, ...] = Auth.__args__  # type: ignore[attr-defined]
#: The built-in zones (catalog/data/kinds.yaml, zones): ``zones:`` may re-declare one to change
#: its title or its trust (not the internet's).
BUILTIN_ZONES: tuple[str, ...] = tuple(ZONES)

#: Kinds that are public by default (MODEL.md, component fields).
PUBLIC_BY_DEFAULT = kinds_with("public_by_default")
#: Kinds counted as independently deployed services.
_DEPLOYABLE = kinds_with("deployable")

_NOWHERE = Location("<model>")

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
COMPONENT_ID = r"^[a-z][a-z0-9_-]{0,62}$"
ZONE_ID = COMPONENT_ID
ADR_ID = r"^ADR-[0-9]{4}$"
#: Longest group name: groups name diagram files (``group-<slug>.svg``) and pages.
MAX_GROUP = 100
#: Names Windows reserves for devices: a file or folder named so cannot exist there, so
#: model names and component ids (which name files and folders) may not be one of them.
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
)
#: Sizing keys whose value is text (every other sizing key is a number, at least 0).
SIZING_TEXT_KEYS = frozenset({"instance_type"})


def sizing_problems(sizing: Any) -> list[tuple[str, str]]:
    """(key, message) for each sizing value that cannot be priced: every key takes a
    finite number of at least 0 (or null for the default), ``instance_type`` text."""
    if not isinstance(sizing, dict):
        return []
    out: list[tuple[str, str]] = []
    for key, value in sizing.items():
        if value is None:
            continue
        if key in SIZING_TEXT_KEYS:
            if not isinstance(value, str) or not value.strip():
                out.append((key, f"sizing '{key}' is text, e.g. 'db.t4g.micro'"))
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            out.append((key, f"sizing '{key}' must be a number of at least 0"))
        elif not math.isfinite(value) or value < 0:
            out.append((key, f"sizing '{key}' must be a finite number of at least 0"))
    return out


#: A resource address or a module path, as `terraform state list` prints them.
_TF_ADDRESS = re.compile(
    r'^(?:module\.[A-Za-z_][A-Za-z0-9_-]*(?:\[[^\]]+\])?)(?:\.module\.[A-Za-z_][A-Za-z0-9_-]*(?:\[[^\]]+\])?)*'
    r'(?:\.[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*(?:\[[^\]]+\])?)?$'
    r'|^[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*(?:\[[^\]]+\])?$'
)


def _sizing(value: dict[str, Any]) -> dict[str, Any]:
    for key, message in sizing_problems(value):
        raise PydanticCustomError("sizing_value", message, {"key": key})
    return value


class _Strict(BaseModel):
    # no infinity or NaN in a number field (`1e400`, `.inf`): no price or rate is infinite
    model_config = ConfigDict(extra="forbid", frozen=False, validate_default=False, allow_inf_nan=False)


class _Positioned(_Strict):
    """A model element with source positions, attached by the loader after validation."""

    _loc: Location | None = PrivateAttr(default=None)
    _field_locs: dict[str, Location] | None = PrivateAttr(default=None)

    @property
    def loc(self) -> Location:
        """Where the element stands in its file."""
        return self._loc or _NOWHERE

    def loc_of(self, field: str) -> Location:
        """Where a field of this element stands (the element itself if not written)."""
        return (self._field_locs or {}).get(field, self.loc)


class Requirements(_Strict):
    """What the rules weigh the choices against."""

    peak_rps: float | None = Field(
        default=None, ge=0, description="Expected peak requests per second at the edge."
    )
    services: int | None = Field(
        default=None,
        ge=0,
        description="Independently deployed services (default: counted from the model's "
        "container services, functions and VMs).",
    )
    ops_team: int = Field(default=0, ge=0, description="Engineers who run infrastructure.")
    kubernetes_experience: bool = Field(
        default=False, description="Whether the team has run Kubernetes in production."
    )
    portability: Portability = Field(
        default="low",
        description="How cheap a move to another cloud must stay: low, medium or high.",
    )
    data: list[DataClass] = Field(
        default_factory=list,
        description="Data classes the system handles: pii, payment, health, credentials.",
    )
    monthly_budget_usd: float | None = Field(
        default=None, ge=0, description="Monthly budget in US dollars, if there is one."
    )


class Component(_Positioned):
    """One part of the system: a service, a data store, an actor, an external system."""

    kind: Kind = Field(description="What the component is; maps to a service on each provider.")
    service: str | None = Field(
        default=None,
        description="The concrete service of the model's provider (a catalog key such as "
        "ecs_fargate, app_runner, eks, cloud_run, container_apps, deployment). Default: the "
        "provider's default for the kind.",
    )
    title: str | None = Field(default=None, description="Human-readable name; defaults to the id.")
    description: str | None = Field(default=None, description="What the component does.")
    group: str | None = Field(
        default=None, min_length=1, max_length=MAX_GROUP, description="Group drawn as a cluster in diagrams."
    )
    owner: str | None = Field(default=None, description="Team or person that owns it.")
    public: bool | None = Field(
        default=None,
        description="Reachable from the internet (default: true for actor, dns and cdn; "
        "false otherwise).",
    )
    encrypted: bool = Field(default=True, description="Data at rest is encrypted.")
    tls: bool = Field(default=True, description="Traffic to it is encrypted in transit.")
    high_availability: bool = Field(
        default=False, description="Runs in more than one zone or with more than one replica."
    )
    data: list[DataClass] = Field(
        default_factory=list, description="Data classes it stores or handles."
    )
    secrets: list[str] = Field(
        default_factory=list, description="Names of secrets it needs; values never live in the model."
    )
    env: dict[str, str | int | float | bool] = Field(
        default_factory=dict, description="Plain (non-secret) environment values."
    )
    decisions: list[str] = Field(
        default_factory=list,
        description="ADR ids (ADR-NNNN) of the decision records that explain this component.",
    )
    accept: dict[str, str] = Field(
        default_factory=dict,
        description="Findings accepted on purpose: rule id -> reason (required, non-empty). "
        "The finding is still reported, marked accepted, and does not fail the check.",
    )
    sizing: dict[str, Any] = Field(
        default_factory=dict,
        description="Sizing overrides for the cost estimate (e.g. vcpu, memory_gb, instances, "
        "storage_gb, instance_type, hours_per_month).",
    )
    zone: str | None = Field(
        default=None,
        description="Where it sits: internet, cloud, on_prem, corporate, partner, or an id under "
        "the model's zones. Default: internet for actor, client_app and external; its host's zone "
        "when it runs on one; cloud otherwise.",
    )
    runs_on: str | None = Field(
        default=None,
        description="Id of the kubernetes_cluster (or vm) it runs on. Its service then comes from "
        "the Kubernetes catalog (deployment, cloudnative_pg, valkey, kserve...) whatever the "
        "model's provider: self-hosted, run by the team.",
    )
    platform: DevicePlatform | None = Field(
        default=None,
        description="Where a client app runs: web, mobile or desktop (client_app only).",
    )
    protects: list[str] = Field(
        default_factory=list,
        description="Ids of the components a WAF sits in front of (waf only).",
    )
    terraform: list[str] = Field(
        default_factory=list,
        description="Terraform resource addresses (aws_db_instance.main) or module paths "
        "(module.rds) that build this component, for `archgen verify` when the resources do "
        "not carry the archgen:component tag of archgen's own Terraform.",
    )

    _check_sizing = field_validator("sizing")(_sizing)

    @field_validator("terraform")
    @classmethod
    def _check_terraform(cls, value: list[str]) -> list[str]:
        bad = [a for a in value if not _TF_ADDRESS.match(a)]
        if bad:
            raise ValueError(
                f"{bad[0]!r} is not a Terraform resource address or module path "
                "(e.g. aws_db_instance.main, module.rds, module.app[\"a\"].aws_s3_bucket.logs)"
            )
        return value

    # Private defaults are None: pydantic deep-copies non-None defaults per instance.
    _id: str = PrivateAttr(default="")

    @property
    def id(self) -> str:
        # the private dict itself: ``self._id`` goes through pydantic's __getattr__, 6x
        # slower, and rules ask a component's id some 12,000 times at 1,000 components
        return self.__pydantic_private__["_id"]  # type: ignore[index]

    @property
    def display_name(self) -> str:
        return self.title or self.id

    @property
    def is_public(self) -> bool:
        if self.public is None:
            return self.kind in PUBLIC_BY_DEFAULT
        return self.public


class Flow(_Positioned):
    """A directed edge: who calls or sends data to whom."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    source: str = Field(alias="from", description="Id of the component that calls or sends.")
    to: str = Field(description="Id of the component that is called or receives.")
    label: str | None = Field(default=None, description="Protocol or short text, e.g. https.")
    data: list[DataClass] = Field(
        default_factory=list, description="Data classes that cross this flow."
    )
    tls: bool | None = Field(
        default=None,
        description="Whether this flow is encrypted in transit; always wins. Default: from the "
        "protocol (e.g. http is not, https is, postgres follows the target's tls), else the "
        "target's tls.",
    )
    protocol: ProtocolKey | None = Field(
        default=None,
        description="The protocol, from archgen's table (https, http, grpc, postgres, redis, "
        "amqps, kafka, smtp...). Default: the protocol the label names, if any.",
    )
    auth: Auth | None = Field(
        default=None,
        description="How the caller authenticates: none, api_key, token, oidc, iam or mtls "
        "(mtls also means the flow is encrypted).",
    )
    is_async: bool = Field(
        default=False,
        alias="async",
        description="true: a message or event, not a request that waits for an answer.",
    )
    rps: float | None = Field(
        default=None, ge=0, description="This flow's own peak requests (or messages) per second."
    )

    @property
    def key(self) -> tuple[str, str, str]:
        """A stable identity for diffs and sorting."""
        return (self.source, self.to, self.label or "")


class Zone(_Strict):
    """A trust zone of the model's own, beside the built-in ones."""

    title: str | None = Field(default=None, description="Human-readable name; defaults to the id.")
    description: str | None = Field(default=None, description="What the zone is.")
    trusted: bool = Field(
        description="Whether the organisation controls it (true: like cloud, on_prem and "
        "corporate; false: like internet and partner)."
    )


class Model(_Positioned):
    """One system: components, the flows between them, and what the choices must fit."""

    archgen: Literal[1] = Field(description="Model format version; must be 1.")
    name: str = Field(
        pattern=SLUG, max_length=63, description="Slug [a-z0-9-]+, used in file names and URLs."
    )
    title: str | None = Field(default=None, description="Human-readable title of the system.")
    description: str | None = Field(default=None, description="What the system does.")
    provider: Provider = Field(
        description="Target of diagrams and Terraform: aws, azure, gcp or kubernetes."
    )
    region: str | None = Field(default=None, description="Provider region, e.g. us-east-1.")
    requirements: Requirements = Field(
        default_factory=Requirements, description="What the rules weigh the choices against."
    )
    components: dict[str, Component] = Field(
        description="Components keyed by id ([a-z][a-z0-9_-]*, at most 63 characters)."
    )
    zones: dict[str, Zone] = Field(
        default_factory=dict,
        description="Trust zones of your own, keyed by id, beside the built-in internet, cloud, "
        "on_prem, corporate and partner: {title, trusted}.",
    )
    flows: list[Flow] = Field(
        default_factory=list,
        description='Directed edges: "a -> b", "a -> b: label", or the long form '
        "{from, to, label, protocol, data, tls, auth, async, rps}.",
    )
    decisions: list[str] = Field(
        default_factory=list, description="ADR ids (ADR-NNNN) that concern the whole model."
    )
    sizing: dict[str, Any] = Field(
        default_factory=dict,
        description="Model-wide sizing assumptions for the cost estimate (e.g. hours_per_month, "
        "egress_gb, requests_millions).",
    )

    _check_sizing = field_validator("sizing")(_sizing)

    @field_validator("archgen", mode="before")
    @classmethod
    def _exactly_one(cls, value: Any) -> Any:
        # YAML's `true` and `1.0` equal 1 in Python; the format version is the integer 1
        if isinstance(value, (bool, float)):
            raise PydanticCustomError("literal_error", "Input should be 1", {"expected": "1"})
        return value

    _file: str = PrivateAttr(default="<model>")

    @property
    def file(self) -> str:
        return self._file

    @property
    def loc(self) -> Location:
        return self._loc or Location(self._file, 1, 1)

    @property
    def display_name(self) -> str:
        return self.title or self.name

    @property
    def service_count(self) -> int:
        """Independently deployed services: stated, or counted from the model."""
        if self.requirements.services is not None:
            return self.requirements.services
        return sum(
            1 for c in self.components.values() if c.kind in _DEPLOYABLE
        )

    # -- placement and zones (MODEL.md, "Additions for real stacks") ---------------

    def host_of(self, comp: Component) -> Component | None:
        """The component ``comp`` runs on (``runs_on``), or None."""
        return self.components.get(comp.runs_on) if comp.runs_on else None

    def zone_of(self, comp: Component) -> str:
        """Where ``comp`` sits: its ``zone``, else its host's zone, else its kind's (catalog data)."""
        seen: set[str] = set()
        current: Component | None = comp
        while current is not None and current.id not in seen:
            if current.zone:
                return current.zone
            seen.add(current.id)
            host = self.host_of(current)
            if host is None:
                return KIND_ZONE[current.kind]
            current = host
        return KIND_ZONE[comp.kind]  # a cycle of placements: refused by the loader

    def zone_trusted(self, zone: str) -> bool:
        """Whether a zone is trusted: the built-in ones by the catalog, the model's by their flag."""
        if zone in self.zones:
            return self.zones[zone].trusted
        return bool(ZONES.get(zone, {}).get("trusted", False))

    def zone_title(self, zone: str) -> str:
        if zone in self.zones:
            return self.zones[zone].title or zone
        return str(ZONES.get(zone, {}).get("title", zone))

    @property
    def data_classes(self) -> set[str]:
        """Every data class the model names, at model, component or flow level."""
        found = set(self.requirements.data)
        for c in self.components.values():
            found.update(c.data)
        for f in self.flows:
            found.update(f.data)
        return found


#: A short-form flow as the loader reads it ("a -> b" or "a -> b: label"), for the schema.
SHORT_FLOW = r"^\s*[a-z][a-z0-9_-]*\s*->\s*[a-z][a-z0-9_-]*\s*(:.*)?$"
#: The key of the one-entry mapping form ({"a -> b": label}).
SHORT_FLOW_KEY = r"^\s*[a-z][a-z0-9_-]*\s*->\s*[a-z][a-z0-9_-]*\s*$"


def json_schema() -> dict[str, Any]:
    """The model's JSON Schema, for editors (yaml-language-server) and the site.

    It accepts everything the loader accepts in a model's shape: the short-form flows
    (``"a -> b"``, ``"a -> b: label"`` and ``{"a -> b": label}``) beside the long form,
    and says what it can say statically (``platform`` only on client apps, ``protects``
    only on a WAF, zone ids that do not reuse a built-in one). What needs the whole model
    (that a flow names an existing component, that a service exists for the kind on the
    provider) is the loader's: ``archgen check`` reports it at FILE:LINE:COLUMN.
    """
    schema = Model.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://archgen.dev/schema/model-1.json"
    schema["title"] = "archgen model, version 1"
    defs = schema["$defs"]
    # pydantic leaves the description off a property that is a $ref; 2020-12 allows both.
    for cls, props in [(Model, schema["properties"])] + [
        (c, defs[c.__name__]["properties"]) for c in (Requirements, Component, Flow, Zone)
    ]:
        for name, info in cls.model_fields.items():
            prop = props.get(info.alias or name)
            if prop is not None and "description" not in prop and info.description:
                prop["description"] = info.description
    # Component ids and zone ids are map keys: describe their shape for editors.
    schema["properties"]["components"]["propertyNames"] = {"pattern": COMPONENT_ID}
    schema["properties"]["zones"]["propertyNames"] = {"pattern": ZONE_ID}
    # a built-in zone may be re-declared (its title, its trust), but the internet stays untrusted
    schema["properties"]["zones"]["properties"] = {
        "internet": {"allOf": [{"$ref": "#/$defs/Zone"}, {"properties": {"trusted": {"const": False}}}]},
    }
    comp = defs["Component"]["properties"]
    # sizing: numbers of at least 0 (null: the default), instance_type text (sizing_problems)
    for props in (schema["properties"], comp):
        props["sizing"]["properties"] = {key: {"type": "string", "minLength": 1} for key in sorted(SIZING_TEXT_KEYS)}
        props["sizing"]["additionalProperties"] = {"type": ["number", "null"], "minimum": 0}
    comp["zone"] = {
        "type": "string",
        "pattern": ZONE_ID,
        "examples": list(BUILTIN_ZONES),
        "description": comp["zone"]["description"],
    }
    for name in ("runs_on",):
        comp[name] = {"type": "string", "pattern": COMPONENT_ID, "description": comp[name]["description"]}
    comp["protects"]["items"] = {"type": "string", "pattern": COMPONENT_ID}
    # platform only where the kind runs on a device, protects only on a shield (catalog traits)
    defs["Component"]["allOf"] = [
        {
            "if": {"properties": {"kind": {"not": {"enum": sorted(kinds_with(trait))}}}},
            "then": {"not": {"required": [field]}},
        }
        for field, trait in (("platform", "device"), ("protects", "shield"))
    ]
    # flows: the short forms beside the long one
    flows = schema["properties"]["flows"]
    flows["type"] = ["array", "null"]  # `flows:` with nothing under it is no flow
    flows["items"] = {
        "oneOf": [
            {
                "type": "string",
                "pattern": SHORT_FLOW,
                "description": 'Short form: "a -> b" or "a -> b: label" (a label that names a protocol sets it).',
            },
            {
                "type": "object",
                "minProperties": 1,
                "maxProperties": 1,
                "propertyNames": {"pattern": SHORT_FLOW_KEY},
                "additionalProperties": {"type": ["string", "number", "null"]},
                "description": 'Short form as a mapping: {"a -> b": label}.',
            },
            {"$ref": "#/$defs/Flow"},
        ]
    }
    return schema
