"""Read the JSON of ``terraform show -json``: a saved plan or a state, as :class:`Infra`.

The format is HashiCorp's "JSON Output Format"
(https://developer.hashicorp.com/terraform/internals/json-format): an object with a
``format_version`` (major version 1 is the one documented), and for a plan
``planned_values`` (the values after the plan, computed ones absent) plus
``configuration``, for a state ``values``. Both hold a ``root_module`` whose
``resources`` and ``child_modules`` nest.

Only managed resources (``mode: managed``) are kept: data sources read, they build
nothing. A plan's ``configuration`` adds what planned values cannot know yet: which
resources an argument refers to (``security_group_id = aws_security_group.api.id``),
kept as :attr:`Resource.references`.

What is not such a file (other JSON, the streamed lines of ``terraform plan -json``, an
unknown major format version, a state with no resources) is a one-line error naming the
file, exit status 2.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from archgen.errors import Location, ModelError, ModelErrors

__all__ = ["Infra", "Resource", "read", "read_one", "SUPPORTED_MAJOR"]

#: The major ``format_version`` of ``terraform show -json`` this reader understands.
SUPPORTED_MAJOR = 1
#: Where a provider keeps its resources' key/value labels in their values, in the order
#: they are merged (later wins): provider-wide defaults first, the resource's own last.
TAG_ATTRIBUTES = ("tags_all", "effective_labels", "terraform_labels", "labels", "tags")
#: A reference to a resource of the same module starts TYPE.NAME (an attribute may follow)
_REF = re.compile(r"^[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*$")
#: First words of references that name no resource
_NOT_RESOURCES = ("var.", "local.", "data.", "each.", "count.", "path.", "self.", "module.", "terraform.")
_INDEX = re.compile(r"\[[^\]]*\]")
_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class Resource:
    """One managed resource: its address and the values it has after the plan (or in the state)."""

    address: str  # module.net.aws_subnet.private["a"]
    type: str
    name: str
    module: str  # module path ("module.net"), "" for the root module
    provider_name: str  # registry.terraform.io/hashicorp/aws
    values: Mapping[str, Any] = field(compare=False, hash=False)
    tags: Mapping[str, str] = field(compare=False, hash=False)  # tags / labels / tags_all, merged
    source: Path  # the JSON file it was read from
    index: str | int | None = None  # the count or for_each key
    #: argument path ("ingress.security_groups") -> addresses of the resources it refers to
    #: (module-qualified, without instance keys), from a plan's configuration
    references: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _EMPTY, compare=False, hash=False)

    @property
    def config_address(self) -> str:
        """The address without instance keys: what the configuration calls it."""
        return _INDEX.sub("", self.address)

    @property
    def provider(self) -> str:
        """The provider's short name: ``aws`` for ``registry.terraform.io/hashicorp/aws``."""
        return self.provider_name.rsplit("/", 1)[-1]

    def referenced(self) -> frozenset[str]:
        """Every resource address any argument of it refers to."""
        return frozenset(a for refs in self.references.values() for a in refs)


@dataclass(frozen=True)
class Infra:
    """The managed resources of one or more root modules, sorted by address (then file)."""

    resources: tuple[Resource, ...]
    sources: tuple[Path, ...] = ()

    def __len__(self) -> int:
        return len(self.resources)

    def of_type(self, *types: str) -> tuple[Resource, ...]:
        return tuple(r for r in self.resources if r.type in types)

    def by_address(self) -> dict[str, Resource]:
        """Resources by address, and by their configuration address when that is unique."""
        out: dict[str, Resource] = {}
        for r in self.resources:
            out.setdefault(r.address, r)
        for r in self.resources:
            out.setdefault(r.config_address, r)
        return out


def read(paths: Sequence[Path]) -> Infra:
    """Every file's managed resources (several files: several root modules), all problems at once."""
    errors: list[ModelError] = []
    found: list[Resource] = []
    for path in paths:
        try:
            found.extend(read_one(Path(path)))
        except ModelError as exc:
            errors.append(exc)
    if errors:
        raise ModelErrors(errors)
    found.sort(key=lambda r: (r.address, str(r.source)))
    return Infra(tuple(found), tuple(Path(p) for p in paths))


def read_one(path: Path) -> list[Resource]:
    """The managed resources of one file, in document order."""
    doc = _load(path)
    where = Location(str(path))
    version = doc.get("format_version")
    if not isinstance(version, str) or not re.match(r"^\d+(\.\d+)*$", version):
        raise ModelError(where, "not the output of `terraform show -json` (no format_version)")
    if int(version.split(".")[0]) != SUPPORTED_MAJOR:
        raise ModelError(
            where,
            f"format_version {version} is not supported: archgen reads format {SUPPORTED_MAJOR}.x of "
            "`terraform show -json` (Terraform 0.12 and later)",
        )
    if "planned_values" in doc or "resource_changes" in doc:
        root = _object(doc.get("planned_values") or {}, where, "planned_values").get("root_module") or {}
        refs = _references(doc.get("configuration") or {})
    elif "values" in doc:
        root = _object(doc.get("values") or {}, where, "values").get("root_module") or {}
        refs = {}
    elif set(doc) <= {"format_version", "terraform_version"}:
        raise ModelError(where, "the state is empty: it holds no resources (run `terraform show -json` where the state lives)")
    else:
        raise ModelError(where, "not the output of `terraform show -json`: neither planned_values (a plan) nor values (a state)")
    out = list(_walk(_object(root, where, "root_module"), path, where, refs))
    if not out and "values" in doc and "planned_values" not in doc:
        raise ModelError(where, "the state is empty: it holds no managed resources")
    return out


def _load(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ModelError(Location(str(path)), f"cannot read the file: {reason}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and text.lstrip().startswith('{"@level"'):
            raise ModelError(
                Location(str(path)),
                "this is the streamed log of `terraform plan -json`; save the plan (`terraform plan -out=PLAN`) "
                "and give the output of `terraform show -json PLAN`",
            ) from None
        raise ModelError(Location(str(path), exc.lineno, exc.colno), f"not valid JSON: {exc.msg}") from None
    if not isinstance(doc, dict):
        raise ModelError(Location(str(path)), "not the output of `terraform show -json`: the document is not an object")
    return doc


def _object(value: Any, where: Location, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ModelError(where, f"not the output of `terraform show -json`: {what} is not an object")
    return value


def _walk(module: dict[str, Any], path: Path, where: Location, refs: dict[str, dict[str, tuple[str, ...]]]) -> Iterator[Resource]:
    for raw in module.get("resources") or ():
        if not isinstance(raw, dict) or not isinstance(raw.get("address"), str) or not isinstance(raw.get("type"), str):
            raise ModelError(where, "not the output of `terraform show -json`: a resource without address or type")
        if raw.get("mode", "managed") != "managed":
            continue
        values = raw.get("values") or {}
        if not isinstance(values, dict):
            raise ModelError(where, f"resource {raw['address']}: values is not an object")
        address = raw["address"]
        module_path = _module_of(address)
        r = Resource(
            address=address,
            type=raw["type"],
            name=str(raw.get("name", "")),
            module=module_path,
            provider_name=str(raw.get("provider_name", "")),
            values=MappingProxyType(values),
            tags=MappingProxyType(_tags(values)),
            source=path,
            index=raw.get("index"),
        )
        found = refs.get(r.config_address)
        yield r if not found else _with_refs(r, found)
    for child in module.get("child_modules") or ():
        yield from _walk(_object(child, where, "a child module"), path, where, refs)


def _with_refs(r: Resource, refs: dict[str, tuple[str, ...]]) -> Resource:
    from dataclasses import replace

    return replace(r, references=MappingProxyType(refs))


def _module_of(address: str) -> str:
    """``module.a["x"].module.b.aws_s3_bucket.c[0]`` -> ``module.a["x"].module.b``."""
    parts = _split(address)
    out: list[str] = []
    while len(parts) > 2 and parts[0] == "module":
        out += parts[:2]
        parts = parts[2:]
    return ".".join(out)


def _split(address: str) -> list[str]:
    """An address cut at its dots, except the dots inside instance keys (``["a.b"]``)."""
    return re.findall(r'(?:[^.\["]|\["(?:[^"\\]|\\.)*"\]|\[[^\]]*\])+', address)


def _tags(values: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for attr in TAG_ATTRIBUTES:
        value = values.get(attr)
        if isinstance(value, dict):
            out.update({str(k): str(v) for k, v in value.items() if v is not None})
    meta = values.get("metadata")  # the kubernetes provider: metadata { labels = {...} }
    if isinstance(meta, list) and meta and isinstance(meta[0], dict) and isinstance(meta[0].get("labels"), dict):
        out.update({str(k): str(v) for k, v in meta[0]["labels"].items() if v is not None})
    return dict(sorted(out.items()))


# -- a plan's configuration: what each argument refers to ----------------------------


def _references(config: Any) -> dict[str, dict[str, tuple[str, ...]]]:
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    if isinstance(config, dict) and isinstance(config.get("root_module"), dict):
        _config_module(config["root_module"], "", out)
    return out


def _config_module(module: dict[str, Any], prefix: str, out: dict[str, dict[str, tuple[str, ...]]]) -> None:
    for res in module.get("resources") or ():
        if not isinstance(res, dict) or res.get("mode", "managed") != "managed" or not isinstance(res.get("address"), str):
            continue
        found: dict[str, set[str]] = {}
        _expressions(res.get("expressions") or {}, "", prefix, found)
        if found:
            out[prefix + res["address"]] = {k: tuple(sorted(v)) for k, v in sorted(found.items())}
    for name, call in sorted((module.get("module_calls") or {}).items()):
        if isinstance(call, dict) and isinstance(call.get("module"), dict):
            _config_module(call["module"], f"{prefix}module.{name}.", out)


def _expressions(expr: Any, at: str, prefix: str, found: dict[str, set[str]]) -> None:
    if isinstance(expr, list):  # a nested block: a list of expression objects
        for item in expr:
            _expressions(item, at, prefix, found)
        return
    if not isinstance(expr, dict):
        return
    refs = expr.get("references")
    if isinstance(refs, list):
        for ref in refs:
            if isinstance(ref, str) and not ref.startswith(_NOT_RESOURCES):
                head = ".".join(_INDEX.sub("", ref).split(".")[:2])
                if _REF.match(head):
                    found.setdefault(at, set()).add(prefix + head)
        return
    for key, sub in expr.items():
        if key in ("constant_value", "references"):
            continue
        _expressions(sub, f"{at}.{key}" if at else key, prefix, found)
