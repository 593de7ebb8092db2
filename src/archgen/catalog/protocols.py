"""The protocols a flow may name, as data (``catalog/data/protocols.yaml``).

Light like :mod:`archgen.catalog.vocabulary` (PyYAML only): the model's types take
the protocol keys from here, and the graph's facts ask it whether a flow is
encrypted::

    from archgen.catalog.protocols import PROTOCOLS, protocol, match_label
    protocol("postgres").encrypted      # "target": follows the target's tls
    match_label("JSON/HTTPS")           # "https"
    match_label("XML/HTTP")             # "http"
    match_label("image pull")           # None: free text

A label is read as runs of lower-case letters and digits; the first word that names a
protocol wins, except that a protocol carried by another (``rides_on: http``: GraphQL,
SOAP, REST) gives way to any other protocol word of the same label
(``GraphQL over HTTPS`` is https).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Literal

from archgen.catalog.vocabulary import read_data

__all__ = [
    "PROTOCOLS",
    "Protocol",
    "all_protocols",
    "label_words",
    "match_label",
    "problems",
    "protocol",
    "says_unencrypted",
]

Encrypted = Literal[True, False, "target"]

_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Protocol:
    """One entry of the protocol table."""

    key: str
    title: str
    encrypted: bool | str  # True, False or "target"
    words: tuple[str, ...]
    port: int | None
    rides_on: str | None
    source: str

    @property
    def follows_target(self) -> bool:
        """Whether its encryption is the target component's ``tls``."""
        return self.encrypted == "target"

    @property
    def encryption(self) -> str:
        """``yes``, ``no`` or ``target's tls``, for tables."""
        if self.follows_target:
            return "the target's `tls`"
        return "yes" if self.encrypted else "no"


@functools.lru_cache(maxsize=1)
def _file() -> dict[str, Any]:
    return read_data("protocols.yaml")


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, Protocol]:
    out: dict[str, Protocol] = {}
    for key, body in (_file().get("protocols") or {}).items():
        out[key] = Protocol(
            key=key,
            title=str(body.get("title", key)),
            encrypted=body.get("encrypted"),
            words=tuple(body.get("words") or ()),
            port=body.get("port"),
            rides_on=body.get("rides_on"),
            source=str(body.get("source", "")),
        )
    return out


#: Every protocol key, in the table's order.
PROTOCOLS: tuple[str, ...] = tuple(_table())


def all_protocols() -> list[Protocol]:
    """Every protocol, in the table's order."""
    return list(_table().values())


def protocol(key: str) -> Protocol:
    """The entry for ``key`` (KeyError when the table has none)."""
    return _table()[key]


@functools.lru_cache(maxsize=1)
def _by_word() -> dict[str, str]:
    return {word: p.key for p in _table().values() for word in p.words}


def label_words(label: str | None) -> list[str]:
    """A label's words: runs of lower-case letters and digits (``'JSON/HTTPS'`` -> json, https)."""
    return _WORD.findall((label or "").lower())


@functools.lru_cache(maxsize=4096)
def match_label(label: str | None) -> str | None:
    """The protocol a flow label names, or None when it is free text."""
    by_word = _by_word()
    table = _table()
    found = [by_word[w] for w in label_words(label) if w in by_word]
    # the first word wins; a protocol carried by another gives way to any other protocol word
    return next((k for k in found if table[k].rides_on is None), found[0] if found else None)


def says_unencrypted(label: str | None) -> bool:
    """Whether a label carries a word that says the flow is not encrypted (``plaintext``...)."""
    words = set(_file().get("unencrypted_words") or ())
    return any(w in words for w in label_words(label))


def problems() -> list[str]:
    """What is wrong with the table (empty when it is consistent); the catalog's tests call it."""
    found = []
    seen: dict[str, str] = {}
    for p in _table().values():
        if not re.fullmatch(r"[a-z][a-z0-9_]*", p.key):
            found.append(f"protocols.yaml: key {p.key!r} is not lower-case letters, digits and '_'")
        if p.encrypted not in (True, False, "target"):
            found.append(f"protocols.yaml: {p.key}: encrypted must be true, false or target, not {p.encrypted!r}")
        if not p.words:
            found.append(f"protocols.yaml: {p.key}: no words name it")
        if p.rides_on not in (None, "http"):
            found.append(f"protocols.yaml: {p.key}: rides_on may only be http")
        if len(p.source) < 5:
            found.append(f"protocols.yaml: {p.key}: no source")
        for w in p.words:
            if not _WORD.fullmatch(w):
                found.append(f"protocols.yaml: {p.key}: word {w!r} is not lower-case letters and digits")
            if w in seen:
                found.append(f"protocols.yaml: word {w!r} names both {seen[w]} and {p.key}")
            seen[w] = p.key
    for w in _file().get("unencrypted_words") or ():
        if w in seen:
            found.append(f"protocols.yaml: unencrypted word {w!r} also names {seen[w]}")
    return found
