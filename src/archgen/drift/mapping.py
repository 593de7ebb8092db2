"""Which component of the model each Terraform resource builds.

In this order, the first that answers wins:

1. the component tag archgen's Terraform writes on every resource (``archgen:component``
   on AWS, ``archgen-component`` on Azure and GCP, the label ``archgen/component`` on the
   Kubernetes objects); a resource tagged for another model (``archgen:model``,
   ``archgen/model``) is not this model's and is left out;
2. the component's ``terraform:`` list: resource addresses or module paths (every
   resource inside the module);
3. for a resource of archgen's own Terraform (it carries the model's tag) written outside
   its component's section (a security group in network.tf): its name, which is the
   component's Terraform name; and for one that takes no tag (a Helm release, a Kubernetes
   manifest), its type and name as the component's section writes them;
4. what the resource refers to: an untagged helper (a bucket's public access block, a
   listener) belongs to the one component whose resources it names;
5. its type (:func:`archgen.infra.kinds.guess`): a resource of a component's kind, when
   that component has no resource yet and it is the only one of its kind. A guess, and
   the match says so with its reason.

What is left is shared (the network and logs archgen's Terraform writes for the whole
model), a helper that is no component (an IAM policy, a route), or unmodelled: a resource
of a kind the catalog knows that no component claims.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archgen.generators.terraform import Intent
    from archgen.infra import Infra, Resource
    from archgen.model import Model

__all__ = ["Mapping", "Match", "map_resources"]


@dataclass(frozen=True)
class Match:
    """How one resource was placed: ``how`` is tag, terraform, reference, type, shared,
    helper, unmodelled or foreign (another model's); ``component`` when it has one."""

    resource: Resource
    how: str
    component: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class Mapping:
    matches: tuple[Match, ...]

    def of(self, component: str) -> list[Resource]:
        return [m.resource for m in self.matches if m.component == component]

    def by_component(self) -> dict[str, list[Match]]:
        out: dict[str, list[Match]] = {}
        for m in self.matches:
            if m.component is not None:
                out.setdefault(m.component, []).append(m)
        return out

    def component_of(self, address: str) -> str | None:
        return self._index().get(address)

    def _index(self) -> dict[str, str]:
        cached = self.__dict__.get("_idx")
        if cached is None:
            cached = {}
            for m in self.matches:
                if m.component is not None:
                    cached.setdefault(m.resource.address, m.component)
                    cached.setdefault(m.resource.config_address, m.component)
            object.__setattr__(self, "_idx", cached)
        return cached

    def with_how(self, *how: str) -> list[Match]:
        return [m for m in self.matches if m.how in how]


def map_resources(model: Model, infra: Infra, intent: Intent) -> Mapping:
    from archgen.infra.kinds import guess

    placed: dict[int, Match] = {}
    mine = [r for r in infra.resources if _tag(r, intent, 0) in (None, model.name)]
    foreign = [Match(r, "foreign") for r in infra.resources if _tag(r, intent, 0) not in (None, model.name)]
    listed = sorted(
        ((entry, cid) for cid, comp in model.components.items() for entry in comp.terraform),
        key=lambda e: (-len(e[0]), e[0]),
    )
    for i, r in enumerate(mine):
        tagged = _tag(r, intent, 1)
        if tagged in model.components:
            placed[i] = Match(r, "tag", tagged, f"tagged {_tag_key(r, intent, 1)}={tagged}")
            continue
        entry = next((e for e in listed if _inside(r, e[0])), None)
        if entry is not None:
            placed[i] = Match(r, "terraform", entry[1], f"listed in {entry[1]}'s terraform: {entry[0]}")
        elif _tag(r, intent, 0) == model.name and intent.names.get(r.name) in model.components and tagged is None:
            placed[i] = Match(r, "name", intent.names[r.name], f"named after {intent.names[r.name]} in archgen's Terraform")
        elif tagged is None and (cid := _written_for(r, intent)) in model.components:
            placed[i] = Match(r, "name", cid, f"a {r.type} named after {cid}, as archgen's Terraform writes it")
    _by_reference(mine, placed)
    claimed = {m.component for m in placed.values()}
    by_kind: dict[str, list[str]] = {}
    for cid, comp in model.components.items():
        by_kind.setdefault(comp.kind, []).append(cid)
    guesses = {i: guess(r.type) for i, r in enumerate(mine) if i not in placed}
    for kind, cids in by_kind.items():
        free = [i for i, g in guesses.items() if g is not None and g.kind == kind and not _shared(mine[i], intent)]
        if len(cids) == 1 and cids[0] not in claimed and len(free) == 1:
            placed[free[0]] = Match(mine[free[0]], "type", cids[0], "guessed: " + guesses[free[0]].reason)
    _by_reference(mine, placed)
    out = list(foreign)
    for i, r in enumerate(mine):
        if i in placed:
            out.append(placed[i])
        elif _shared(r, intent):
            out.append(Match(r, "shared", None, "the model's shared network and logs"))
        elif guesses.get(i) is None:
            out.append(Match(r, "helper", None, f"{r.type} builds no component of its own"))
        else:
            g = guesses[i]
            tagged = _tag(r, intent, 1)
            why = f"tagged {_tag_key(r, intent, 1)}={tagged}, which is no component of the model; " if tagged else ""
            out.append(Match(r, "unmodelled", None, why + g.reason))
    out.sort(key=lambda m: (m.resource.address, str(m.resource.source)))
    return Mapping(tuple(out))


def _inside(r: Resource, entry: str) -> bool:
    return r.address == entry or r.config_address == entry or r.address.startswith((entry + ".", entry + "["))


def _written_for(r: Resource, intent: Intent) -> str | None:
    """The component whose section of archgen's Terraform writes a resource of this type
    and name (the component's Terraform name, alone or with a suffix: ``pipelines_db_operator``):
    what takes no tag or label, a Helm release or a Kubernetes manifest."""
    parts = r.name.split("_")
    for n in range(len(parts), 0, -1):
        cid = intent.names.get("_".join(parts[:n]))
        if cid is not None and r.type in intent.built.get(cid, ()):
            return cid
    return None


def _tag_key(r: Resource, intent: Intent, which: int) -> str | None:
    """The key that tags ``r`` with the model (``which`` 0) or the component (1): the
    provider's tag, else the label archgen's Kubernetes objects carry."""
    return next((k for k in ((intent.model_tag, intent.component_tag)[which], intent.labels[which]) if k and k in r.tags), None)


def _tag(r: Resource, intent: Intent, which: int) -> str | None:
    key = _tag_key(r, intent, which)
    return r.tags[key] if key else None


def _shared(r: Resource, intent: Intent) -> bool:
    return _tag(r, intent, 1) is None and r.name in intent.shared_names


def _by_reference(mine: list[Resource], placed: dict[int, Match], rounds: int = 3) -> None:
    """Untagged helpers join the one component whose resources they refer to."""
    from archgen.infra.kinds import guess

    for _ in range(rounds):
        index: dict[str, str] = {}
        for m in placed.values():
            if m.component is not None:
                index.setdefault(m.resource.config_address, m.component)
        grew = False
        for i, r in enumerate(mine):
            if i in placed or not r.references or guess(r.type) is not None:
                continue  # a component's own resource (a database) is claimed by tag, list or type
            owners = set(_owners(r.referenced(), index))
            if len(owners) == 1:
                owner = owners.pop()
                placed[i] = Match(r, "reference", owner, f"refers to {owner}'s resources")
                grew = True
        if not grew:
            return


def _owners(addresses: Iterable[str], index: dict[str, str]) -> Iterable[str]:
    for a in addresses:
        if a in index:
            yield index[a]
