"""LikeC4: one ``.c4`` file with a specification of element kinds, the model and its views.

- Each archgen kind the model uses is an element kind (``element postgres``) with the
  catalog's title as its notation and a shape from its traits (a person, a cylinder for
  a data store, a bucket); a client app on the web or a phone is drawn as a browser or
  a phone.
- Each component is an element: its title, its description, its service as the
  technology, and ``metadata`` (archgen's id, kind, service and zone), so the file says
  everything a reader of the model would look for.
- A ``group`` is an element of kind ``archgen_group`` holding its components; a cluster or
  VM holds what runs on it (``runs_on``), whatever its group.
- Each flow is a relationship with its label, its protocol as the technology and, for an
  asynchronous flow, the relationship kind ``async`` (dashed).
- Views: ``index`` (everything, nested) and one view of each group and each host.

Strings are single-quoted with ``\\`` and ``'`` escaped and control characters (newlines)
turned into spaces: no model text can end a string or start a keyword.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from archgen.catalog.vocabulary import has_trait
from archgen.generators.export import _common as c

if TYPE_CHECKING:
    from archgen.model import Model

__all__ = ["render", "string"]

GROUP_KIND = "archgen_group"


def string(value: object) -> str:
    """A LikeC4 single-quoted string of model text."""
    return "'" + c.one_line(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def _shape(kind: str) -> str | None:
    if has_trait(kind, "person") and not has_trait(kind, "device"):
        return "person"
    if has_trait(kind, "bucket") and has_trait(kind, "data_store"):
        return "bucket"
    if has_trait(kind, "data_store"):
        return "storage"
    return None


_DEVICE_SHAPE = {"web": "browser", "mobile": "mobile", "desktop": "browser"}


def render(model: Model) -> str:
    """The model as LikeC4 source."""
    comps = c.components(model)
    ids = c.safe_ids(model.components, prefix="c_")
    groups = c.group_ids(model)
    hosts = {comp.id for comp in comps if c.is_host(model, comp)}
    parent: dict[str, str | None] = {}  # element -> its parent element (fqn built from it)
    for comp in comps:
        if comp.runs_on in hosts:
            parent[ids[comp.id]] = ids[comp.runs_on]
        else:
            parent[ids[comp.id]] = groups[comp.group] if comp.group else None
    for gid in groups.values():
        parent[gid] = None

    def fqn(element: str) -> str:
        parts = [element]
        while parent.get(parts[0]) is not None:
            parts.insert(0, parent[parts[0]])  # type: ignore[arg-type]
        return ".".join(parts)

    out = [f"// {c.generated_note(model)}", "", "specification {"]
    for kind in sorted({comp.kind for comp in comps}):
        out.append(f"  element {kind} {{")
        out.append(f"    notation {string(c.kind_title(kind))}")
        shape = _shape(kind)
        if shape:
            out.append(f"    style {{ shape {shape} }}")
        out.append("  }")
    if groups:
        out += [f"  element {GROUP_KIND} {{", "    notation 'Group'", "    style {", "      border dashed", "      opacity 10%", "    }", "  }"]
    out += ["  relationship async {", "    line dashed", "  }", "}", "", "model {"]

    children: dict[str | None, list[str]] = {}
    for element, above in parent.items():
        children.setdefault(above, []).append(element)
    by_element = {ids[comp.id]: comp for comp in comps}
    group_of = {gid: name for name, gid in groups.items()}

    def emit(element: str, indent: str) -> None:
        inner = sorted(children.get(element, []))
        if element in group_of:
            out.append(f"{indent}{element} = {GROUP_KIND} {string(group_of[element])} {{")
        else:
            comp = by_element[element]
            out.append(f"{indent}{element} = {comp.kind} {string(comp.display_name)} {{")
            if comp.description:
                out.append(f"{indent}  description {string(comp.description)}")
            out.append(f"{indent}  technology {string(c.service_name(model, comp))}")
            if comp.platform:
                out.append(f"{indent}  style {{ shape {_DEVICE_SHAPE[comp.platform]} }}")
            out.append(f"{indent}  metadata {{")
            meta = {"archgen_id": comp.id, "archgen_kind": comp.kind, "zone": model.zone_of(comp)}
            key = c.service_key(model, comp)
            if key:
                meta["service"] = key
            out.extend(f"{indent}    {k} {string(v)}" for k, v in sorted(meta.items()))
            out.append(f"{indent}  }}")
        for child in inner:
            emit(child, indent + "  ")
        out.append(f"{indent}}}")

    for element in sorted(children.get(None, [])):
        emit(element, "  ")
    if model.flows:
        out.append("")
    for row in c.flows(model):
        arrow = "-[async]->" if row.flow.is_async else "->"
        head = f"  {fqn(ids[row.source])} {arrow} {fqn(ids[row.target])}"
        head += f" {string(row.label)}" if row.label else ""
        if row.protocol:
            out += [head + " {", f"    technology {string(row.protocol)}", "  }"]
        else:
            out.append(head)
    out += ["}", "", "views {", "  view index {", f"    title {string(model.display_name)}"]
    if model.description:
        out.append(f"    description {string(model.description)}")
    out.append("    include *")
    out.extend(f"    include {element}.**" for element in sorted(children.get(None, [])) if children.get(element))
    out.append("  }")
    boxes = sorted(set(groups.values()) | {ids[h] for h in hosts})
    for box in boxes:
        label = group_of.get(box) or by_element[box].display_name
        out += [f"  view {box} of {fqn(box)} {{", f"    title {string(label)}", "    include *", "  }"]
    out += ["}", ""]
    return "\n".join(out)
