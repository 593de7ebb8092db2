"""What a drift rule reads: the model, the infrastructure, which resource builds which
component (:mod:`.mapping`), and what archgen's own Terraform for the model would say
(:class:`archgen.generators.terraform.Intent`)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from archgen.rules import RuleContext

if TYPE_CHECKING:
    from archgen.drift.mapping import Mapping
    from archgen.generators.terraform import Intent
    from archgen.infra import Infra, Resource
    from archgen.model import Model


class DriftContext(RuleContext):
    """A :class:`RuleContext` (graph, catalog, facts) with the infrastructure beside it."""

    def __init__(self, model: Model, infra: Infra, provider: str) -> None:
        super().__init__(model)
        self.infra = infra
        self.provider = provider

    @cached_property
    def intent(self) -> Intent:
        from archgen.generators.terraform import intent

        return intent(self.model, self.provider)

    @cached_property
    def mapping(self) -> Mapping:
        from archgen.drift.mapping import map_resources

        return map_resources(self.model, self.infra, self.intent)

    @cached_property
    def resources_of(self) -> dict[str, list[Resource]]:
        """Each component's resources (tag, list, reference or guess)."""
        return {cid: [m.resource for m in ms] for cid, ms in self.mapping.by_component().items()}

    def provider_service(self, cid: str) -> Any:
        """The catalog service the model names for a component on the infrastructure's provider."""
        cache = self.__dict__.setdefault("_psvc", {})
        if cid not in cache:
            cache[cid] = self.catalog.resolve_service(self.model, self.model.components[cid], self.provider)
        return cache[cid]
