"""A registry of rule modules and the data file that describes their rules.

A package of rules (``archgen.rules``, ``archgen.drift``) keeps each rule's metadata
(title, category, severity, remediation, STRIDE, CWE, Checkov ids, ``after_others``) in
``data/rules.yaml``, keyed by rule id and sorted by it: that file is the package's list of
rules, the one place an id is written down. Each rule's module is named after its id,
lower case with ``_`` for ``-`` and without the package's prefix (``SEC-NO-WAF``:
``archgen.rules.sec_no_waf``; ``DRIFT-MISSING``: ``archgen.drift.missing``): see
:func:`module_of`. A rule module holds its page (the docstring) and its ``check``, and
declares itself in one line: ``RULE = declare(__name__, check)``. The file is validated
when it is first read: an unknown key, a missing field, a value of the wrong type, an id
twice and ids out of order are each one ``FILE:LINE:COLUMN`` message; an id whose module
is missing fails when the rules are loaded, and a module with no entry fails the tests.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property, lru_cache
from importlib import import_module
from typing import Any

from archgen.rules._base import Hit, Rule

__all__ = ["FIELDS", "REQUIRED", "Registry", "RuleDataError", "declare", "module_of", "parse_rule_data", "rule_ids_of"]

#: Every key an entry may have, and the type of its value (``tuple``: a list of that type).
FIELDS: dict[str, type | tuple[type]] = {
    "title": str,
    "category": str,
    "severity": str,
    "remediation": str,
    "stride": (str,),
    "cwe": (int,),
    "checkov": (str,),
    "after_others": bool,
}
#: The keys every entry gives.
REQUIRED = ("title", "category", "severity", "remediation")


class RuleDataError(ValueError):
    """A rules.yaml disagrees with itself or with its registry (a bug in archgen, caught by its tests)."""


def _where(file: str, node: Any) -> str:
    return f"{file}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"


def _value(loader: Any, node: Any, kind: type | tuple[type], problems: list[str], where: str, key: str) -> Any:
    value = loader.construct_object(node, deep=True)
    if isinstance(kind, tuple):
        if not isinstance(value, list) or any(type(item) is not kind[0] for item in value):
            problems.append(f"{where}: {key} is a list of {kind[0].__name__}, not {value!r}")
        return tuple(value) if isinstance(value, list) else ()
    if type(value) is not kind:
        problems.append(f"{where}: {key} is a {kind.__name__}, not {value!r}")
    return value


@lru_cache(maxsize=4)
def _compose(text: str, file: str) -> Any:
    """The root node of a rules.yaml, a mapping; raises :class:`RuleDataError` otherwise.
    Kept: a registry reads its ids, then its entries, from one composition (read only)."""
    import yaml

    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise RuleDataError(f"{file}: not YAML: {exc}") from exc
    if not isinstance(root, yaml.MappingNode):
        raise RuleDataError(f"{file}:1:1: a mapping of rule ids to their metadata")
    return root


def parse_rule_data(text: str, file: str, modules: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """The entries of a rules.yaml, by rule id, each checked against FIELDS and ``modules``
    (the registry: rule id -> module); raises :class:`RuleDataError` listing every problem."""
    import yaml

    root = _compose(text, file)
    loader = yaml.SafeLoader("")
    problems: list[str] = []
    out: dict[str, dict[str, Any]] = {}
    for key_node, entry in root.value:
        rule_id = key_node.value
        where = _where(file, key_node)
        if rule_id in out:
            problems.append(f"{where}: {rule_id} is described twice")
            continue
        if rule_id not in modules:
            problems.append(f"{where}: {rule_id} has no module in the registry")
        if not isinstance(entry, yaml.MappingNode):
            problems.append(f"{where}: {rule_id} is a mapping of {', '.join(FIELDS)}")
            continue
        fields: dict[str, Any] = {}
        for field_node, value_node in entry.value:
            name, at = field_node.value, _where(file, field_node)
            if name not in FIELDS:
                problems.append(f"{at}: {rule_id}: unknown key {name!r} (known: {', '.join(FIELDS)})")
            elif name in fields:
                problems.append(f"{at}: {rule_id}: {name} given twice")
            else:
                fields[name] = _value(loader, value_node, FIELDS[name], problems, at, f"{rule_id}: {name}")
        missing = [name for name in REQUIRED if name not in fields]
        if missing:
            problems.append(f"{where}: {rule_id} lacks {', '.join(missing)}")
        out[rule_id] = fields
    for rule_id, module in modules.items():
        if rule_id not in out:
            problems.append(f"{file}: {rule_id} ({module}) has no entry")
    if not problems and list(out) != list(modules):
        problems.append(f"{file}: the entries are not in the order of the registry")
    if problems:
        raise RuleDataError("\n".join(problems))
    return out


def module_of(package: str, rule_id: str, prefix: str = "") -> str:
    """The module of rule ``rule_id`` in ``package``: ``module_of("archgen.drift", "DRIFT-MISSING",
    "DRIFT-")`` is ``archgen.drift.missing``."""
    return f"{package}.{rule_id.removeprefix(prefix).lower().replace('-', '_')}"


def rule_ids_of(text: str, file: str) -> list[str]:
    """The ids a rules.yaml describes, in its order (its top-level keys); raises
    :class:`RuleDataError` when it is no mapping or its ids are not sorted."""
    root = _compose(text, file)
    ids = [key.value for key, _ in root.value]
    for (before, _), (key, _) in zip(root.value, root.value[1:]):
        if key.value < before.value:
            raise RuleDataError(f"{_where(file, key)}: {key.value} comes after {before.value}: keep the ids sorted")
    return ids


class Registry:
    """The rules of one package: the ids of ``<package>/data/rules.yaml``, their metadata, and
    the modules named after them (:func:`module_of`, with ``prefix`` left out of the name)."""

    def __init__(self, package: str, prefix: str = "", data: str = "rules.yaml") -> None:
        self.package = package
        self.prefix = prefix
        self.data = data

    @cached_property
    def _text(self) -> tuple[str, str]:
        from importlib import resources

        path = resources.files(self.package).joinpath("data", self.data)
        return path.read_text(encoding="utf-8"), str(path)

    @cached_property
    def modules(self) -> dict[str, str]:
        """Every rule id of the data file -> its module, in the file's order (sorted by id)."""
        return {rule_id: module_of(self.package, rule_id, self.prefix) for rule_id in rule_ids_of(*self._text)}

    @cached_property
    def _ids(self) -> dict[str, str]:
        return {module: rule_id for rule_id, module in self.modules.items()}

    @cached_property
    def metadata(self) -> dict[str, dict[str, Any]]:
        """The validated entries of the data file, by rule id."""
        return parse_rule_data(*self._text, self.modules)

    def declare(self, module: str, check: Callable[..., Iterable[Hit]], doc: str) -> Rule:
        """The :class:`Rule` of ``module``: its entry in the data file, its page and its check."""
        rule_id = self._ids.get(module)
        if rule_id is None:
            raise RuleDataError(f"{module} is not in the registry of {self.package}")
        return Rule(id=rule_id, doc=doc, check=check, **self.metadata[rule_id])

    @cached_property
    def rules(self) -> tuple[Rule, ...]:
        """Every registered rule, sorted by id; raises if a module's id disagrees."""
        found = []
        for rule_id, module in self.modules.items():
            try:
                rule = import_module(module).RULE
            except ModuleNotFoundError as exc:
                if exc.name != module:
                    raise
                raise RuleDataError(f"{self._text[1]}: {rule_id} has no module {module}") from None
            if rule.id != rule_id:
                raise RuntimeError(f"{module} defines {rule.id}, registered as {rule_id}")
            found.append(rule)
        return tuple(sorted(found, key=lambda r: r.id))


def declare(module: str, check: Callable[..., Iterable[Hit]], extra_doc: str = "") -> Rule:
    """A rule module's ``RULE``: ``declare(__name__, check)``. Its metadata comes from its
    package's registry and data file, its page from the module's docstring (and ``extra_doc``,
    e.g. the thresholds it weighs with their sources)."""
    package = sys.modules[module.rpartition(".")[0]]
    doc = sys.modules[module].__doc__ or ""
    return package.REGISTRY.declare(module, check, doc + extra_doc)
