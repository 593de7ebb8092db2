"""Model texts and a helper that several test modules share (the loader's, the safety
loader's, the schema's): one copy of each, so that an edit to the format is made once."""

from __future__ import annotations

import pytest

from archgen.errors import ModelErrors
from archgen.sources.loader import parse_model

#: The smallest model with a flow: a user calling an API.
SHOP = """\
archgen: 1
name: shop
provider: aws
components:
  users:
    kind: actor
  api:
    kind: container_service
    title: API
flows:
  - users -> api: https
"""


def with_zones(name: str, rest: str) -> str:
    """A model named ``name`` with a trusted head-office zone and two actors (users, and
    staff in the office), then ``rest``: more components, then its flows."""
    return (
        f"archgen: 1\nname: {name}\nprovider: aws\n"
        "zones:\n  head-office: {title: Head office, trusted: true}\n"
        "components:\n  users: {kind: actor}\n  staff: {kind: actor, zone: head-office}\n"
    ) + rest


def errors_of(text: str | bytes, file: str = "m.yaml") -> list[str]:
    """The messages ``parse_model`` raises for ``text``, in order (fails if it loads)."""
    with pytest.raises(ModelErrors) as info:
        parse_model(text, file)
    return [str(e) for e in info.value.errors]
