"""The graph wrapper: the queries rules stand on."""

from __future__ import annotations

from archgen.catalog.vocabulary import kinds_with
from archgen.graph import ArchGraph
from archgen.sources.loader import parse_model

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
