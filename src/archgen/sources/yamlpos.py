"""The positioned YAML reader that models and ADR front matter share.

YAML is composed with PyYAML's C composer (it keeps line and column of every node),
refused when hostile (alias bombs, recursive aliases, deep nesting), and turned into
plain data while :class:`Positions` records where every key and value stands.
Duplicate keys and tags other than the plain YAML types are reported through a
:class:`Collector` as ``FILE:LINE:COLUMN: message``; nothing here knows what a model
or an ADR is.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

import yaml

from archgen.errors import Location, ModelError

__all__ = [
    "MAX_DEPTH",
    "MAX_ERRORS",
    "MAX_NODES",
    "Collector",
    "Positions",
    "YamlPath",
    "check_expansion",
    "compose",
    "decode",
    "did_you_mean",
    "short",
    "to_data",
]

#: A path into the document: mapping keys and list indexes from the root.
YamlPath = tuple[Any, ...]

try:  # the C composer is ~3x faster; fall back when libyaml is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

#: Limits that keep hostile documents from eating memory or time.
MAX_NODES = 500_000  # nodes after alias expansion
MAX_DEPTH = 64
MAX_ERRORS = 200

_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_SCALAR_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


def short(value: Any, limit: int = 60) -> str:
    """A value for an error message: repr, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Positions:
    """Where each key and value of the document stands."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.value: dict[YamlPath, Location] = {}
        self.key: dict[YamlPath, Location] = {}

    def loc(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.file, mark.line + 1, mark.column + 1)

    def of_value(self, path: YamlPath) -> Location:
        while path:
            if path in self.value:
                return self.value[path]
            path = path[:-1]
        return self.value.get((), Location(self.file, 1, 1))

    def of_key(self, path: YamlPath) -> Location:
        return self.key.get(path) or self.of_value(path)


class Collector:
    """Gathers the problems of one file."""

    def __init__(self) -> None:
        self.errors: list[ModelError] = []

    def add(self, location: Location, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(ModelError(location, message))

    def __bool__(self) -> bool:
        return bool(self.errors)


def did_you_mean(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


# ---------------------------------------------------------------------------
# bytes -> text -> node tree


def decode(raw: bytes, file: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ModelError(Location(file, 1, 1), "the file is UTF-16; save it as UTF-8")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise ModelError(
            Location(file, line, column),
            f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
        ) from None
    if "\x00" in text:
        index = text.index("\x00")
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        raise ModelError(Location(file, line, column), "the file contains a NUL byte")
    return text


def _yaml_error(exc: yaml.YAMLError, file: str) -> ModelError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    location = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file, 1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"YAML syntax error: {problem}"
    if context:
        message += f" ({context})"
    if "\t" in problem or "tab" in problem.lower():
        message += "; YAML indentation must use spaces, not tabs"
    return ModelError(location, message)


def compose(text: str, file: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, file) from None
    except RecursionError:
        raise ModelError(
            Location(file, 1, 1), f"the document is nested too deeply (limit {MAX_DEPTH})"
        ) from None


def check_expansion(root: yaml.Node, positions: Positions) -> None:
    """Refuse alias bombs, recursive aliases and deep nesting before any expansion."""
    sizes: dict[int, int] = {}
    on_stack: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if depth > MAX_DEPTH:
            raise ModelError(
                positions.loc(node), f"the document is nested too deeply (limit {MAX_DEPTH} levels)"
            )
        if key in on_stack:
            raise ModelError(positions.loc(node), "a YAML alias refers to itself (recursive alias)")
        total = 1
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            on_stack.add(key)
            children: list[yaml.Node] = []
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    children.append(k)
                    children.append(v)
            else:
                children = node.value
            for child in children:
                total += size(child, depth + 1)
                if total > MAX_NODES:
                    raise ModelError(
                        positions.loc(child),
                        f"the document expands to more than {MAX_NODES:,} nodes through "
                        "aliases or size; too large to be a model",
                    )
            on_stack.discard(key)
        sizes[key] = total
        return total

    size(root, 0)


# ---------------------------------------------------------------------------
# node tree -> plain data with positions

_constructor = yaml.constructor.SafeConstructor()


def _scalar(node: yaml.ScalarNode, path: YamlPath, pos: Positions, errs: Collector) -> Any:
    if node.tag == _STR:  # the common case, without the constructor's overhead
        return node.value
    if node.tag not in _SCALAR_TAGS:
        errs.add(pos.loc(node), f"YAML tag {short(node.tag)} is not allowed in a model")
        return None
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value
    try:
        return _constructor.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        errs.add(pos.loc(node), f"cannot read value {short(node.value)}: {exc}")
        return None


def to_data(node: yaml.Node, path: YamlPath, pos: Positions, errs: Collector) -> Any:
    pos.value[path] = pos.loc(node)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, path, pos, errs)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ:
            errs.add(pos.loc(node), f"YAML tag {short(node.tag)} is not allowed in a model")
        return [to_data(item, path + (i,), pos, errs) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        if node.tag != _MAP:
            errs.add(pos.loc(node), f"YAML tag {short(node.tag)} is not allowed in a model")
        result: dict[Any, Any] = {}
        merged: list[yaml.MappingNode] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for source in sources:
                    if isinstance(source, yaml.MappingNode):
                        merged.append(source)
                    else:
                        errs.add(pos.loc(source), "a merge key '<<' needs a mapping or a list of mappings")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                errs.add(pos.loc(key_node), "a mapping key must be a plain value, not a list or mapping")
                continue
            key = _scalar(key_node, path, pos, errs)
            if isinstance(key, (list, dict)) or key is None:
                key = key_node.value
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                first = pos.key.get(path + (key,))
                where = f" (first at line {first.line})" if first else ""
                errs.add(pos.loc(key_node), f"duplicate key '{key}'{where}")
                continue
            pos.key[path + (key,)] = pos.loc(key_node)
            result[key] = to_data(value_node, path + (key,), pos, errs)
        for source in merged:  # explicit keys win over merged ones, as YAML specifies
            data = to_data(source, path, pos, errs)
            if isinstance(data, dict):
                for key, value in data.items():
                    result.setdefault(key, value)
        return result
    errs.add(pos.loc(node), "unsupported YAML node")  # pragma: no cover
    return None
