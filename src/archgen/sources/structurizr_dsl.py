"""The Structurizr DSL, read into :class:`~archgen.sources.structurizr.C4Workspace`.

What it reads (the DSL language reference's model part): ``workspace`` with ``name``,
``description``, ``properties``; ``model`` with ``person``, ``softwareSystem``,
``container``, ``component``, custom ``element``, ``group``, ``enterprise``,
relationships (``a -> b``, ``this -> b``, ``-> b`` inside an element), ``description``,
``technology``, ``tags``, ``url``, ``properties``, ``perspectives``;
``deploymentEnvironment`` with ``deploymentNode``, ``infrastructureNode``,
``containerInstance``, ``softwareSystemInstance``, ``deploymentGroup``, ``instances``,
``healthCheck``; ``!identifiers flat|hierarchical``; ``!const``, ``!constant`` and
``!var`` with ``${NAME}`` substitution; ``!include`` of a file or folder inside the
workspace's folder; comments (``#``, ``//``, ``/* */``) and line continuations.
``views`` and ``configuration`` are skipped as a whole (archgen draws its own), and so are
``!docs``, ``!adrs`` and ``!impliedRelationships`` (the import says so).

What it refuses, at FILE:LINE:COLUMN, never dropping it silently: ``!script`` and
``!plugin`` (they run code), ``!include`` of a URL or of a file outside the folder,
``workspace extends``, ``!extend``/``!ref``/``!element`` and expressions (``!elements``,
``!relationships``), archetypes, text blocks, any keyword this reader does not know, and
malformed lines (an unclosed string or block, a reference to no element).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from archgen.errors import Location, ModelError, ModelErrors
from archgen.sources.structurizr import C4Element, C4Relationship, C4Workspace

__all__ = ["parse_dsl", "read_dsl"]

#: Directives that run code or reach outside the workspace: a FILE:LINE error, with why.
_REFUSED = {
    "!script": "!script runs code (Groovy, Kotlin, JavaScript...); archgen never runs a workspace's code",
    "!plugin": "!plugin runs Java code; archgen never runs a workspace's code",
    "!extend": "!extend is not supported by archgen's import; write the element out in full",
    "!ref": "!ref is not supported by archgen's import; write the element out in full",
    "!element": "!element is not supported by archgen's import; write the element out in full",
    "!elements": "!elements (an expression) is not supported by archgen's import; name each element",
    "!relationships": "!relationships (an expression) is not supported by archgen's import; name each relationship",
    "!extension": "!extension is not supported by archgen's import",
    "archetypes": "archetypes are not supported by archgen's import; give each element its type",
}
#: Ignored on purpose; the import lists them in the written model's header.
_IGNORED = {"!docs": "documentation (!docs)", "!adrs": "decision records (!adrs)", "!impliedrelationships": "!impliedRelationships"}
_ELEMENT_TYPES = {
    "person": "person",
    "softwaresystem": "softwareSystem",
    "container": "container",
    "component": "component",
    "element": "element",
    "deploymentnode": "deploymentNode",
    "infrastructurenode": "infrastructureNode",
    "containerinstance": "containerInstance",
    "softwaresysteminstance": "softwareSystemInstance",
}
#: Which element types may be declared directly inside which (None: the model block).
_CHILDREN = {
    "model": {"person", "softwareSystem", "element"},
    "softwareSystem": {"container"},
    "container": {"component"},
    "component": set(),
    "person": set(),
    "element": set(),
    "environment": {"deploymentNode"},
    "deploymentNode": {"deploymentNode", "infrastructureNode", "containerInstance", "softwareSystemInstance"},
    "infrastructureNode": set(),
    "containerInstance": set(),
    "softwareSystemInstance": set(),
}
_SUBSTITUTION = re.compile(r"\$\{([A-Za-z0-9_.-]+)\}")
_IDENT = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass
class Token:
    value: str
    column: int
    quoted: bool = False


@dataclass
class Statement:
    tokens: list[Token]
    loc: Location
    children: list[Statement] | None = None  # a block: the statements inside its braces
    end: Location | None = None

    @property
    def words(self) -> list[str]:
        return [t.value for t in self.tokens]


def _err(loc: Location, message: str) -> ModelError:
    return ModelError(loc, message)


def _tokenize(text: str, file: str, line: int, errors: list[ModelError]) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        start = i
        if ch == '"':
            if text.startswith('"""', i):
                errors.append(_err(Location(file, line, i + 1), 'text blocks (""") are not supported by archgen\'s import; write the text on one line'))
                return []
            i += 1
            buf = []
            while i < n and text[i] != '"':
                if text[i] == "\\" and i + 1 < n and text[i + 1] in '"\\':
                    buf.append(text[i + 1])
                    i += 2
                else:
                    buf.append(text[i])
                    i += 1
            if i >= n:
                errors.append(_err(Location(file, line, start + 1), "a string is not closed: a closing \" is missing on this line"))
                return []
            i += 1
            tokens.append(Token("".join(buf), start + 1, quoted=True))
        else:
            while i < n and not text[i].isspace():
                i += 1
            tokens.append(Token(text[start:i], start + 1))
    return tokens


class _Reader:
    """Files into statements: comments, continuations, blocks and ``!include``."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.errors: list[ModelError] = []
        self.including: list[Path] = []

    def read(self, path: Path, display: str) -> list[Statement]:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            self.errors.append(_err(Location(display, 1, 1), f"the file is not valid UTF-8 (byte 0x{exc.object[exc.start]:02x}); save it as UTF-8"))
            return []
        except OSError as exc:
            self.errors.append(_err(Location(display), f"cannot read: {exc.strerror or exc}"))
            return []
        self.including.append(path.resolve())
        try:
            return self.build(self._lines(text, display), path)
        finally:
            self.including.pop()

    def build(self, lines: list[tuple[list[Token], Location]], path: Path) -> list[Statement]:
        """Lines into statements, a block's lines under it; ``!include`` spliced in place."""
        stack: list[Statement] = []
        top: list[Statement] = []
        for tokens, loc in lines:
            target = stack[-1].children if stack else top
            assert target is not None
            if len(tokens) == 1 and tokens[0].value == "}" and not tokens[0].quoted:
                if not stack:
                    self.errors.append(_err(loc, "a '}' closes no block"))
                else:
                    stack.pop().end = loc
                continue
            if tokens[0].value.lower() == "!include" and not tokens[0].quoted:
                target.extend(self._include(tokens, loc, path))
                continue
            opens = tokens[-1].value == "{" and not tokens[-1].quoted
            closes_too = len(tokens) >= 2 and tokens[-1].value == "}" and tokens[-2].value == "{" and not tokens[-1].quoted
            if closes_too:
                target.append(Statement(tokens[:-2], loc, children=[], end=loc))
            elif opens:
                st = Statement(tokens[:-1], loc, children=[])
                target.append(st)
                stack.append(st)
            else:
                target.append(Statement(tokens, loc))
        for st in stack:
            self.errors.append(_err(st.loc, "this block is not closed: a '}' is missing"))
        return top

    def _lines(self, text: str, file: str) -> list[tuple[list[Token], Location]]:
        out = []
        raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        in_comment = False
        pending: tuple[str, int] | None = None
        for number, line in enumerate(raw, start=1):
            stripped = line.strip()
            if in_comment:
                if "*/" in stripped:
                    in_comment = False
                continue
            if pending is None and stripped.startswith("/*"):
                in_comment = "*/" not in stripped[2:]
                continue
            if pending is None and (not stripped or stripped.startswith("#") or stripped.startswith("//")):
                continue
            if pending is not None:
                line = pending[0] + " " + line.lstrip()
                number = pending[1]
                pending = None
            if line.rstrip().endswith("\\") and not line.rstrip().endswith("\\\\"):
                pending = (line.rstrip()[:-1], number)
                continue
            tokens = _tokenize(line, file, number, self.errors)
            if tokens:
                out.append((tokens, Location(file, number, tokens[0].column)))
        if in_comment:
            self.errors.append(_err(Location(file, len(raw), 1), "a /* comment is not closed"))
        return out

    def _include(self, tokens: list[Token], loc: Location, current: Path) -> list[Statement]:
        if len(tokens) != 2:
            self.errors.append(_err(loc, "!include takes one path"))
            return []
        ref = tokens[1].value
        where = Location(loc.file, loc.line, tokens[1].column)
        if re.match(r"^[a-z][a-z0-9+.-]*://", ref, re.I):
            self.errors.append(_err(where, f"!include of a URL ({ref}) is not supported: archgen reads only files inside the workspace's folder"))
            return []
        target = (current.parent / ref).resolve()
        if target != self.root and self.root not in target.parents:
            self.errors.append(_err(where, f"!include {ref} is outside the workspace's folder ({self.root}): archgen reads only files inside it"))
            return []
        files = sorted(p for p in target.rglob("*") if p.is_file()) if target.is_dir() else [target]
        if not target.exists():
            self.errors.append(_err(where, f"!include {ref}: no such file"))
            return []
        out: list[Statement] = []
        for path in files:
            if path in self.including:
                self.errors.append(_err(where, f"!include {ref} includes itself"))
                continue
            out.extend(self.read(path, _display(path)))
        return out


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass
class _Scope:
    kind: str  # model, softwareSystem, container, ..., environment
    element: C4Element | None = None
    group: str | None = None
    environment: str | None = None
    enterprise: bool = False
    prefix: str = ""  # hierarchical identifiers: the parent's full identifier


@dataclass
class _Interpreter:
    file: str
    ws: C4Workspace
    errors: list[ModelError] = field(default_factory=list)
    constants: dict[str, str] = field(default_factory=dict)
    hierarchical: bool = False
    idents: dict[str, str] = field(default_factory=dict)  # identifier -> element key
    pending: list[tuple[Statement, _Scope, C4Element | None, int]] = field(default_factory=list)
    count: int = 0

    # -- helpers -------------------------------------------------------------------

    def sub(self, token: Token) -> str:
        return _SUBSTITUTION.sub(lambda m: self.constants.get(m.group(1), m.group(0)), token.value)

    def at(self, st: Statement, index: int) -> Location:
        col = st.tokens[index].column if index < len(st.tokens) else st.tokens[-1].column
        return Location(st.loc.file, st.loc.line, col)

    def new_key(self) -> str:
        self.count += 1
        return f"e{self.count}"

    # -- the workspace -------------------------------------------------------------

    def top(self, statements: list[Statement]) -> None:
        found = False
        for st in statements:
            word = st.words[0].lower()
            if word == "workspace":
                if len(st.tokens) > 1 and st.words[1].lower() == "extends":
                    self.errors.append(_err(self.at(st, 1), "workspace extends is not supported by archgen's import; import the base workspace itself"))
                    continue
                found = True
                args = [self.sub(t) for t in st.tokens[1:]]
                self.ws.name = args[0] if args else ""
                self.ws.description = args[1] if len(args) > 1 else ""
                if st.children is None:
                    self.errors.append(_err(st.loc, "workspace needs a block: workspace \"name\" {"))
                    continue
                self.workspace(st.children)
            elif not self.directive(st, _Scope("model")):
                self.errors.append(_err(st.loc, f"unexpected {st.words[0]!r} outside the workspace block"))
        if not found and not self.errors:
            self.errors.append(_err(Location(self.file, 1, 1), "no workspace block: a Structurizr DSL file starts with workspace {"))

    def workspace(self, statements: list[Statement]) -> None:
        for st in statements:
            word = st.words[0].lower()
            if word == "name" and len(st.tokens) == 2:
                self.ws.name = self.sub(st.tokens[1])
            elif word == "description" and len(st.tokens) == 2:
                self.ws.description = self.sub(st.tokens[1])
            elif word == "properties" and st.children is not None:
                self.ws.properties.update(self.properties(st))
            elif word == "model" and st.children is not None:
                self.block(st.children, _Scope("model"))
            elif word in ("views", "configuration"):
                self.ws.notes.append(f"{word} (archgen draws its own views)" if word == "views" else "configuration (users, visibility)")
            elif not self.directive(st, _Scope("model")):
                self.errors.append(_err(st.loc, f"unknown keyword {st.words[0]!r} in the workspace block (model, views, configuration, name, description, properties)"))
        # relationships are resolved once every element is declared (forward references)
        for st, scope, this, start in self.pending:
            self.relationship(st, scope, this, start)

    def directive(self, st: Statement, scope: _Scope) -> bool:
        """A ``!`` line (or archetypes): handled, refused or ignored. False when it is none."""
        word = st.words[0].lower()
        if word in _REFUSED or word.rstrip("{") in _REFUSED:
            self.errors.append(_err(st.loc, _REFUSED.get(word, _REFUSED.get(word.rstrip("{"), ""))))
            return True
        if word in _IGNORED:
            self.ws.notes.append(_IGNORED[word])
            return True
        if word in ("!const", "!constant", "!var"):
            if len(st.tokens) != 3:
                self.errors.append(_err(st.loc, f"{st.words[0]} takes a name and a value"))
            else:
                self.constants[st.words[1]] = self.sub(st.tokens[2])
            return True
        if word == "!identifiers":
            mode = st.words[1].lower() if len(st.tokens) > 1 else ""
            if mode not in ("flat", "hierarchical"):
                self.errors.append(_err(self.at(st, 1), "!identifiers is flat or hierarchical"))
            self.hierarchical = mode == "hierarchical"
            return True
        if word.startswith("!"):
            self.errors.append(_err(st.loc, f"{st.words[0]} is not supported by archgen's import"))
            return True
        return False

    # -- blocks --------------------------------------------------------------------

    def block(self, statements: list[Statement], scope: _Scope) -> None:
        for st in statements:
            self.statement(st, scope)

    def statement(self, st: Statement, scope: _Scope) -> None:
        words = st.words
        lower = [w.lower() for w in words]
        this = scope.element
        # relationships: [id =] a -> b ..., this -> b, -> b
        arrow = next((i for i, t in enumerate(st.tokens) if not t.quoted and t.value.startswith("-") and t.value.endswith(">")), None)
        if arrow is not None and arrow <= 3:
            if st.tokens[arrow].value != "->":
                self.errors.append(_err(self.at(st, arrow), f"relationship {st.tokens[arrow].value!r} is not supported by archgen's import (only ->)"))
                return
            self.pending.append((st, scope, this, 0))
            return
        if self.directive(st, scope):
            return
        ident = None
        start = 0
        if len(words) >= 3 and words[1] == "=" and not st.tokens[0].quoted:
            ident, start = words[0], 2
            if not _IDENT.match(ident):
                self.errors.append(_err(st.loc, f"identifier {ident!r} may hold only letters, digits, '_' and '-'"))
                return
        keyword = lower[start]
        if keyword in _ELEMENT_TYPES:
            typ = _ELEMENT_TYPES[keyword]
            allowed = _CHILDREN["environment" if scope.kind == "environment" else scope.kind]
            if scope.kind in ("group", "enterprise"):
                allowed = _CHILDREN[scope.element.type if scope.element else "model"]
            if typ not in allowed:
                where = scope.element.type if scope.element else ("deploymentEnvironment" if scope.kind == "environment" else "model")
                self.errors.append(_err(self.at(st, start), f"{words[start]} cannot be declared inside {where}"))
                return
            self.element(st, scope, typ, ident, start)
            return
        if ident is not None and keyword == "deploymentenvironment":
            keyword = "deploymentenvironment"
        if keyword == "deploymentenvironment" and scope.kind == "model":
            if len(st.tokens) < start + 2 or st.children is None:
                self.errors.append(_err(st.loc, 'deploymentEnvironment needs a name and a block: deploymentEnvironment "Live" {'))
                return
            name = self.sub(st.tokens[start + 1])
            self.ws.environments.append(name)
            if ident:
                self.idents[self.full(ident, scope)] = f"env:{name}"
            self.block(st.children, _Scope("environment", environment=name, prefix=self.full(ident, scope) if ident else scope.prefix))
            return
        if keyword in ("group", "enterprise") and st.children is not None:
            name = self.sub(st.tokens[start + 1]) if len(st.tokens) > start + 1 else ""
            inner = _Scope(scope.kind, scope.element, group=name if keyword == "group" else scope.group,
                           environment=scope.environment, enterprise=scope.enterprise or keyword == "enterprise", prefix=scope.prefix)
            if scope.kind not in ("model", "softwareSystem", "container", "environment", "deploymentNode"):
                self.errors.append(_err(st.loc, f"{words[start]} cannot be declared here"))
                return
            self.block(st.children, inner)
            return
        if keyword == "deploymentgroup" and scope.kind == "environment":
            return  # a name used to scope instances' relationships; archgen keeps every instance
        if this is not None and self.element_field(st, this, keyword, start):
            return
        self.errors.append(_err(self.at(st, start), f"unknown keyword {words[start]!r} here"))

    def full(self, ident: str, scope: _Scope) -> str:
        return f"{scope.prefix}.{ident}" if self.hierarchical and scope.prefix else ident

    def element(self, st: Statement, scope: _Scope, typ: str, ident: str | None, start: int) -> None:
        args = [self.sub(t) for t in st.tokens[start + 1:]]
        el = C4Element(key=self.new_key(), type=typ, name="", loc=st.loc, ident=ident)
        el.group = scope.group
        el.environment = scope.environment
        el.parent = scope.element.key if scope.element else None
        if scope.enterprise:
            el.location = "Internal"
        if typ in ("containerInstance", "softwareSystemInstance"):
            if not args:
                self.errors.append(_err(st.loc, f"{st.words[start]} names the element it is an instance of"))
                return
            el.of_ref = (args[0], self.at(st, start + 1), scope)
            if len(args) > 2:
                el.tags += _tags(args[2])
            el.name = args[0]
        else:
            if not args:
                self.errors.append(_err(self.at(st, start), f"{st.words[start]} needs a name"))
                return
            el.name = args[0]
            positions = {
                "person": ("description", "tags"),
                "softwareSystem": ("description", "tags"),
                "container": ("description", "technology", "tags"),
                "component": ("description", "technology", "tags"),
                "element": ("metadata", "description", "tags"),
                "deploymentNode": ("description", "technology", "tags", "instances"),
                "infrastructureNode": ("description", "technology", "tags"),
            }[typ]
            if len(args) - 1 > len(positions):
                self.errors.append(_err(self.at(st, start + 1 + len(positions) + 1), f"{st.words[start]} takes at most {len(positions) + 1} values: name, {', '.join(positions)}"))
            for name, value in zip(positions, args[1:]):
                if name == "tags":
                    el.tags += _tags(value)
                elif name in ("description", "technology"):
                    setattr(el, name, value)
                elif name == "metadata":
                    el.technology = value
        self.ws.elements[el.key] = el
        if ident:
            key = self.full(ident, scope)
            if key in self.idents:
                self.errors.append(_err(st.loc, f"identifier {ident!r} is declared twice"))
            self.idents[key] = el.key
        if st.children is not None:
            prefix = self.full(ident, scope) if ident else scope.prefix
            self.block(st.children, _Scope(typ, el, group=None, environment=scope.environment, prefix=prefix))

    def element_field(self, st: Statement, el: C4Element, keyword: str, start: int) -> bool:
        args = [self.sub(t) for t in st.tokens[start + 1:]]
        if keyword in ("description", "technology", "url", "instances") and st.children is None:
            if len(args) != 1:
                self.errors.append(_err(st.loc, f"{st.words[start]} takes one value"))
            elif keyword in ("description", "technology"):
                setattr(el, keyword, args[0])
            return True
        if keyword == "tags" and st.children is None:
            for value in args:
                el.tags += _tags(value)
            return True
        if keyword == "tag" and st.children is None:
            el.tags += args
            return True
        if keyword == "properties" and st.children is not None:
            el.properties.update(self.properties(st))
            return True
        if keyword in ("perspectives", "healthcheck") and (st.children is not None or keyword == "healthcheck"):
            return True
        return False

    def properties(self, st: Statement) -> dict[str, str]:
        out = {}
        for line in st.children or []:
            if len(line.tokens) != 2 or line.children is not None:
                self.errors.append(_err(line.loc, "a property is a name and a value"))
                continue
            out[self.sub(line.tokens[0])] = self.sub(line.tokens[1])
        return out

    def resolve(self, ref: str, scope: _Scope, loc: Location) -> str | None:
        if ref in self.idents:
            return self.idents[ref]
        prefix = scope.prefix
        while prefix:
            if f"{prefix}.{ref}" in self.idents:
                return self.idents[f"{prefix}.{ref}"]
            prefix = prefix.rpartition(".")[0]
        close = [i for i in self.idents if i.rpartition(".")[2] == ref]
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        self.errors.append(_err(loc, f"{ref!r} names no element declared in the workspace{hint}"))
        return None

    def relationship(self, st: Statement, scope: _Scope, this: C4Element | None, _: int) -> None:
        tokens = st.tokens
        start = 2 if len(tokens) >= 3 and tokens[1].value == "=" and not tokens[1].quoted else 0
        arrow = next(i for i, t in enumerate(tokens) if not t.quoted and t.value == "->")
        if arrow == start:  # "-> b": the element whose block this is
            if this is None:
                self.errors.append(_err(st.loc, "a relationship with no source is allowed only inside an element's block"))
                return
            source = this.key
        elif arrow == start + 1:
            ref = tokens[start].value
            if ref == "this":
                if this is None:
                    self.errors.append(_err(st.loc, "'this' is allowed only inside an element's block"))
                    return
                source = this.key
            else:
                found = self.resolve(ref, scope, self.at(st, start))
                if found is None:
                    return
                source = found
        else:
            self.errors.append(_err(st.loc, "a relationship is: source -> destination [description] [technology] [tags]"))
            return
        if arrow + 1 >= len(tokens):
            self.errors.append(_err(self.at(st, arrow), "the relationship names no destination"))
            return
        target = self.resolve(tokens[arrow + 1].value, scope, self.at(st, arrow + 1))
        if target is None:
            return
        args = [self.sub(t) for t in tokens[arrow + 2:]]
        if len(args) > 3:
            self.errors.append(_err(self.at(st, arrow + 5), "a relationship takes at most a description, a technology and tags"))
        rel = C4Relationship(source=source, target=target, description=args[0] if args else "",
                             technology=args[1] if len(args) > 1 else "", tags=_tags(args[2]) if len(args) > 2 else [], loc=st.loc)
        for line in st.children or []:
            word = line.words[0].lower()
            if word == "properties" and line.children is not None:
                rel.properties.update(self.properties(line))
            elif word == "tags" and line.children is None:
                for t in line.tokens[1:]:
                    rel.tags += _tags(self.sub(t))
            elif word in ("description", "technology") and len(line.tokens) == 2:
                setattr(rel, word, self.sub(line.tokens[1]))
            elif word in ("url", "perspectives"):
                continue
            else:
                self.errors.append(_err(line.loc, f"unknown keyword {line.words[0]!r} in a relationship's block"))
        self.ws.relationships.append(rel)


def _tags(value: str) -> list[str]:
    return [t.strip() for t in value.split(",") if t.strip()]


def read_dsl(path: Path, display: str | None = None) -> C4Workspace:
    """Read a DSL workspace file (and what it includes inside its folder); ModelErrors at FILE:LINE:COLUMN."""
    display = display or _display(path)
    reader = _Reader(path.parent)
    statements = reader.read(path, display)
    return _interpret(statements, display, reader.errors)


def parse_dsl(text: str, file: str = "<workspace>", root: Path | None = None) -> C4Workspace:
    """Read DSL text (``!include`` resolves inside ``root``, default the current folder)."""
    folder = root or Path.cwd()
    reader = _Reader(folder)
    statements = reader.build(reader._lines(text, file), folder / "workspace.dsl")
    return _interpret(statements, file, reader.errors)


def _interpret(statements: list[Statement], file: str, errors: list[ModelError]) -> C4Workspace:
    ws = C4Workspace(file=file)
    interp = _Interpreter(file, ws, errors=list(errors))
    if not interp.errors:
        interp.top(statements)
    # instances: what they are an instance of, once every element is known
    for el in list(ws.elements.values()):
        ref = getattr(el, "of_ref", None)
        if ref is not None:
            name, loc, scope = ref
            found = interp.resolve(name, scope, loc)
            if found is not None:
                el.of = found
    if interp.errors:
        raise ModelErrors(interp.errors)
    return ws
