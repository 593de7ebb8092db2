"""The graph wrapper: the queries rules stand on."""

from __future__ import annotations

from conftest import ROOT

from archgen.catalog.vocabulary import kinds_with
from archgen.graph import ArchGraph
from archgen.sources.loader import load_model, parse_model

MODEL = """\
archgen: 1
name: g
provider: aws
components:
  users: {kind: actor}
  cdn: {kind: cdn}
  web: {kind: static_site, group: front}
  lb: {kind: load_balancer, public: true, group: back}
  api: {kind: container_service, group: back}
  db: {kind: postgres}
  bucket: {kind: object_storage}
  internet: {kind: external}
flows:
  - users -> cdn
  - cdn -> web
  - users -> lb
  - lb -> api
  - api -> db
  - lb -> bucket
"""


def graph() -> ArchGraph:
    return ArchGraph(parse_model(MODEL))


def test_implicit_internet_node_never_clashes_with_a_component():
    g = graph()
    assert g.internet != "internet"  # a component took that id
    assert "internet" in g.ids()


def test_exposed_components():
    g = graph()
    assert [c.id for c in g.exposed()] == ["cdn", "lb"]


def test_reachability_through_edge_only():
    g = graph()
    assert g.reachable_from_internet() == {"cdn", "web", "lb", "api", "db", "bucket"}
    # Only crossing edge components (no application tier): db is not reached, bucket is.
    direct = g.reachable_from_internet(through=lambda c: c.kind in kinds_with("edge"))
    assert direct == {"cdn", "web", "lb", "api", "bucket"}


def test_neighbours_by_kind_groups_and_orphans():
    g = graph()
    assert [c.id for c in g.callees("lb", kinds=["object_storage"])] == ["bucket"]
    assert [c.id for c in g.callers("api")] == ["lb"]
    assert list(g.groups()) == ["back", "front"]
    assert [c.id for c in g.groups()["back"]] == ["api", "lb"]
    assert [c.id for c in g.orphans()] == ["internet"]
    assert ["users", "lb", "api", "db"] in list(g.paths("users", "db"))


# ---------------------------------------------------------------------------
# zones, people in them, placement (issue 17)

from archgen.graph import facts  # noqa: E402

#: Trust zones (internet, corporate, cloud, a lab, on premises, a partner): who is exposed.
ZONED = ROOT / "tests" / "fixtures" / "graph" / "zoned.yaml"


def zoned():
    model = load_model(ZONED)
    return model, ArchGraph(model)


def test_only_people_in_the_internet_zone_expose_what_they_call():
    model, g = zoned()
    assert [c.id for c in g.exposed()] == ["api"]  # the client app's target, not what staff or the load generator call
    assert facts.exposure(g, model.components["db"]) is None
    assert facts.exposure(g, model.components["admin"]) is None
    assert facts.exposure(g, model.components["api"]) == "'spa' calls it directly"
    assert g.reachable_from_internet() == {"api", "db", "worker", "ledger", "bank"}
    assert "admin" not in g.reachable_from_internet() and "reports" not in g.reachable_from_internet()


def test_an_actor_that_says_no_zone_is_the_internet_as_before():
    g = graph()
    assert {c.id for c in g.exposed()} == {"cdn", "lb"}


def test_zones_default_from_the_catalog_and_follow_the_host():
    model, g = zoned()
    zone = {cid: g.zone_of(cid) for cid in model.components}
    assert zone == {
        "users": "internet", "spa": "internet", "staff": "corporate", "loadgen": "cloud", "tester": "lab",
        "api": "cloud", "admin": "cloud", "reports": "cloud", "db": "cloud", "k8s": "cloud", "worker": "cloud",
        "queue": "cloud", "box": "on_prem", "ledger": "on_prem", "bank": "partner",
    }
    assert facts.zone_of(model, model.components["ledger"]) == "on_prem"


def test_trust_of_built_in_and_own_zones():
    model, _ = zoned()
    trusted = {z: facts.is_trusted(model, z) for z in ("internet", "cloud", "on_prem", "corporate", "partner", "lab")}
    assert trusted == {"internet": False, "cloud": True, "on_prem": True, "corporate": True, "partner": False, "lab": False}


def test_flows_that_cross_zones_and_trust_boundaries():
    model, _ = zoned()
    by = {(f.source, f.to): f for f in model.flows}

    def says(pair):
        f = by[pair]
        return (facts.crosses_zones(model, f), facts.crosses_trust_boundary(model, f), facts.enters_trusted_zone(model, f))

    assert says(("spa", "api")) == (True, True, True)  # internet -> cloud
    assert says(("staff", "db")) == (True, False, False)  # corporate -> cloud: both trusted
    assert says(("api", "db")) == (False, False, False)
    assert says(("worker", "ledger")) == (True, False, False)  # cloud -> on_prem
    assert says(("ledger", "bank")) == (True, True, False)  # on_prem -> partner: leaves trust
    assert says(("tester", "reports")) == (True, True, True)  # an untrusted zone of one's own
    assert facts.flow_protocol(by[("ledger", "bank")]) == "https"
    assert facts.flow_protocol(by[("api", "worker")]) == "grpc"


def test_hosts_and_their_guests():
    model, g = zoned()
    assert [c.id for c in g.guests("k8s")] == ["queue", "worker"]
    assert [c.id for c in g.guests("box")] == ["ledger"]
    assert g.guests("api") == []
    assert g.host_of("worker").id == "k8s" and g.host_of(model.components["api"]) is None
