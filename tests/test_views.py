"""What the diagram views draw: the specs built from real models (no Graphviz here)."""

from __future__ import annotations

import pytest

from archgen.catalog import get_catalog
from archgen.findings import Finding
from archgen.graph import ArchGraph
from archgen.sources.loader import load_model, parse_model
from archgen.rules import run_rules
from archgen.generators.views import (
    GAP_ICON,
    GROUP_LINKS_SHOWN,
    LARGE_MODEL_COMPONENTS,
    ClusterSpec,
    EdgeSpec,
    NodeSpec,
    ViewSpec,
    build_views,
    data_view,
    findings_view,
    make_view,
    network_view,
    overview_view,
)

from conftest import EXAMPLE

NET = """\
archgen: 1
name: net
title: Network test
provider: aws
region: eu-west-1
components:
  users: {kind: actor}
  cdn: {kind: cdn}
  web: {kind: static_site}
  lb: {kind: load_balancer, public: true}
  api: {kind: container_service, group: back}
  worker: {kind: function, group: back}
  db: {kind: postgres, public: true, data: [pii]}
  cache: {kind: cache}
  vault: {kind: secrets}
  pay: {kind: external, title: Payment API}
flows:
  - users -> cdn: https
  - cdn -> web
  - users -> lb: https
  - lb -> api: http
  - api -> db: postgres
  - api -> cache
  - api -> vault
  - from: api
    to: pay
    label: https
    data: [payment]
  - worker -> cache
"""


def example():
    return load_model(EXAMPLE)


def by_id(view: ViewSpec) -> dict[str, NodeSpec]:
    return {n.id: n for n in view.nodes}


def cluster_chain(view: ViewSpec, node_id: str) -> list[str]:
    """The clusters around a node, innermost first."""
    parents = {c.id: c.parent for c in view.clusters}
    out, cid = [], by_id(view)[node_id].cluster
    while cid is not None:
        out.append(cid)
        cid = parents[cid]
    return out


# -- overview ---------------------------------------------------------------


def test_overview_draws_every_component_with_its_catalog_icon_and_title():
    model = example()
    view = overview_view(model)
    cat = get_catalog()
    assert [n.id for n in view.nodes] == sorted(model.components)
    for node in view.nodes:
        comp = model.components[node.id]
        assert node.label == comp.display_name
        assert node.icon == cat.service(comp.kind, model.provider, comp.service).icon
    assert by_id(view)["api"].icon == cat.service("container_service", "aws", "ecs_fargate").icon


def test_overview_groups_are_clusters_and_flows_are_labelled_edges():
    model = example()
    view = overview_view(model)
    groups = {c.group for c in model.components.values() if c.group}
    assert {c.label for c in view.clusters} == groups
    labels = {c.id: c.label for c in view.clusters}
    for node in view.nodes:
        group = model.components[node.id].group
        assert (labels[node.cluster] if node.cluster else None) == group
    assert sorted((e.source, e.target, e.label) for e in view.edges) == sorted(
        (f.source, f.to, f.label or "") for f in model.flows
    )


def test_edge_ids_are_stable_and_flows_between_one_pair_stay_distinct():
    model = parse_model(
        "archgen: 1\nname: r\nprovider: gcp\ncomponents:\n  a: {kind: function}\n  b: {kind: queue}\n"
        "flows:\n  - a -> b: put\n  - a -> b\n  - a -> b: get\n"
    )
    view = overview_view(model)
    assert [e.id for e in view.edges] == ["a->b", "a->b:get", "a->b:put"]


def test_a_kind_without_a_service_on_the_provider_gets_the_gap_icon():
    model = parse_model(
        "archgen: 1\nname: k\nprovider: kubernetes\ncomponents:\n  edge: {kind: cdn}\n  api: {kind: container_service}\n"
        "flows:\n  - edge -> api\n"
    )
    assert get_catalog().gap("cdn", "kubernetes")  # the premise: no CDN on Kubernetes
    nodes = by_id(overview_view(model))
    assert nodes["edge"].icon == GAP_ICON
    assert nodes["api"].icon != GAP_ICON


# -- network ----------------------------------------------------------------


def test_network_nests_internet_public_edge_and_private_tiers():
    model = parse_model(NET)
    view = network_view(model)
    graph = ArchGraph(model)
    assert cluster_chain(view, "users") == ["internet"]
    assert cluster_chain(view, "pay") == ["external"]
    for comp in graph.exposed():
        assert cluster_chain(view, comp.id) == ["edge", "cloud"], comp.id
    assert cluster_chain(view, "api") == ["tier-app", "private", "cloud"]
    assert cluster_chain(view, "worker") == ["tier-app", "private", "cloud"]
    assert cluster_chain(view, "cache") == ["tier-data", "private", "cloud"]
    assert cluster_chain(view, "vault") == ["tier-platform", "private", "cloud"]
    cloud = next(c for c in view.clusters if c.id == "cloud")
    assert cloud.label == f"{get_catalog().provider_name('aws')} eu-west-1"


def test_network_marks_an_exposed_data_store_and_draws_the_internet_reaching_it():
    view = network_view(parse_model(NET))
    nodes = by_id(view)
    assert nodes["db"].style == "exposed"  # public: true on a database
    assert nodes["lb"].style == "normal"  # an edge component is meant to be public
    internet = ArchGraph(parse_model(NET)).internet
    implicit = {(e.source, e.target) for e in view.edges if e.style == "implicit"}
    # db is public and no actor calls it: only the internet's own edge shows it is reachable
    assert implicit == {(internet, "db")}
    assert nodes[internet].label == "Internet"


# -- data -------------------------------------------------------------------


def test_data_view_highlights_sensitive_components_and_flows():
    model = parse_model(NET)
    view = data_view(model)
    nodes = by_id(view)
    assert {n.id for n in view.nodes if n.style == "sensitive"} == {"db"}
    assert nodes["db"].note == "pii"
    hot = {(e.source, e.target): e for e in view.edges if e.style == "sensitive"}
    # declared on the flow (payment), and read from a store that holds pii
    assert set(hot) == {("api", "pay"), ("api", "db")}
    assert hot[("api", "pay")].label == "https (payment)"
    assert hot[("api", "db")].label == "postgres (pii)"
    assert nodes["vault"].style == "muted"
    assert nodes["api"].style == "normal"  # not sensitive itself, but on a sensitive flow


def test_data_view_says_so_when_nothing_is_sensitive():
    model = parse_model("archgen: 1\nname: d\nprovider: aws\ncomponents:\n  a: {kind: function}\n")
    view = data_view(model)
    assert all(n.style == "muted" for n in view.nodes)
    assert "No component or flow" in view.description


# -- findings ---------------------------------------------------------------


def _finding(rule, severity, component, accepted=False):
    return Finding(rule=rule, category="security", severity=severity, message="m", remediation="r", file="f", line=1, component=component, accepted=accepted)


def test_findings_view_marks_unaccepted_errors_and_warnings_only():
    model = parse_model(NET)
    findings = [
        _finding("SEC-B", "warning", "db"),
        _finding("SEC-A", "error", "db"),
        _finding("SEC-C", "warning", "api"),
        _finding("SEC-D", "error", "lb", accepted=True),
        _finding("SEC-E", "info", "cache"),
        _finding("SEC-F", "error", None),
    ]
    view = findings_view(model, findings)
    nodes = by_id(view)
    assert nodes["db"].style == "error" and nodes["db"].note == "SEC-A\nSEC-B"  # errors first
    assert nodes["api"].style == "warning" and nodes["api"].note == "SEC-C"
    assert nodes["lb"].style == "muted"  # accepted on purpose
    assert nodes["cache"].style == "muted"  # info is not a risk marker
    assert "1 finding about the whole model" in view.description


def test_findings_view_takes_the_findings_the_rules_give():
    model = parse_model(NET.replace("  vault: {kind: secrets}\n", "  vault: {kind: secrets}\n  lonely: {kind: queue}\n"))
    findings = run_rules(model)
    flagged = {f.component for f in findings if not f.accepted and f.severity in ("error", "warning") and f.component}
    assert "lonely" in flagged  # MODEL-ORPHAN
    view = findings_view(model, findings)
    assert {n.id for n in view.nodes if n.style in ("error", "warning")} == flagged


def test_findings_view_caps_the_rule_ids_on_a_node():
    model = parse_model(NET)
    findings = [_finding(f"SEC-{c}", "warning", "api") for c in "ABCDE"]
    note = by_id(findings_view(model, findings))["api"].note
    assert note.splitlines() == ["SEC-A", "SEC-B", "SEC-C", "+2 more"]


# -- the set of views, determinism -------------------------------------------


def test_build_views_gives_the_four_views_with_titles_and_descriptions():
    model = example()
    views = build_views(model, run_rules(model))
    assert [v.name for v in views] == ["overview", "network", "data", "findings"]
    for v in views:
        assert v.title.startswith(model.display_name)
        assert v.description and "\n" not in v.description


def test_specs_are_sorted_hashable_and_identical_across_builds():
    model = example()
    first = build_views(model, run_rules(model))
    second = build_views(load_model(EXAMPLE), run_rules(load_model(EXAMPLE)))
    assert first == second
    assert [v.digest() for v in first] == [v.digest() for v in second]
    assert len({hash(v) for v in first}) == len(first)
    for v in first:
        assert list(v.nodes) == sorted(v.nodes)
        assert list(v.clusters) == sorted(v.clusters)


def test_a_change_in_what_is_drawn_changes_the_digest():
    model = example()
    before = overview_view(model).digest()
    model.components["api"].title = "Renamed backend"
    assert overview_view(model).digest() != before


def test_node_ids_are_pinned_to_component_ids():
    model = example()
    for view in build_views(model, []):
        ids = {n.id for n in view.nodes}
        assert ids <= set(model.components) | {ArchGraph(model).internet}


def test_hostile_text_stays_raw_in_the_spec():
    title = '<script>alert("x")</script> & {a|b} \\N'
    model = parse_model(
        "archgen: 1\nname: h\nprovider: aws\ncomponents:\n"
        f"  a:\n    kind: function\n    title: '{title}'\n"
    )
    assert by_id(overview_view(model))["a"].label == title  # the drawer escapes, per language


def test_make_view_drops_empty_clusters_and_rejects_dangling_edges():
    view = make_view(
        "v",
        "t",
        "d",
        [NodeSpec("b", "B", cluster="inner"), NodeSpec("a", "A")],
        [ClusterSpec("outer", "O"), ClusterSpec("inner", "I", parent="outer"), ClusterSpec("empty", "E")],
        [EdgeSpec("a->b", "a", "b")],
    )
    assert [c.id for c in view.clusters] == ["inner", "outer"]
    assert [n.id for n in view.nodes] == ["a", "b"]
    with pytest.raises(ValueError, match="not drawn"):
        make_view("v", "t", "d", [NodeSpec("a", "A")], (), [EdgeSpec("a->z", "a", "z")])


# -- large models ------------------------------------------------------------


def large_model_yaml(groups: int = 4, per_group: int = 20) -> str:
    lines = ["archgen: 1", "name: big", "provider: aws", "components:", "  users: {kind: actor}", "  front: {kind: load_balancer, public: true}"]
    flows = ["  - users -> front: https"]
    for g in range(groups):
        for i in range(per_group):
            kind = "postgres" if i == 0 else "container_service"
            extra = ", data: [pii]" if i == 0 else ""
            lines.append(f"  s{g}-{i}: {{kind: {kind}, group: 'Team {g}'{extra}}}")
            if i > 0:
                flows.append(f"  - s{g}-{i} -> s{g}-0")
        flows.append(f"  - front -> s{g}-1: http")
        if g:
            flows.append(f"  - s{g}-2 -> s{g - 1}-3: grpc")
            flows.append(f"  - s{g}-4 -> s{g - 1}-3: grpc")
    return "\n".join(lines + ["flows:"] + flows) + "\n"


def test_a_large_model_is_drawn_per_group_plus_a_group_level_overview():
    model = parse_model(large_model_yaml())
    assert len(model.components) > LARGE_MODEL_COMPONENTS
    views = build_views(model, [])
    names = [v.name for v in views]
    assert names[:4] == ["overview", "network", "data", "findings"]
    assert sorted(names[4:]) == ["group-no-group", "group-team-0", "group-team-1", "group-team-2", "group-team-3"]
    overview = views[0]
    assert sorted(n.label for n in overview.nodes) == ["(no group)", "Team 0", "Team 1", "Team 2", "Team 3"]
    team = {n.label: n.id for n in overview.nodes}
    links = {(e.source, e.target): e.label for e in overview.edges}
    assert links[(team["Team 2"], team["Team 1"])] == "2 flows"
    assert links[(team["(no group)"], team["Team 0"])] == "1 flow"
    assert all(len(v.nodes) < len(model.components) for v in views)


def test_a_group_view_shows_its_members_and_muted_neighbours():
    model = parse_model(large_model_yaml())
    view = next(v for v in build_views(model, []) if v.name == "group-team-1")
    own = {n.id for n in view.nodes if n.style != "context"}
    assert own == {c.id for c in model.components.values() if c.group == "Team 1"}
    context = {n.id for n in view.nodes if n.style == "context"}
    assert context == {"s0-3", "s2-2", "s2-4", "front"}
    assert {e.id for e in view.edges} >= {"s1-2->s0-3:grpc", "s2-2->s1-3:grpc", "front->s1-1:http"}


def test_the_group_overview_keeps_each_groups_busiest_links():
    lines = ["archgen: 1", "name: dense", "provider: aws", "components:"]
    flows = []
    groups = GROUP_LINKS_SHOWN + 3
    for g in range(groups):
        lines += [f"  g{g}-{i}: {{kind: function, group: G{g}}}" for i in range(LARGE_MODEL_COMPONENTS // groups + 1)]
    for h in range(1, groups):  # G0 talks to every other group, Gh with h flows
        flows += [f"  - g0-{i} -> g{h}-0" for i in range(h)]
    model = parse_model("\n".join(lines + ["flows:"] + flows) + "\n")
    overview = build_views(model, [])[0]
    kept = sorted(int(e.label.split()[0]) for e in overview.edges)
    assert kept == list(range(groups - GROUP_LINKS_SHOWN, groups))  # the busiest ones
    assert f"{GROUP_LINKS_SHOWN} of {groups - 1} links" in overview.description


def test_a_large_models_network_sums_up_private_tiers():
    model = parse_model(large_model_yaml())
    network = next(v for v in build_views(model, []) if v.name == "network")
    nodes = by_id(network)
    assert nodes["front"].cluster == "edge"
    summaries = {n.id: n.note for n in network.nodes if n.style == "summary"}
    assert summaries == {"tier-app.all": "76 components", "tier-data.all": "4 components"}
    assert ("front", "tier-app.all") in {(e.source, e.target) for e in network.edges}


def test_a_large_models_data_and_findings_views_keep_only_what_they_mark():
    model = parse_model(large_model_yaml())
    views = {v.name: v for v in build_views(model, [_finding("SEC-X", "error", "s1-5")])}
    data = views["data"]
    assert {n.id for n in data.nodes if n.style == "sensitive"} == {f"s{g}-0" for g in range(4)}
    assert all(e.style == "sensitive" for e in data.edges)
    assert [n.id for n in views["findings"].nodes] == ["s1-5"]
