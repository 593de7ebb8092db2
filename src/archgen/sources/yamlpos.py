"""The positioned YAML reader that models and ADR front matter share.

:func:`read` turns YAML text into plain data while :class:`Positions` records where
every key and value stands. It reads the parser's events itself (PyYAML's C parser,
which keeps line and column of each), so a hostile document is refused while it is
read, before anything is built from it: nesting deeper than :data:`MAX_DEPTH` (the
C composer would overflow the stack on 25,000 brackets), more than :data:`MAX_NODES`
nodes or :data:`MAX_SCALAR_BYTES` bytes of text once aliases are expanded (billion
laughs, one long scalar aliased a thousand times), a recursive or unknown alias.
Duplicate keys, tags other than the plain YAML types, and values a tag cannot read
(``!!bool maybe``, an empty ``!!int``) are reported through a :class:`Collector` as
``FILE:LINE:COLUMN: message``; nothing here knows what a model or an ADR is.

Mapping keys are read as they are written: ``on:`` and ``yes:`` are the keys
``'on'`` and ``'yes'``, not YAML 1.1's booleans (a key is an id or a field name).
"""

from __future__ import annotations

import difflib
import gc
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from archgen.errors import Location, ModelError

__all__ = [
    "MAX_DEPTH",
    "MAX_ERRORS",
    "MAX_NODES",
    "MAX_SCALAR_BYTES",
    "Collector",
    "Document",
    "Positions",
    "YamlPath",
    "decode",
    "did_you_mean",
    "read",
    "short",
]

#: A path into the document: mapping keys and list indexes from the root.
YamlPath = tuple[Any, ...]

try:  # the C parser is several times faster; fall back when libyaml is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

#: Limits that keep hostile documents from eating memory or time.
MAX_NODES = 250_000  # nodes after alias expansion (a 5,000-component model has about 60,000)
MAX_DEPTH = 64
MAX_SCALAR_BYTES = 16 * 1024 * 1024  # characters of scalar text after alias expansion
MAX_ERRORS = 200
_FLOAT_MAX = int(sys.float_info.max)

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INT = "tag:yaml.org,2002:int"
#: Tags whose values are read with the safe constructor, and what a message calls them.
_TYPED = {
    "tag:yaml.org,2002:int": "an integer",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true or false",
    "tag:yaml.org,2002:null": "null",
}
#: Values YAML 1.1 reads as booleans although they are words (``on``, ``yes``...).
_WORD_BOOLS = frozenset({"yes", "no", "on", "off"})


def short(value: Any, limit: int = 60) -> str:
    """A value for an error message: repr, cut to ``limit`` characters."""
    if isinstance(value, str) and len(value) > limit * 4:
        value = value[: limit * 4]  # repr of a huge string costs its size
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Positions:
    """Where each key and value of the document stands."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.value: dict[YamlPath, Location] = {}
        self.key: dict[YamlPath, Location] = {}
        #: values YAML read as booleans from words such as ``on`` or ``yes``, as written (for a hint)
        self.word_bools: dict[YamlPath, str] = {}

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
# bytes -> text


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


# ---------------------------------------------------------------------------
# text -> plain data with positions, read from the parser's events


@dataclass
class Document:
    """What :func:`read` found: the data, where each part stands, and the problems."""

    data: Any
    positions: Positions
    errors: Collector
    #: "mapping", "sequence" or "scalar"; None for an empty document
    root: str | None = None
    root_loc: Location | None = None


_NO_KEY = object()  # a mapping waits for its next key
_SKIP = object()  # the value of a key that could not be read: read, then dropped
_MERGE_KEY = object()  # the value of '<<': merged when its mapping ends
_ASIDE = object()  # first element of the paths of what is read aside (merge values, dropped parts)

_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers  # first character -> [(tag, regexp)]


class _Anchor:
    __slots__ = ("chars", "data", "height", "loc", "log_end", "log_start", "nodes", "path", "raw")

    def __init__(self, data: Any, path: YamlPath, log_start: int, log_end: int, nodes: int, chars: int,
                 height: int, raw: str | None, loc: Location) -> None:
        self.data, self.path, self.log_start, self.log_end = data, path, log_start, log_end
        self.nodes, self.chars, self.height, self.raw, self.loc = nodes, chars, height, raw, loc


class _Frame:
    """A mapping or sequence being read."""

    __slots__ = ("anchor", "chars", "data", "discard", "height", "index", "key", "keys", "loc", "log_start",
                 "mapping", "merges", "nodes", "path")

    def __init__(self, mapping: bool, path: YamlPath, loc: Location, anchor: str | None, log_start: int,
                 nodes: int, chars: int, discard: bool) -> None:
        self.mapping = mapping
        self.data: Any = {} if mapping else []
        self.path, self.loc, self.anchor, self.log_start = path, loc, anchor, log_start
        self.nodes, self.chars, self.discard = nodes, chars, discard
        self.height = 1  # levels of collections from this one down
        self.key: Any = _NO_KEY
        self.keys: dict[str, Location] = {}
        self.merges: list[tuple[Any, YamlPath, Location]] | None = None
        self.index = 0


class _Reader:
    """One pass over the parser's events. The hot path (plain scalars, collections without
    anchors) is inlined in :meth:`run`; anchors, aliases, merges and errors are methods."""

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.pos = Positions(file)
        self.errs = Collector()
        #: (path, location, is a key) in reading order; aliases replay their anchor's slice
        self.log: list[tuple[YamlPath, Location, bool]] = []
        self.anchors: dict[str, _Anchor] = {}
        self.open_anchors: set[str] = set()
        self.nodes = 0
        self.chars = 0
        self.constructor = yaml.constructor.SafeConstructor()

    # -- limits --------------------------------------------------------------

    def too_big(self, loc: Location) -> ModelError:
        if self.nodes > MAX_NODES:
            return ModelError(
                loc,
                f"the document expands to more than {MAX_NODES:,} nodes through aliases or size; too large to be a model",
            )
        return ModelError(
            loc,
            f"the document's text expands to more than {MAX_SCALAR_BYTES:,} characters through aliases; "
            "too large to be a model",
        )

    # -- the event loop --------------------------------------------------------

    def run(self) -> Document:
        parser = _Loader(self.text)
        try:
            return self._events(parser.get_event)
        except yaml.YAMLError as exc:
            raise _yaml_error(exc, self.file) from None
        finally:
            parser.dispose()

    def _events(self, get: Any) -> Document:  # noqa: C901 - one loop, kept flat for speed
        file = self.file
        log = self.log
        stack: list[_Frame] = []
        doc = Document(None, self.pos, self.errs)
        documents = 0
        ScalarEvent, MappingStartEvent, SequenceStartEvent = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
        MappingEndEvent, SequenceEndEvent, AliasEvent = yaml.MappingEndEvent, yaml.SequenceEndEvent, yaml.AliasEvent
        DocumentStartEvent, StreamEndEvent = yaml.DocumentStartEvent, yaml.StreamEndEvent
        while True:
            event = get()
            cls = event.__class__
            if cls is ScalarEvent:
                mark = event.start_mark
                loc = Location(file, mark.line + 1, mark.column + 1)
                text = event.value
                self.nodes += 1
                self.chars += len(text)
                if self.nodes > MAX_NODES or self.chars > MAX_SCALAR_BYTES:
                    raise self.too_big(loc)
                tag = event.tag
                if tag is None or tag == "!":
                    tag = _STR
                    if event.implicit[0]:
                        for candidate, regexp in _IMPLICIT.get(text[:1], ()):
                            if regexp.match(text):
                                tag = candidate
                                break
                top = stack[-1] if stack else None
                if top is not None and top.mapping and top.key is _NO_KEY:
                    self._key(top, event, tag, text, loc)
                    continue
                value = text if tag == _STR else self._value(tag, event, text, loc)
                if top is None:
                    path: YamlPath = ()
                    doc.data, doc.root, doc.root_loc = value, "scalar", loc
                elif top.mapping:
                    key = top.key
                    top.key = _NO_KEY
                    if key.__class__ is str:
                        path = top.path + (key,)
                        if not top.discard:
                            top.data[key] = value
                    else:
                        path = self._aside(top, key, value, loc)
                else:
                    path = top.path + (top.index,)
                    top.index += 1
                    if not top.discard:
                        top.data.append(value)
                log.append((path, loc, False))
                if tag != _STR and (value is True or value is False) and text.lower() in _WORD_BOOLS:
                    self.pos.word_bools[path] = text
                if event.anchor is not None:
                    self._anchor_scalar(event.anchor, value, text, path, loc)
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                mapping = cls is MappingStartEvent
                mark = event.start_mark
                loc = Location(file, mark.line + 1, mark.column + 1)
                self.nodes += 1
                if self.nodes > MAX_NODES:
                    raise self.too_big(loc)
                if len(stack) >= MAX_DEPTH:
                    raise ModelError(loc, f"the document is nested too deeply (limit {MAX_DEPTH} levels)")
                tag = event.tag
                if tag is not None and tag != "!" and tag != (_MAP if mapping else _SEQ):
                    self.errs.add(loc, f"YAML tag {short(tag)} is not allowed in a model")
                top = stack[-1] if stack else None
                discard = False
                if top is None:
                    path = ()
                elif top.mapping:
                    if top.key is _NO_KEY:  # a collection as a mapping key: reported, read, dropped
                        self.errs.add(loc, "a mapping key must be a plain value, not a list or mapping")
                        path, discard = (_ASIDE, id(top), "key"), True
                    elif top.key.__class__ is str:
                        path = top.path + (top.key,)
                    else:
                        path = (_ASIDE, id(top), "merge" if top.key is _MERGE_KEY else "skip", len(log))
                else:
                    path = top.path + (top.index,)
                if event.anchor is not None:
                    self._check_anchor(event.anchor, loc)
                    self.open_anchors.add(event.anchor)
                log.append((path, loc, False))
                stack.append(
                    _Frame(mapping, path, loc, event.anchor, len(log) - 1, self.nodes - 1, self.chars,
                           discard or (top is not None and top.discard))
                )
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                frame = stack.pop()
                if frame.merges:
                    self._merge(frame)
                if frame.anchor is not None:
                    self.open_anchors.discard(frame.anchor)
                    self.anchors[frame.anchor] = _Anchor(
                        frame.data, frame.path, frame.log_start, len(log), self.nodes - frame.nodes,
                        self.chars - frame.chars, frame.height, None, frame.loc,
                    )
                if not stack:
                    doc.data, doc.root_loc = frame.data, frame.loc
                    doc.root = "mapping" if frame.mapping else "sequence"
                    continue
                top = stack[-1]
                if top.height <= frame.height:
                    top.height = frame.height + 1
                self._place(top, frame.data, frame.path, frame.loc, frame.discard)
            elif cls is AliasEvent:
                self._alias(event, stack, doc)
            elif cls is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    raise ModelError(
                        Location(file, mark.line + 1, mark.column + 1),
                        "YAML syntax error: expected a single document in the stream, but found another document",
                    )
            elif cls is StreamEndEvent or event is None:
                break
        self._positions()
        return doc

    # -- where a value goes ---------------------------------------------------

    def _place(self, top: _Frame, value: Any, path: YamlPath, loc: Location, was_key: bool) -> None:
        """Put a finished collection (or an alias's value) into the collection around it."""
        if top.mapping:
            key = top.key
            if key is _NO_KEY:  # it was a key (reported): its value is read, then dropped
                top.key = _SKIP
                return
            top.key = _NO_KEY
            if key.__class__ is str:
                if not top.discard:
                    top.data[key] = value
            elif key is _MERGE_KEY:
                self._add_merge(top, value, path, loc)
        else:
            top.index += 1
            if not top.discard:
                top.data.append(value)

    def _aside(self, top: _Frame, key: Any, value: Any, loc: Location) -> YamlPath:
        """The path of a scalar that is not stored where it stands: a merge value or a skipped one."""
        path = (_ASIDE, id(top), "merge" if key is _MERGE_KEY else "skip", len(self.log))
        if key is _MERGE_KEY:
            self._add_merge(top, value, path, loc)
        return path

    def _add_merge(self, top: _Frame, value: Any, path: YamlPath, loc: Location) -> None:
        if top.merges is None:
            top.merges = []
        top.merges.append((value, path, loc))

    def _key(self, top: _Frame, event: Any, tag: str, text: str, loc: Location) -> None:
        """A scalar in key position: read as written (``on`` is the key 'on')."""
        if tag == _MERGE:
            key: Any = _MERGE_KEY
        elif tag == _STR or ((tag in _TYPED or tag == _TIMESTAMP) and event.implicit[0]):
            key = text
        elif tag in _TYPED:
            value = self._construct(tag, text, loc)
            key = text if value is None else str(value)
        elif tag == _TIMESTAMP:
            key = text
        else:
            self.errs.add(loc, f"YAML tag {short(event.tag)} is not allowed in a model")
            key = text
        self._set_key(top, key, loc)
        if event.anchor is not None:
            self._check_anchor(event.anchor, loc)
            self.anchors[event.anchor] = _Anchor(text, (), 0, 0, 1, len(text), 0, text, loc)

    def _set_key(self, top: _Frame, key: Any, loc: Location) -> None:
        if top.discard:
            top.key = _SKIP
        elif key is _MERGE_KEY:
            top.key = key
        elif key in top.keys:
            top.key = _SKIP
            self.errs.add(loc, f"duplicate key '{key}' (first at line {top.keys[key].line})")
        else:
            top.keys[key] = loc
            top.key = key
            self.log.append((top.path + (key,), loc, True))

    # -- typed scalars ----------------------------------------------------------

    def _value(self, tag: str, event: Any, text: str, loc: Location) -> Any:
        if tag == _TIMESTAMP:
            return text  # dates stay text: YYYY-MM-DD is what the ADR and model fields take
        if tag in _TYPED:
            return self._construct(tag, text, loc)
        self.errs.add(loc, f"YAML tag {short(event.tag)} is not allowed in a model")
        return None

    def _construct(self, tag: str, text: str, loc: Location) -> Any:
        if tag == _INT and len(text) < 300 and text.isascii() and text.isdigit() and (text[0] != "0" or text == "0"):
            # a plain decimal, as most numbers are: what the constructor gives, at a fraction
            # of its cost (a 15 MiB file of numbers is refused in two thirds of the time)
            return int(text)
        try:
            value = self.constructor.construct_object(yaml.ScalarNode(tag, text), deep=True)
        except Exception:  # noqa: BLE001 - any failure of a typed scalar is the user's value
            name = tag.rsplit(":", 1)[-1]
            shown = "an empty value" if not text.strip() else short(text)
            self.errs.add(loc, f"cannot read {shown} as !!{name}: write {_TYPED[tag]}, or drop the tag")
            return None
        if value.__class__ is int and not -_FLOAT_MAX <= value <= _FLOAT_MAX:
            # every number is weighed as a float later (OverflowError in sizing, cost, Terraform)
            self.errs.add(loc, f"the number {short(text, 30)} is too large (at most about 1.8e308)")
            return None
        return value

    # -- anchors and aliases ----------------------------------------------------

    def _anchor_scalar(self, name: str, value: Any, raw: str, path: YamlPath, loc: Location) -> None:
        self._check_anchor(name, loc)
        self.anchors[name] = _Anchor(value, path, len(self.log) - 1, len(self.log), 1, len(raw), 0, raw, loc)

    def _check_anchor(self, name: str, loc: Location) -> None:
        if name in self.anchors or name in self.open_anchors:
            first = self.anchors[name].loc if name in self.anchors else None
            where = f" (first at line {first.line})" if first else ""
            raise ModelError(loc, f"YAML syntax error: found duplicate anchor &{name}{where}")

    def _alias(self, event: Any, stack: list[_Frame], doc: Document) -> None:
        mark = event.start_mark
        loc = Location(self.file, mark.line + 1, mark.column + 1)
        name = event.anchor
        if name in self.open_anchors:
            raise ModelError(loc, "a YAML alias refers to itself (recursive alias)")
        anchor = self.anchors.get(name)
        if anchor is None:
            raise ModelError(loc, f"YAML syntax error: found undefined alias *{name} (no anchor &{name} before it)")
        if len(stack) + anchor.height > MAX_DEPTH:
            raise ModelError(loc, f"the document is nested too deeply (limit {MAX_DEPTH} levels)")
        self.nodes += anchor.nodes
        self.chars += anchor.chars
        if self.nodes > MAX_NODES or self.chars > MAX_SCALAR_BYTES:
            raise self.too_big(loc)
        assert stack, "an alias needs an anchor before it, so it is never the root"
        top = stack[-1]
        if top.height <= anchor.height:
            top.height = anchor.height + 1
        if top.mapping and top.key is _NO_KEY:  # an alias as a mapping key
            if anchor.raw is None:
                self.errs.add(loc, "a mapping key must be a plain value, not a list or mapping")
                top.key = _SKIP
            else:
                self._set_key(top, anchor.raw, loc)
            return
        if top.mapping:
            key = top.key
            path = top.path + (key,) if key.__class__ is str else (_ASIDE, id(top), "merge" if key is _MERGE_KEY else "skip", len(self.log))
        else:
            path = top.path + (top.index,)
        # the aliased part stands where its anchor does: replay its positions under this path
        log = self.log
        if anchor.log_start == anchor.log_end:  # a key's anchor: only its own place
            log.append((path, anchor.loc, False))
        cut = len(anchor.path)
        for i in range(anchor.log_start, anchor.log_end):
            old, where, is_key = log[i]
            log.append((path + old[cut:], where, is_key))
        self._place(top, anchor.data, path, anchor.loc, False)

    def _merge(self, frame: _Frame) -> None:
        """``<<: *base`` or ``<<: [*a, *b]``: the keys of the merged mappings that the mapping
        does not set itself, standing where they are written in the merged mapping."""
        sources: list[tuple[dict[Any, Any], YamlPath]] = []
        for value, path, loc in frame.merges or ():
            if isinstance(value, dict):
                sources.append((value, path))
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, dict):
                        sources.append((item, path + (i,)))
                    else:
                        self.errs.add(self._value_loc(path + (i,), loc), "a merge key '<<' needs a mapping or a list of mappings")
            else:
                self.errs.add(loc, "a merge key '<<' needs a mapping or a list of mappings")
        if not sources:
            return
        aside = [entry for entry in self.log[frame.log_start:] if entry[0][:1] == (_ASIDE,) and entry[0][1] == id(frame)]
        for src, path in sources:
            cut = len(path)
            entries = [e for e in aside if e[0][:cut] == path and len(e[0]) > cut]
            for key, value in src.items():
                if key in frame.data:
                    continue
                frame.data[key] = value
                frame.keys[key] = frame.loc
                for old, where, is_key in entries:
                    if old[cut] == key:
                        self.log.append((frame.path + old[cut:], where, is_key))

    def _value_loc(self, path: YamlPath, default: Location) -> Location:
        for p, loc, is_key in reversed(self.log):
            if p == path and not is_key:
                return loc
        return default

    def _positions(self) -> None:
        value, key = self.pos.value, self.pos.key
        for path, loc, is_key in self.log:
            if path and path[0] is _ASIDE:
                continue
            if is_key:
                key[path] = loc
            else:
                value[path] = loc


def read(text: str, file: str) -> Document:
    """Read one YAML document into plain data with positions.

    Raises :class:`ModelError` for what stops the reading (a syntax error, a limit, a
    recursive alias); every other problem is in the document's :class:`Collector`.
    """
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of long-lived objects and no cycles: the collector would only walk them
    try:
        return _Reader(text, file).run()
    finally:
        if collecting:
            gc.enable()
