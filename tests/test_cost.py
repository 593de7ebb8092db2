"""The estimate a design review can trust (issue 20): every kind priced with a dated source,
traffic that follows the flows, clusters priced once, gaps never shown as savings.

Every model here goes through the real loader; figures are recomputed from the catalog's
unit prices, never copied from the output.
"""

from __future__ import annotations

import datetime as dt
import math
import json
import re
from pathlib import Path

import pytest

from archgen.catalog import KINDS, PROVIDERS, get_catalog
from archgen.generators import compare as cmp
from archgen.generators.cost import IMPLICIT_CLUSTER, estimate, traffic
from archgen.sources.loader import load_model

ROOT = Path(__file__).resolve().parent.parent
CAT = get_catalog()


def _model(tmp_path: Path, text: str, name: str = "m.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_model(path)


def _price(kind: str, provider: str, key: str | None, item: str, instance_type: str | None = None) -> float:
    svc = CAT.service(kind, provider, key)
    return next(p.usd for p in svc.prices if p.item == item and p.instance_type == instance_type)


# -- every kind on every provider: a price with its source and date, or the reason ------------


def _services():
    for kind in KINDS:
        if not CAT.provisioned(kind):
            continue
        for provider in PROVIDERS:
            for key in sorted(CAT.services(kind, provider)):
                yield kind, provider, key


@pytest.mark.parametrize(("kind", "provider", "key"), list(_services()), ids=lambda x: str(x))
def test_each_service_is_priced_with_a_source_and_a_date_or_says_why(tmp_path, kind, provider, key):
    m = _model(
        tmp_path,
        f"archgen: 1\nname: one\nprovider: {provider}\ncomponents:\n  it: {{kind: {kind}, service: {key}}}\nflows: []\n",
    )
    line = estimate(m, provider).line("it")
    svc = CAT.service(kind, provider, key)
    if svc.unpriced:
        # the reason is stated in the catalog and reaches the page
        assert line.usd is None and line.why_unpriced == svc.unpriced
        assert svc.unpriced in cmp.render_markdown(cmp.compare(m))
        return
    assert line.usd is not None, line.formula
    assert line.sources and all(len(s) > 10 for s in line.sources), line
    assert line.as_of and re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", line.as_of)


def _date(text: str) -> dt.date:
    """An ISO date; a year or a month is read as its first day (the oldest it can mean)."""
    parts = [int(x) for x in text.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def test_no_price_is_older_than_twelve_months_on_the_catalogs_date():
    reviewed = _date(CAT.prices_reviewed)
    assert reviewed == dt.date(2026, 12, 2)
    stale, future = [], []
    for svc in CAT.all_services():
        for p in svc.prices:
            when = _date(p.as_of)
            if (reviewed - when).days > 366:
                stale.append(f"{svc.provider}.{svc.kind}.{svc.key}: {p.as_of}")
            if when > reviewed:
                future.append(f"{svc.provider}.{svc.kind}.{svc.key}: {p.as_of}")
    assert not stale and not future, stale + future


def test_every_default_is_priced_or_listed_in_the_docs_with_its_reason():
    docs = (ROOT / "docs" / "catalog.md").read_text(encoding="utf-8")
    section = docs.split("### What is not priced, and why", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `([a-z_]+)` \| `([a-z_]+)` \| `([a-z_]+)` \|", section, re.M))
    actual = {
        (svc.provider, svc.kind, svc.key)
        for svc in CAT.all_services()
        if svc.provisioned and svc.unpriced
    }
    assert listed == actual


# -- traffic that follows the flows ---------------------------------------------------------

FAN_OUT = """archgen: 1
name: fan
provider: aws
requirements: {peak_rps: 100}
components:
  users: {kind: actor}
  gw: {kind: api_gateway}
%s
flows:
  - users -> gw
%s
"""


def test_a_fan_out_shares_the_edge_traffic_instead_of_multiplying_it(tmp_path):
    fns = "\n".join(f"  f{i}: {{kind: function}}" for i in range(10))
    calls = "\n".join(f"  - gw -> f{i}" for i in range(10)) + "\n  - f3 -> table"
    m = _model(tmp_path, FAN_OUT % (fns + "\n  table: {kind: nosql}", calls))
    a = estimate(m, "aws")
    edge = a.assumptions["requests_millions"]
    assert edge == pytest.approx(100 * 0.2 * 3600 * 730 / 1e6, abs=0.01)
    req = a.requests
    assert req["gw"] == pytest.approx(edge)
    assert sum(req[f"f{i}"] for i in range(10)) == pytest.approx(edge, abs=0.01)  # divided, not x10
    assert req["table"] == pytest.approx(edge / 10, abs=0.01)  # one of ten functions calls it
    # the gateway is charged the edge once; the functions together the same requests once
    gw_rate = _price("api_gateway", "aws", None, "requests_million")
    assert a.line("gw").usd == pytest.approx(edge * gw_rate, abs=0.01)
    assert f"{edge / 10:,.4f}".rstrip("0").rstrip(".") in a.line("table").formula


def test_a_flows_own_rps_wins_and_a_loop_does_not_run_forever(tmp_path):
    m = _model(
        tmp_path,
        """archgen: 1
name: loop
provider: aws
requirements: {peak_rps: 50}
components:
  users: {kind: actor}
  spa: {kind: client_app}
  api: {kind: container_service}
  q: {kind: queue}
  worker: {kind: function}
  waf: {kind: waf, protects: [api]}
flows:
  - users -> spa
  - spa -> api
  - from: api
    to: q
    rps: 200
  - q -> worker
  - worker -> api
""",
    )
    a = CAT.assumptions
    req = traffic(m)
    edge = 50 * a["average_load_factor"] * 3600 * a["hours_per_month"] / 1e6
    assert req["spa"] == pytest.approx(edge, abs=0.01)  # the person that users reach passes it on
    own = 200 * a["average_load_factor"] * 3600 * a["hours_per_month"] / 1e6
    assert req["q"] == pytest.approx(own, abs=0.01)  # its own rps, not api's share
    assert req["worker"] == pytest.approx(own, abs=0.01)
    assert req["api"] == pytest.approx(edge, abs=0.01)  # worker -> api closes a loop: it carries nothing
    assert req["waf"] == pytest.approx(req["api"])  # a WAF receives what it protects


def test_a_serverless_app_is_not_charged_the_edge_per_function(tmp_path):
    text = """archgen: 1
name: serverless
provider: aws
requirements: {peak_rps: 40, monthly_budget_usd: 300}
components:
  users: {kind: actor}
  api: {kind: api_gateway}
  orders: {kind: function}
  users_fn: {kind: function}
  reports: {kind: function}
  table: {kind: nosql}
  flow: {kind: workflow}
  jobs: {kind: queue}
  events: {kind: topic}
flows:
  - users -> api
  - api -> orders
  - api -> users_fn
  - api -> reports
  - orders -> table
  - orders -> jobs
  - users_fn -> table
  - from: reports
    to: flow
    rps: 1
  - flow -> events
"""
    est = estimate(_model(tmp_path, text), "aws")
    assert est.complete  # DynamoDB, Step Functions, SQS and SNS have prices now
    edge = est.assumptions["requests_millions"]
    fn = [est.requests[c] for c in ("orders", "users_fn", "reports")]
    assert sum(fn) == pytest.approx(edge, abs=0.01)
    lam_req = _price("function", "aws", None, "requests_million")
    for cid in ("orders", "users_fn", "reports"):
        assert f"{est.requests[cid]:,.4f}".rstrip("0").rstrip(".") in est.line(cid).formula
    assert est.total < 300 and not est.over_budget
    assert all(lam_req * r < 10 for r in fn)


# -- clusters priced once; guests as their share of the nodes -----------------------------

PLATFORM = """archgen: 1
name: shop
provider: aws
components:
  platform: {kind: kubernetes_cluster}
  cart: {kind: container_service, runs_on: platform}
  checkout: {kind: container_service, runs_on: platform, high_availability: true}
  pg: {kind: postgres, runs_on: platform, sizing: {storage_gb: 50}}
  orders: {kind: postgres}
flows: []
"""


def test_a_cluster_is_priced_once_and_what_runs_on_it_as_its_share_of_the_nodes(tmp_path):
    m = _model(tmp_path, PLATFORM)
    est = estimate(m, "aws")
    cp = _price("kubernetes_cluster", "aws", None, "cluster_hour")
    node = _price("kubernetes_cluster", "aws", None, "hour", "m7g.large")
    nodes = est.line("platform").sizing["instances"]
    assert nodes == 2  # 0.5 + 0.5 x 2 + 1 vCPU asked: two 2-vCPU nodes hold it
    guests = [est.line(c) for c in ("cart", "checkout", "pg")]
    assert all(g.host == "platform" for g in guests)
    volumes = 50 * 0.08
    cluster_total = est.line("platform").usd + sum(g.usd for g in guests)
    assert cluster_total == pytest.approx(730 * cp + nodes * 730 * node + volumes, abs=0.02)
    # a guest's share: the mean of its share of the vCPUs and of the memory
    share = (0.5 / (2 * nodes) + 1 / (8 * nodes)) / 2
    assert est.line("cart").usd == pytest.approx(share * nodes * 730 * node, abs=0.01)
    assert "share of platform's nodes" in est.line("cart").formula
    assert est.line("orders").host is None and "db." in est.line("orders").formula  # RDS, on its own
    # on every provider the same cluster: one control plane, no guest pays its own
    for provider in ("azure", "gcp"):
        other = estimate(m, provider)
        assert sum(1 for ln in other.lines if "h) x $" in ln.formula and ln.host is None and ln.kind == "kubernetes_cluster") <= 1
        assert all("cluster_hour" not in ln.formula for ln in other.lines)


def test_services_naming_eks_without_runs_on_share_one_implicit_cluster(tmp_path):
    text = "archgen: 1\nname: micro\nprovider: aws\ncomponents:\n" + "".join(
        f"  s{i}: {{kind: container_service, service: eks}}\n" for i in range(8)
    ) + "  db: {kind: postgres}\nflows: []\n"
    m = _model(tmp_path, text)
    est = estimate(m, "aws")
    cluster = est.line(IMPLICIT_CLUSTER)
    assert cluster is not None and cluster.service == "eks"
    cp = _price("kubernetes_cluster", "aws", None, "cluster_hour")
    # one control plane for all eight, not eight
    assert sum(cp * 730 for ln in est.lines if ln.component == IMPLICIT_CLUSTER) == pytest.approx(73.0)
    assert all(est.line(f"s{i}").host == IMPLICIT_CLUSTER for i in range(8))
    assert "(730 h) x $0.10/h" in cluster.formula
    for provider in ("azure", "gcp"):  # AKS and GKE: the same one cluster, priced there
        other = estimate(m, provider)
        assert other.line(IMPLICIT_CLUSTER) is not None and other.line(IMPLICIT_CLUSTER).usd
        assert other.complete
    totals = {p: estimate(m, p).total for p in ("aws", "azure", "gcp")}
    assert max(totals.values()) < 3 * min(totals.values()), totals  # no longer $1,023 against $19
    md = cmp.render_markdown(cmp.compare(m))
    assert "| (shared cluster) |" in md


def test_with_one_explicit_cluster_the_eks_services_join_it(tmp_path):
    m = _model(
        tmp_path,
        "archgen: 1\nname: one\nprovider: aws\ncomponents:\n  k: {kind: kubernetes_cluster}\n"
        "  a: {kind: container_service, service: eks}\n  b: {kind: container_service, runs_on: k}\nflows: []\n",
    )
    est = estimate(m, "aws")
    assert est.line("a").host == "k" and est.line(IMPLICIT_CLUSTER) is None


def test_batch_jobs_and_pipelines_are_priced_by_the_hours_they_run(tmp_path):
    m = _model(
        tmp_path,
        "archgen: 1\nname: ml\nprovider: gcp\ncomponents:\n  train: {kind: ml_pipeline}\n"
        "  score: {kind: batch_job, sizing: {hours_per_month: 8}}\nflows: []\n",
    )
    for provider in ("aws", "azure", "gcp", "kubernetes"):
        est = estimate(m, provider)
        assert est.line("train").sizing["hours_per_month"] == 20
        assert est.line("score").sizing["hours_per_month"] == 8
        assert est.line("train").usd is not None and est.line("score").usd is not None
        assert "20 h" in est.line("train").formula and "8 h" in est.line("score").formula


# -- "not priced" beside every total, and never a saving --------------------------------------


def test_a_component_that_loses_its_price_is_not_a_saving_in_the_diff(tmp_path):
    from archgen.generators.diff import diff_models
    from archgen.generators.diff.summary import estimate_text

    base = _model(
        tmp_path,
        "archgen: 1\nname: flow\nprovider: azure\ncomponents:\n  etl: {kind: workflow, service: logic_apps, sizing: {requests_millions: 1}}\n"
        "  db: {kind: postgres}\nflows: []\n",
        "base.yaml",
    )
    head_text = (tmp_path / "base.yaml").read_text().replace("service: logic_apps", "service: data_factory")
    head = _model(tmp_path, head_text, "head.yaml")
    (d,) = diff_models([base], [head]).models
    own = d.own_provider
    assert own.newly_unpriced == ("etl",)
    assert own.usd_after < own.usd_before  # the total dropped only because etl lost its price...
    assert own.left_out_usd == pytest.approx(1 * 5 * 25.0, abs=0.01)  # 1 M runs x 5 actions x $25/M
    assert own.usd_delta == 0  # ...so the change is nothing, not a saving
    text = estimate_text(own)
    assert "etl lost its price" in text and "not a saving" in text and "-$" not in text
    doc = json.loads(json.dumps(own.to_json()))
    assert doc["monthly_usd"]["left_out_of_delta"]["components"] == ["etl"]


def test_every_total_names_what_it_leaves_out(tmp_path, monkeypatch):
    from archgen.site.pages import ModelBundle, home_page

    m = _model(tmp_path, "archgen: 1\nname: odd\nprovider: aws\ncomponents:\n  db: {kind: oracle}\n  web: {kind: static_site}\nflows: []\n")
    est = estimate(m, "aws")
    assert est.unpriced == ("db",)
    c = cmp.compare(m)
    for text in (cmp.render_markdown(c), cmp.render_text(c)):
        assert "+ 1 not priced (db)" in text
        assert CAT.service("oracle", "aws").unpriced in text  # and why
    bundle = ModelBundle(model=m, findings=[], estimate_usd=est.total, estimate_as_of=est.as_of, estimate_unpriced=est.unpriced)
    page = home_page([bundle], "Architecture")
    assert re.search(r"\\?\+ 1 not priced \\?\(db\\?\)", page), page


# -- the four providers for the same workload ----------------------------------------------


def _shipped_models():
    paths = [ROOT / "arch" / "ml-serving.yaml", ROOT / "tests" / "fixtures" / "compare" / "k8s-only.yaml"]
    paths += sorted((ROOT / "examples").glob("*/arch/*.yaml"))
    return [p for p in paths if p.exists()]


@pytest.mark.parametrize("path", _shipped_models(), ids=lambda p: p.stem)
def test_the_four_providers_stay_within_a_factor_of_three(path):
    m = load_model(path)
    c = cmp.compare(m)
    like = {p: c.providers[p].comparable_usd for p in PROVIDERS if c.providers[p].comparable_usd}
    assert len(like) == len(PROVIDERS), like
    if max(like.values()) <= 3 * min(like.values()):
        return
    docs = (ROOT / "docs" / "catalog.md").read_text(encoding="utf-8")
    section = docs.split("### When the providers differ by more than three times", 1)[1].split("\n### ", 1)[0]
    explained = set(re.findall(r"^\| `([a-z0-9-]+)` \|", section, re.M))
    assert m.name in explained, f"{m.name}: {like} differ by more than 3x and docs/catalog.md does not say why"


# -- the worked estimate in docs/catalog.md, recomputed from the catalog's unit prices -------


def _worked_tables():
    docs = (ROOT / "docs" / "catalog.md").read_text(encoding="utf-8")
    for m in re.finditer(r"^Worked estimate: (\S+) on (\S+)\n\n((?:\|.*\n)+)", docs, re.M):
        yield m.group(1), m.group(2), m.group(3)


def _numbers(text: str) -> list[float]:
    return [float(x.replace(",", "")) for x in re.findall(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\w.])", text)]


def test_the_docs_have_a_worked_estimate_of_the_example():
    assert [(f, p) for f, p, _ in _worked_tables()] == [("arch/ml-serving.yaml", "aws")]


@pytest.mark.parametrize(("file", "provider", "table"), list(_worked_tables()), ids=lambda x: str(x)[:30])
def test_the_worked_estimate_recomputes_from_the_catalogs_unit_prices(monkeypatch, file, provider, table):
    monkeypatch.chdir(ROOT)
    model = load_model(file)
    est = estimate(model, provider)
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in table.splitlines()[2:]]
    *lines, total = rows
    by_component: dict[str, float] = {}
    for comp, name, quantity, free, ha, unit, monthly in lines:
        cid = comp.strip("`")
        svc = CAT.resolve_service(model, model.components[cid], provider)
        assert svc.name.startswith(name.split(" (")[0]), (cid, name)
        rate = float(re.search(r"\$([\d.]+)", unit).group(1))
        price = next((p for p in svc.prices if p.usd == rate), None)
        assert price is not None, f"{cid}: {unit} is not a price of {svc.key} in the catalog"
        assert price.free_quantity == float(free), (cid, unit)
        qty = math.prod(_numbers(quantity.split("(")[0]))
        usd = max(qty * price.factor - price.free_quantity, 0) * float(ha) * price.usd
        assert float(monthly.strip("$*").replace(",", "")) == pytest.approx(usd, abs=0.006), (cid, unit)
        by_component[cid] = by_component.get(cid, 0.0) + usd
    for cid, usd in by_component.items():
        assert est.line(cid).usd == pytest.approx(usd, abs=0.01), cid
    assert set(by_component) == {ln.component for ln in est.lines}  # every line, no more
    assert float(total[-1].strip("$*").replace(",", "")) == pytest.approx(est.total, abs=0.01)
