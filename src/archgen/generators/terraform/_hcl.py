"""HCL output by construction: escaped values, safe identifiers, canonical alignment.

Templates never build HCL strings from model text by hand. Every ``{{ value }}`` is
passed through :func:`finalize`: a :class:`Raw` value (an identifier or HCL archgen
produced itself) goes in as it is, booleans and numbers become HCL literals, and any
other text becomes an escaped string literal through :func:`archgen.rendering.textutil.hcl_string`,
so quotes, backslashes, newlines, ``${`` and ``%{`` in a model can never become syntax
or interpolation.

:func:`align` then lays out ``=`` signs the way ``terraform fmt`` does, so the output
passes ``terraform fmt -check`` without the binary.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from archgen.rendering.templating import Trusted, escape

#: What a Raw value may hold when built from model data (identifiers, DNS labels, paths).
_SAFE_RAW = re.compile(r"^[A-Za-z0-9_.:/*\-]*$")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Raw(Trusted):
    """HCL that goes into a template unquoted: identifiers and text archgen made safe."""

    __slots__ = ()


def raw(text: str) -> Raw:
    """A Raw value from text of a safe character set (ids, labels); ValueError otherwise."""
    if not _SAFE_RAW.match(text):
        raise ValueError(f"{text!r} is not safe to write unquoted in HCL")
    return Raw(text)


def finalize(value: Any) -> str:
    """How a ``{{ value }}`` is written into HCL (the ``hcl`` language of rendering.templating)."""
    return escape("hcl", value)


def ident(text: str) -> Raw:
    """A Terraform identifier from a component id: '-' becomes '_'."""
    name = text.replace("-", "_")
    if not _IDENT.match(name):
        raise ValueError(f"{text!r} does not make a Terraform identifier")
    return Raw(name)


def cloud_name(*parts: str, max_len: int = 63) -> str:
    """A resource name most clouds accept: lowercase letters, digits and single hyphens,
    starting with a letter, at most ``max_len`` characters (a short stable hash keeps
    truncated names unique)."""
    text = "-".join(parts).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if not text or not text[0].isalpha():
        text = "x-" + text
    if len(text) > max_len:
        digest = hashlib.sha256(text.encode()).hexdigest()[:6]
        text = text[: max_len - 7].rstrip("-") + "-" + digest
    return text


def hcl_value(value: Any) -> str:
    """An HCL literal of plain data: objects (dicts) as ``{ key = value }`` on one
    line, the rest as :func:`finalize` writes it."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = []
        for k, v in value.items():
            key = k if _IDENT.match(k) else finalize(k)
            items.append(f"{key} = {hcl_value(v)}")
        return "{ " + ", ".join(items) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(hcl_value(v) for v in value) + "]"
    return finalize(value)


def vault_key(text: str) -> Raw:
    """A secret name as Azure Key Vault accepts it: letters, digits and hyphens."""
    name = re.sub(r"[^A-Za-z0-9-]+", "-", text).strip("-") or "secret"
    return Raw(name[:127])


def secret_slug(text: str) -> Raw:
    """A secret name as Container Apps accepts it: lowercase letters, digits, hyphens."""
    return Raw(cloud_name(text))


def label_value(text: str) -> str:
    """A tag or label value every provider accepts (GCP labels and Kubernetes label
    values are the narrowest): lowercase letters, digits, ``_`` and ``-``, starting and
    ending with a letter or digit, at most 63 characters. Model names and component ids
    already are, but for a trailing ``-`` or ``_``."""
    value = re.sub(r"[^a-z0-9_-]+", "-", text.lower())[:63]
    return value.strip("-_") or "x"


def label_text(text: str, max_len: int = 200) -> str:
    """Text for cloud fields with a narrow character set (security group rule
    descriptions): letters, digits, spaces and ``._-:/()#,@[]+=&;!*``; other characters
    become spaces. The result still goes through :func:`finalize` as a string."""
    cleaned = re.sub(r"[^A-Za-z0-9 ._\-:/()#,@\[\]+=&;!*]+", " ", text)
    return " ".join(cleaned.split())[:max_len].strip()


# -- canonical layout --------------------------------------------------------------

_ATTR = re.compile(r'^(?P<indent>[ ]*)(?P<key>[A-Za-z_][A-Za-z0-9_-]*|"(?:[^"\\]|\\.)*")[ ]*=(?![=>])[ ]*(?P<value>.*)$')


#: A string literal with no escape and no interpolation, and a line of only such literals
#: and other characters: most of a skeleton's values.
_SIMPLE_STRING = re.compile(r'"[^"\\$%]*"')
_SIMPLE_LINE = re.compile(r'(?:[^"]|"[^"\\$%]*")*')


def _depth_change(text: str) -> int:
    """Net bracket depth a line opens, ignoring brackets inside string literals.

    A line whose literals hold no escape and no interpolation is counted with ``str``
    methods, each literal standing as one character that is neither a bracket nor a
    comment sign; any other line character by character (:func:`_depth_scan`). The HCL
    of 1,000 components on AWS is 131,000 lines: 0.59 s by the scan alone, 0.2 s so."""
    code = text
    if '"' in text:
        if _SIMPLE_LINE.fullmatch(text) is None:
            return _depth_scan(text)
        code = _SIMPLE_STRING.sub("_", text)
    for sign in ("#", "//"):
        at = code.find(sign)
        if at >= 0:
            code = code[:at]
    return code.count("(") + code.count("[") + code.count("{") - code.count(")") - code.count("]") - code.count("}")


def _depth_scan(text: str) -> int:
    depth = 0
    in_str = False
    interp = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if in_str:
            if ch == "\\":
                i += 2
                continue
            if interp:
                if ch == "{":
                    interp += 1
                elif ch == "}":
                    interp -= 1
            elif ch in "$%" and text[i + 1 : i + 3] == ch + "{":
                i += 3  # an escaped $${ or %%{: literal text
                continue
            elif ch in "$%" and text[i + 1 : i + 2] == "{":
                interp = 1
                i += 2
                continue
            elif ch == '"':
                in_str = False
        else:
            if ch == '"':
                in_str = True
            elif ch == "#" or text[i : i + 2] == "//":
                break
            elif ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth -= 1
        i += 1
    return depth


def align(text: str) -> str:
    """Align ``=`` of consecutive one-line attributes at one level, as ``terraform fmt``
    does; a blank line, a comment, a block or a multi-line value ends a run."""
    lines = text.split("\n")
    out: list[str] = []
    run: list[tuple[str, str, str]] = []

    def flush() -> None:
        if run:
            width = max(len(key) for _, key, _ in run)
            out.extend(f"{indent}{key.ljust(width)} = {value}" for indent, key, value in run)
            run.clear()

    for line in lines:
        m = _ATTR.match(line)
        if m and _depth_change(m.group("value")) == 0 and m.group("value"):
            if run and run[-1][0] != m.group("indent"):
                flush()
            run.append((m.group("indent"), m.group("key"), m.group("value").rstrip()))
            continue
        flush()
        out.append(line.rstrip())
    flush()
    return "\n".join(out)


def tidy(text: str) -> str:
    """Collapse runs of blank lines, drop blank lines after ``{`` and before ``}``,
    align, and end with exactly one newline."""
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1] or out[-1].endswith(("{", "[", "("))):
            continue
        if line.strip() in ("}", "]", ")", "})", "})]", "}]", "])") and out and not out[-1]:
            out.pop()
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return align("\n".join(out)) + "\n"
