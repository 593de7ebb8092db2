"""Terraform as data: what ``terraform show -json`` says a plan or a state holds
(:mod:`.tfjson`), and which catalog kind a resource type provisions (:mod:`.kinds`).

Nothing here renders or writes; ``archgen verify`` and ``archgen import terraform`` read
through it."""

from __future__ import annotations

from archgen.infra.tfjson import Infra, Resource, read

__all__ = ["Infra", "Resource", "read"]
