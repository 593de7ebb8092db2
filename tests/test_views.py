"""What the diagram views draw: the specs built from real models (no Graphviz here)."""

from __future__ import annotations

import dataclasses
import re
import sys

import pytest

from archgen.catalog import get_catalog
from archgen.findings import Finding
from archgen.graph import ArchGraph
from archgen.sources.loader import load_model, parse_model
from archgen.rules import run_rules
from archgen.generators.views import (
    GAP_ICON,
    INTERNET_ICON,
    SHARED_HOST,
    SYSTEM_NODE,
    context_view,
    GROUP_LINKS_SHOWN,
    LARGE_MODEL_COMPONENTS,
    PART_NODES,
    ClusterSpec,
    EdgeSpec,
    NodeSpec,
    ViewSpec,
    build_views,
    data_view,
    findings_view,
    fit,
    make_view,
    network_view,
    overview_view,
    whole_name,
)

from conftest import EXAMPLE, ROOT

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
    assert cluster_chain(view, "api") == ["tier-app", "private", "cloud"]  # ECS on Fargate: in the VPC
    assert cluster_chain(view, "cache") == ["tier-data", "private", "cloud"]  # ElastiCache: in the VPC
    # Lambda and Secrets Manager run outside the VPC: beside the private network, not in it
    assert cluster_chain(view, "worker") == ["managed", "cloud"]
    assert cluster_chain(view, "vault") == ["managed", "cloud"]
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


def test_build_views_gives_the_five_views_with_titles_and_descriptions():
    model = example()
    views = build_views(model, run_rules(model))
    assert [v.name for v in views] == ["overview", "network", "data", "findings", "context"]
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
        assert ids <= set(model.components) | {ArchGraph(model).internet, SYSTEM_NODE}


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
    names = list(dict.fromkeys(whole_name(v.name) for v in views))  # a view cut in parts once
    assert names[:5] == ["overview", "network", "data", "findings", "context"]
    assert sorted(names[5:]) == ["group-no-group", "group-team-0", "group-team-1", "group-team-2", "group-team-3"]
    assert [v.name for v in views if whole_name(v.name) == "data"] == [f"data-part-{i}" for i in range(1, 5)]
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
    data = [v for v in views.values() if whole_name(v.name) == "data"]
    assert {n.id for v in data for n in v.nodes if n.style == "sensitive"} == {f"s{g}-0" for g in range(4)}
    assert all(e.style in ("sensitive", "aggregate") for v in data for e in v.edges)
    assert [n.id for n in views["findings"].nodes] == ["s1-5"]


def test_a_large_view_is_cut_in_parts_of_whole_groups_linked_by_boxes():
    model = parse_model(large_model_yaml())
    whole = overview_view(model)  # every component and flow, drawn one by one
    parts = fit(whole)
    assert len(whole.nodes) > PART_NODES and len(parts) == 4  # a group of 20 each (and the 2 ungrouped)
    assert all(len(p.nodes) <= PART_NODES and p.layout == "grid" for p in parts)
    own = [{n.id for n in p.nodes if not n.id.startswith("part.")} for p in parts]
    # every node in exactly one part, and a group is not cut (it fits in one)
    assert sorted(i for ids in own for i in ids) == sorted(n.id for n in whole.nodes)
    groups = {n.id: n.cluster for n in whole.nodes}
    assert all(len({i for i, ids in enumerate(own) if any(groups[n] == g for n in ids)}) == 1 for g in set(groups.values()) if g)
    # a flow between parts: in each, an arrow to the box of the other part, counted
    crossing = [e for e in whole.edges if not any({e.source, e.target} <= ids for ids in own)]
    assert crossing
    for e in crossing:
        a = next(i for i, ids in enumerate(own) if e.source in ids)
        b = next(i for i, ids in enumerate(own) if e.target in ids)
        assert (e.source, f"part.overview-part-{b + 1}") in {(x.source, x.target) for x in parts[a].edges}
        assert (f"part.overview-part-{a + 1}", e.target) in {(x.source, x.target) for x in parts[b].edges}
    assert parts[1].title.endswith("(part 2 of 4)") and "Part 2 of 4, with 20 of the view's 82 boxes" in parts[1].description
    assert fit(whole) == parts  # deterministic
    small = data_view(parse_model(large_model_yaml(groups=1, per_group=10)), only_sensitive=True)
    assert len(small.nodes) <= PART_NODES
    assert fit(small) == [dataclasses.replace(small, layout="grid")]  # whole, and not one column


def test_an_arrow_of_a_large_models_view_says_how_many_flows_it_stands_for_from_two_on():
    """Arrows to another part or another group's box carry "N flows" for two or more and no
    label for one (the description says so): no thousands of "1 flow" labels to place."""
    model = parse_model(large_model_yaml())
    whole = overview_view(model)
    parts = fit(whole)
    counted: dict[tuple[str, str], int] = {}
    own = [{n.id for n in p.nodes if not n.id.startswith("part.")} for p in parts]
    for e in whole.edges:
        a = next(i for i, ids in enumerate(own) if e.source in ids)
        b = next(i for i, ids in enumerate(own) if e.target in ids)
        if a != b:
            key = (e.source, f"part.overview-part-{b + 1}")
            counted[key] = counted.get(key, 0) + 1
    arrows = {(e.source, e.target): e.label for p in parts for e in p.edges if e.style == "aggregate"}
    assert counted and set(counted) <= set(arrows)
    for key, n in counted.items():
        assert arrows[key] == ("" if n == 1 else f"{n} flows"), key
    assert all("an arrow with no number standing for one flow" in p.description for p in parts)
    # a group view with too many neighbours to draw one by one: one box per other group
    sys.path.insert(0, str(ROOT))
    from bench.generate import generate

    groups = [v for v in build_views(parse_model(generate(200), "b.yaml")) if v.name.startswith("group-")
              and any(e.style == "aggregate" for e in v.edges)]
    labels = [e.label for v in groups for e in v.edges if e.style == "aggregate"]
    assert groups and "" in labels and any(lb.endswith(" flows") for lb in labels)
    assert all(lb == "" or re.fullmatch(r"\d+ flows", lb) for lb in labels)
    assert all("an arrow with no number is one flow" in v.description for v in groups)


def test_the_context_views_system_box_is_in_every_part():
    lines = ["archgen: 1", "name: wide", "provider: aws", "components:", "  app: {kind: container_service}"]
    lines += [f"  ext-{i}: {{kind: external}}" for i in range(PART_NODES + 5)]
    flows = [f"  - app -> ext-{i}: https" for i in range(PART_NODES + 5)]
    parts = fit(context_view(parse_model("\n".join(lines + ["flows:"] + flows) + "\n")))
    assert len(parts) == 2
    assert all(SYSTEM_NODE in {n.id for n in p.nodes} for p in parts)
    assert sum(len(p.edges) for p in parts) == PART_NODES + 5  # no arrow to another part: each is to the system


# -- real stacks: clusters, devices, zones, the context (issue 17, issue 21) --------

FIXTURES = ROOT / "tests" / "fixtures" / "views"


def fixture(name):
    return load_model(FIXTURES / f"{name}.yaml")


def test_what_runs_on_a_cluster_is_drawn_inside_its_box():
    model = fixture("online-boutique")
    guests = {c.id for c in model.components.values() if c.runs_on == "boutique"}
    for view in (overview_view(model), network_view(model), data_view(model), findings_view(model, [])):
        box = next(c for c in view.clusters if c.id == "host-boutique")
        assert box.style == "host" and box.label.startswith("Online Boutique cluster (")
        assert get_catalog().service("kubernetes_cluster", "gcp", "gke").name in box.label
        inside = {n.id for n in view.nodes if "host-boutique" in cluster_chain(view, n.id)}
        assert inside == (guests | {"boutique"}) & {n.id for n in view.nodes}, view.name
        assert cluster_chain(view, "boutique") == ["host-boutique"] + cluster_chain(view, "boutique")[1:]
    # in the network view the box sits where the cluster does: the private application tier
    net = network_view(model)
    assert cluster_chain(net, "frontend") == ["host-boutique", "tier-app", "private", "cloud"]


def test_a_cluster_with_findings_is_marked_in_its_own_box():
    model = fixture("online-boutique")
    finding = Finding("REL-X", "reliability", "warning", "m", "r", model.file, 1, component="boutique")
    view = findings_view(model, [finding])
    assert cluster_chain(view, "boutique") == ["host-boutique"] and by_id(view)["boutique"].style == "warning"


def test_services_that_name_a_kubernetes_service_share_one_implicit_cluster():
    model = fixture("implicit-cluster")
    view = overview_view(model)
    [box] = [c for c in view.clusters if c.style == "host"]
    assert box.id == SHARED_HOST and "implicit" in box.label
    assert get_catalog().service("kubernetes_cluster", "aws").name in box.label
    assert {n.id for n in view.nodes if n.cluster == SHARED_HOST} == {"web", "orders", "stock"}
    assert by_id(view)["db"].cluster is None  # RDS: managed, outside the cluster
    assert "run on a cluster" in view.description


def test_a_model_without_placement_gets_no_cluster_box():
    for view in build_views(example(), []):
        assert not [c for c in view.clusters if c.style == "host"]


def test_group_boxes_nest_inside_the_cluster_box():
    model = parse_model(
        "archgen: 1\nname: g\nprovider: aws\ncomponents:\n  k: {kind: kubernetes_cluster}\n"
        "  a: {kind: container_service, runs_on: k, group: shop}\n  b: {kind: container_service, group: shop}\n"
        "flows:\n  - a -> b\n"
    )
    view = overview_view(model)
    assert cluster_chain(view, "a") == ["host-k.group-shop", "host-k"]
    assert cluster_chain(view, "b") == ["group-shop"]


def test_client_apps_are_drawn_as_the_device_they_run_on():
    model = fixture("internet-banking")
    nodes = by_id(overview_view(model))
    icons = get_catalog().service("client_app", "azure").platform_icons
    assert nodes["spa"].icon == icons["web"] and nodes["mobile"].icon == icons["mobile"] and nodes["desk"].icon == icons["desktop"]
    assert len({icons["web"], icons["mobile"], icons["desktop"]}) == 3
    people = get_catalog().service("actor", "azure").icon
    assert nodes["customers"].icon == people and nodes["spa"].icon != people


def test_a_system_on_premises_is_a_data_centre_and_other_externals_are_no_internet_cloud():
    from archgen.catalog.vocabulary import ZONES

    nodes = by_id(overview_view(fixture("internet-banking")))
    assert nodes["mainframe"].icon == ZONES["on_prem"]["icon"]
    assert nodes["email"].icon == get_catalog().service("external", "azure").icon != INTERNET_ICON


def test_catalog_icons_name_a_service_not_a_look_alike():
    cat = get_catalog()
    assert "Redis" not in cat.service("cache", "kubernetes", "valkey").icon
    assert "Redis" not in cat.service("cache", "aws", "elasticache_valkey").icon
    assert "Vault" not in cat.service("secrets", "kubernetes", "openbao").icon
    assert cat.service("topic", "aws", "sns").icon != cat.service("queue", "aws", "sqs").icon
    assert "Sendgrid" not in cat.service("email", "azure").icon


def test_the_network_view_draws_zones_as_boxes():
    model = fixture("internet-banking")
    view = network_view(model)
    assert cluster_chain(view, "staff") == ["zone-corporate"]
    assert cluster_chain(view, "desk") == ["zone-corporate"]
    assert cluster_chain(view, "mainframe") == ["zone-on_prem"] and cluster_chain(view, "link") == ["zone-on_prem"]
    assert cluster_chain(view, "tellers") == ["zone-branch-network"]
    assert cluster_chain(view, "customers") == ["internet"] and cluster_chain(view, "email") == ["external"]
    labels = {c.id: (c.label, c.style) for c in view.clusters}
    assert labels["zone-branch-network"] == ("Branch office network", "zone")
    assert labels["zone-on_prem"][1] == "zone"
    partner = network_view(fixture("serverless-orders"))
    assert cluster_chain(partner, "carrier") == ["zone-partner"]
    assert {c.id: c.style for c in partner.clusters}["zone-partner"] == "untrusted"


def test_serverless_services_sit_outside_the_private_network():
    model = fixture("serverless-orders")
    view = network_view(model)
    cat = get_catalog()
    for cid in ("place-order", "orders", "order-events", "billing-queue", "lake", "mail"):
        assert cat.network(model, model.components[cid]) == "provider", cid
        assert cluster_chain(view, cid) == ["managed", "cloud"], cid
    assert "private" not in {c.id for c in view.clusters}  # nothing of it runs in a VPC
    assert "outside the private network" in view.description


def test_async_flows_are_drawn_dashed_in_every_view():
    model = fixture("serverless-orders")
    asynchronous = {(f.source, f.to) for f in model.flows if f.is_async}
    for view in build_views(model, []):
        for e in view.edges:
            if view.name != "context" and (e.source, e.target) in asynchronous:
                assert e.asynchronous, (view.name, e.id)


def test_the_context_view_is_the_system_as_one_box_with_what_surrounds_it():
    model = fixture("internet-banking")
    view = context_view(model)
    outside = {c.id for c in model.components.values() if not get_catalog().provisioned(c.kind)}
    assert {n.id for n in view.nodes} == outside | {SYSTEM_NODE}
    system = by_id(view)[SYSTEM_NODE]
    assert system.label == model.display_name and system.style == "system"
    edges = {(e.source, e.target): e for e in view.edges}
    assert (SYSTEM_NODE, "mainframe") in edges  # api -> vpn -> mainframe: the system reaches it
    assert edges[(SYSTEM_NODE, "email")].asynchronous and edges[(SYSTEM_NODE, "email")].label == "smtp"
    assert ("customers", "spa") in edges and ("spa", SYSTEM_NODE) in edges
    # each flow by what it speaks: JSON/HTTPS is https; OIDC names no protocol and stays as written
    assert edges[("spa", SYSTEM_NODE)].label == "OIDC, https"
    assert by_id(view)["staff"].note == "[Person, Corporate network]"
    assert by_id(view)["mobile"].note == "[Mobile app]"
