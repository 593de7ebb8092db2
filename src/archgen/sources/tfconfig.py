"""A Terraform configuration as arguments and the resources they refer to, across modules.

``archgen import terraform`` needs to know that ``security_group_id = var.sg`` in one
module is, through the caller's ``sg = module.alb.security_group_id`` and that module's
output, the load balancer's security group. Two sources give the configuration:

- a plan's ``configuration`` (``terraform show -json``): every argument is
  ``{"constant_value": ...}`` or ``{"references": [...]}``, module calls nest with
  their inputs, outputs and the called module's own configuration;
- the ``.tf`` files of a folder, parsed with python-hcl2 (the ``[hcl]`` extra): an
  argument is a value, or a string holding ``${...}`` whose references are read from
  the expression's text. Local module sources (``./modules/x``) are read too; a module
  from a registry is not on disk, so its call stands for itself (``module.db``).

Both become the same tree: a resource's body is a dict of arguments whose leaves are
constants or :class:`Ref` (the raw references); :func:`resolve` follows ``var.``,
``local.``, ``module.X.OUT`` and ``TYPE.NAME`` to the resources (configuration addresses,
module-qualified, without instance keys) they end at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archgen.errors import Location, ModelError, ModelErrors

__all__ = ["Call", "ConfigModule", "ConfigResource", "Ref", "from_dir", "from_plan", "references", "resolve", "resolved"]


@dataclass(frozen=True)
class Ref:
    """An argument (or part of one) computed from other objects: their raw references."""

    raw: tuple[str, ...]


@dataclass
class ConfigResource:
    type: str
    name: str
    body: dict[str, Any]
    file: str = ""
    line: int = 0

    @property
    def local_address(self) -> str:
        return f"{self.type}.{self.name}"


@dataclass
class Call:
    """A ``module "name" {}`` call: its source, its inputs, and the called module when known."""

    name: str
    source: str
    inputs: dict[str, Any]
    module: ConfigModule | None = None


@dataclass
class ConfigModule:
    path: str  # "" for the root, "module.a.module.b" inside
    resources: dict[str, ConfigResource] = field(default_factory=dict)
    calls: dict[str, Call] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    locals: dict[str, Any] = field(default_factory=dict)
    parent: ConfigModule | None = None
    provider_region: str | None = None  # a constant region of the provider block (root only)

    def prefix(self) -> str:
        return self.path + "." if self.path else ""

    def walk(self):
        yield self
        for call in self.calls.values():
            if call.module is not None:
                yield from call.module.walk()


# -- from a plan's configuration -------------------------------------------------------


def _plan_expr(expr: Any) -> Any:
    """A plan's expression object (or a nested block's list of them) as a tree."""
    if isinstance(expr, list):
        return [_plan_expr(e) for e in expr]
    if not isinstance(expr, dict):
        return None
    if "constant_value" in expr:
        return expr["constant_value"]
    if "references" in expr:
        refs = expr["references"]
        return Ref(tuple(str(r) for r in refs)) if isinstance(refs, list) else None
    if not expr:
        return None  # computed from constants only (a function call): not known here
    return {str(k): _plan_expr(v) for k, v in expr.items()}


def from_plan(configuration: Any) -> ConfigModule:
    """The ``configuration`` object of a plan (an empty configuration when it is absent)."""
    root = ConfigModule("")
    if isinstance(configuration, dict) and isinstance(configuration.get("root_module"), dict):
        _plan_module(configuration["root_module"], root)
        aws = (configuration.get("provider_config") or {}).get("aws") or {}
        region = ((aws.get("expressions") or {}).get("region") or {}).get("constant_value") if isinstance(aws, dict) else None
        root.provider_region = region if isinstance(region, str) else None
    return root


def _plan_module(raw: dict[str, Any], mod: ConfigModule) -> None:
    for res in raw.get("resources") or ():
        if isinstance(res, dict) and res.get("mode", "managed") == "managed" and isinstance(res.get("type"), str):
            body = _plan_expr(res.get("expressions") or {})
            mod.resources[f"{res['type']}.{res.get('name', '')}"] = ConfigResource(res["type"], str(res.get("name", "")), body if isinstance(body, dict) else {})
    for name, out in sorted((raw.get("outputs") or {}).items()):
        if isinstance(out, dict):
            mod.outputs[str(name)] = _plan_expr(out.get("expression") or {})
    for name, call in sorted((raw.get("module_calls") or {}).items()):
        if not isinstance(call, dict):
            continue
        inputs = _plan_expr(call.get("expressions") or {})
        child = ConfigModule(f"{mod.prefix()}module.{name}", parent=mod)
        if isinstance(call.get("module"), dict):
            _plan_module(call["module"], child)
        mod.calls[str(name)] = Call(str(name), str(call.get("source", "")), inputs if isinstance(inputs, dict) else {}, child)


# -- from .tf files ---------------------------------------------------------------------

#: A reference inside an HCL expression's text: var.X, local.X, module.X.Y, data.T.N, T.N
_HCL_REF = re.compile(
    r"(?<![\w.\"'-])(?:var\.[A-Za-z_][\w-]*|local\.[A-Za-z_][\w-]*|module\.[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)?"
    r"|data\.[a-z][\w]*\.[A-Za-z_][\w-]*|[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][\w-]*)"
)
_TEMPLATE = re.compile(r"\$\{")


def _hcl_value(value: Any) -> Any:
    if isinstance(value, str):
        if not _TEMPLATE.search(value):
            return value
        return Ref(tuple(dict.fromkeys(m.group(0) for m in _HCL_REF.finditer(value))))
    if isinstance(value, list):
        return [_hcl_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _hcl_value(v) for k, v in value.items()}
    return value


def _hcl_block(value: Any) -> dict[str, Any]:
    """python-hcl2 wraps some blocks in one-element lists."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value if isinstance(value, dict) else {}


def _parse_dir(folder: Path, display: str) -> list[tuple[str, dict[str, Any], str]]:
    """(file as shown, parsed document, text) of every ``.tf`` file of ``folder``, sorted."""
    try:
        import hcl2
    except ImportError:
        raise ModelErrors([ModelError(Location(display), "reading .tf files needs python-hcl2: pip install 'archgen[hcl]'")]) from None
    out, errors = [], []
    for path in sorted(folder.glob("*.tf")):
        shown = f"{display.rstrip('/')}/{path.name}"
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(ModelError(Location(shown), f"cannot read the file: {getattr(exc, 'strerror', None) or exc}"))
            continue
        try:
            doc = hcl2.loads(text)
        except Exception as exc:  # python-hcl2 raises lark's errors, which have no common base here
            line, col = getattr(exc, "line", None), getattr(exc, "column", None)
            message = " ".join(str(exc).split())[:200] or type(exc).__name__
            errors.append(ModelError(Location(shown, line if isinstance(line, int) and line > 0 else None,
                                              col if isinstance(col, int) and col > 0 else None), f"not valid Terraform (HCL): {message}"))
            continue
        out.append((shown, doc, text))
    if errors:
        raise ModelErrors(errors)
    return out


def from_dir(folder: Path, display: str | None = None) -> ConfigModule:
    """The configuration in ``folder``'s ``.tf`` files, local modules included."""
    folder = Path(folder)
    root = ConfigModule("")
    _dir_module(folder, display or str(folder), root, set())
    if not root.resources and not root.calls:
        raise ModelErrors([ModelError(Location(display or str(folder)), "no Terraform resources or module calls in the folder's .tf files")])
    return root


def _line_of(text: str, rtype: str, name: str) -> int:
    m = re.search(r'^\s*resource\s+"' + re.escape(rtype) + r'"\s+"' + re.escape(name) + '"', text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def _dir_module(folder: Path, display: str, mod: ConfigModule, seen: set[Path]) -> None:
    seen = seen | {folder.resolve()}
    for shown, doc, text in _parse_dir(folder, display):
        for block in doc.get("resource") or ():
            for rtype, named in _hcl_block(block).items():
                for name, body in _hcl_block(named).items() if isinstance(named, dict) else ():
                    mod.resources[f"{rtype}.{name}"] = ConfigResource(str(rtype), str(name), _hcl_value(_hcl_block(body)), shown, _line_of(text, rtype, name))
        for block in doc.get("locals") or ():
            mod.locals.update({str(k): _hcl_value(v) for k, v in _hcl_block(block).items()})
        for block in doc.get("output") or ():
            for name, body in _hcl_block(block).items():
                mod.outputs[str(name)] = _hcl_value(_hcl_block(body).get("value"))
        for block in doc.get("provider") or ():
            region = _hcl_block(_hcl_block(block).get("aws")).get("region")
            if isinstance(region, str) and "${" not in region and not mod.path:
                mod.provider_region = region
        for block in doc.get("module") or ():
            for name, body in _hcl_block(block).items():
                body = _hcl_block(body)
                source = str(body.get("source", ""))
                inputs = {str(k): _hcl_value(v) for k, v in body.items() if k not in ("source", "version", "providers", "depends_on", "count", "for_each")}
                child = None
                if source.startswith(("./", "../")):
                    target = (folder / source).resolve()
                    if target.is_dir() and target not in seen:
                        child = ConfigModule(f"{mod.prefix()}module.{name}", parent=mod)
                        _dir_module(target, f"{display.rstrip('/')}/{source}", child, seen)
                mod.calls[str(name)] = Call(str(name), source, inputs, child)


# -- following references -----------------------------------------------------------------

_INDEX = re.compile(r"\[[^\]]*\]")
_NOT_OBJECTS = ("data", "each", "count", "path", "self", "terraform")


def references(tree: Any) -> tuple[str, ...]:
    """Every raw reference in a tree (an argument, a block, a whole body)."""
    if isinstance(tree, Ref):
        return tree.raw
    if isinstance(tree, dict):
        return tuple(r for v in tree.values() for r in references(v))
    if isinstance(tree, list):
        return tuple(r for v in tree for r in references(v))
    return ()


def _specific(raw: tuple[str, ...]) -> list[str]:
    """Drop a reference that only prefixes a longer one listed with it (``module.a`` beside ``module.a.out``)."""
    cleaned = [_INDEX.sub("", r) for r in raw]
    return [r for r in dict.fromkeys(cleaned) if not any(o != r and o.startswith(r + ".") for o in cleaned)]


def resolve(mod: ConfigModule, raw: tuple[str, ...], _active: frozenset[tuple[str, str]] = frozenset()) -> frozenset[str]:
    """The resources (module-qualified configuration addresses) the references end at.

    A call of a module that is not on disk is its own end (``module.db``)."""
    out: set[str] = set()
    for ref in _specific(raw):
        key = (mod.path, ref)
        if key in _active:
            continue
        active = _active | {key}
        parts = ref.split(".")
        head = parts[0]
        if head in _NOT_OBJECTS or len(parts) < 2:
            continue
        if head == "var":
            parent = mod.parent
            call = parent.calls.get(mod.path.rsplit(".", 1)[-1]) if parent is not None else None
            if call is not None and parts[1] in call.inputs:
                out |= resolve(parent, references(call.inputs[parts[1]]), active)
        elif head == "local":
            if parts[1] in mod.locals:
                out |= resolve(mod, references(mod.locals[parts[1]]), active)
        elif head == "module":
            call = mod.calls.get(parts[1])
            if call is None:
                continue
            if call.module is None or (not call.module.resources and not call.module.calls):
                out.add(f"{mod.prefix()}module.{parts[1]}")
            elif len(parts) >= 3 and parts[2] in call.module.outputs:
                out |= resolve(call.module, references(call.module.outputs[parts[2]]), active)
        elif f"{parts[0]}.{parts[1]}" in mod.resources:
            out.add(f"{mod.prefix()}{parts[0]}.{parts[1]}")
    return frozenset(out)


def resolved(mod: ConfigModule, tree: Any) -> Any:
    """The tree with each :class:`Ref` replaced by the frozenset of addresses it ends at."""
    if isinstance(tree, Ref):
        return resolve(mod, tree.raw)
    if isinstance(tree, dict):
        return {k: resolved(mod, v) for k, v in tree.items()}
    if isinstance(tree, list):
        return [resolved(mod, v) for v in tree]
    return tree
