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
from archgen.catalog.vocabulary import KIND_TRAITS
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


def test_a_waf_that_is_its_gateways_tier_prices_the_gateway_once(tmp_path):
    for svc in CAT.all_services():  # every tier_of names a service of the same provider
        if svc.tier_of:
            assert any(svc.tier_of.service in CAT.services(k, svc.provider) for k in KINDS), svc.key
    m = _model(
        tmp_path,
        "archgen: 1\nname: gw\nprovider: azure\ncomponents:\n  users: {kind: actor}\n"
        "  gw: {kind: load_balancer, public: true}\n  other: {kind: load_balancer}\n"
        "  fw: {kind: waf, protects: [gw, other]}\n  app: {kind: container_service}\n"
        "flows:\n  - users -> gw\n  - gw -> app\n  - app -> other\n",
    )
    est = estimate(m, "azure")
    waf_fixed = _price("waf", "azure", "app_gateway_waf", "cluster_hour")
    assert est.line("fw").usd >= 730 * waf_fixed  # the WAF_v2 gateway: its fixed price, once
    assert est.line("gw").usd == 0 and "priced on fw's line" in est.line("gw").formula
    assert est.line("other").usd > 0  # a second gateway is a second resource
    # on AWS the WAF is a web ACL beside the ALB: both priced
    aws = estimate(m, "aws")
    assert aws.line("gw").usd > 0 and aws.line("fw").usd > 0


def test_the_docs_say_how_many_prices_are_unverified():
    docs = (ROOT / "docs" / "catalog.md").read_text(encoding="utf-8")
    prices = [p for svc in CAT.all_services() for p in svc.prices]
    unverified = sum(1 for p in prices if "[unverified" in p.source)
    said = re.search(r"Of the (\d+) prices, (\d+) carry `\[unverified\]`", docs)
    assert said and (int(said.group(1)), int(said.group(2))) == (len(prices), unverified)


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


def test_egress_follows_the_requests_instead_of_every_cdn_sending_it_all(tmp_path):
    m = _model(
        tmp_path,
        """archgen: 1
name: two-cdns
provider: gcp
sizing: {egress_gb: 300}
components:
  users: {kind: actor}
  dns: {kind: dns}
  site: {kind: cdn}
  media: {kind: cdn}
  own: {kind: cdn, sizing: {egress_gb: 7}}
flows:
  - users -> dns
  - users -> site
  - users -> media
  - dns -> own
""",
    )
    est = estimate(m, "gcp")
    rate = _price("cdn", "gcp", None, "egress_gb")
    # three edge flows: each CDN the people call sends a third of the month's 300 GB, not 300 GB each
    for cid in ("site", "media"):
        assert est.line(cid).sizing["egress_gb"] == pytest.approx(100, abs=0.01)
        assert est.line(cid).usd == pytest.approx(100 * rate, abs=0.01)
    assert est.line("own").sizing["egress_gb"] == 7  # the component's own sizing wins
    sent = sum(est.line(c).sizing["egress_gb"] for c in ("dns", "site", "media"))
    assert sent == pytest.approx(300, abs=0.03)  # the edge sends the month's delivery once


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


def _budget_findings(tmp_path, budget: int, db_kind: str):
    from archgen.rules import run_rules

    m = _model(
        tmp_path,
        f"archgen: 1\nname: b\nprovider: aws\nrequirements: {{monthly_budget_usd: {budget}}}\ncomponents:\n"
        f"  api: {{kind: container_service}}\n  db: {{kind: {db_kind}}}\n  spend: {{kind: budget}}\nflows:\n  - api -> db\n",
    )
    return estimate(m), [f for f in run_rules(m) if f.rule == "COST-OVER-BUDGET"]


def test_the_budget_check_names_what_is_not_priced_beside_the_total(tmp_path):
    # over the budget with an unpriced database: the warning says the total leaves it out
    est, (over,) = _budget_findings(tmp_path, 5, "oracle")
    assert over.severity == "warning"
    assert f"{'$%.2f' % est.total}/month + 1 not priced (db)" in over.message
    # within the budget only because the database has no price: an info finding, with the reason
    est, (under,) = _budget_findings(tmp_path, 500, "oracle")
    assert under.severity == "info" and est.total < 500
    assert "+ 1 not priced (db)" in under.message and "lower bound" in under.message
    assert CAT.service("oracle", "aws").unpriced in under.message
    # within the budget and every component priced: nothing to say
    est, found = _budget_findings(tmp_path, 500, "postgres")
    assert est.complete and est.total < 500 and found == []


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


# -- the worked estimates in docs/catalog.md, recomputed from the catalog's unit prices -------
#
# docs/catalog.md shows, for the example and every gallery model on its own provider, a table
# of the estimate line by line. The tables are generated from the estimate (`pytest
# tests/test_cost.py --update-golden` rewrites them in place) and checked two ways: the page
# says what the estimate says (below, `_worked_markdown`), and every row is recomputed here
# from the model, the catalog's unit prices and the formula the page documents, with no call
# into the estimate's code (`_Recompute`), so a wrong estimate fails even when the page follows it.

WORKED = re.compile(r"^Worked estimate: (\S+) on (\S+)\n\n((?:\|.*\n)+)", re.M)
WORKED_HEADER = "| Component | Service | Quantity | Free | HA | Unit price | Monthly |\n|---|---|---|--:|--:|---|--:|\n"


def _worked_models() -> list[tuple[str, str]]:
    """The example, then every gallery model, each on its own provider."""
    files = ["arch/ml-serving.yaml"] + [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "examples").glob("*/arch/*.yaml"))]
    return [(f, load_model(ROOT / f).provider) for f in files]


def _worked_tables():
    docs = (ROOT / "docs" / "catalog.md").read_text(encoding="utf-8")
    for m in WORKED.finditer(docs):
        yield m.group(1), m.group(2), m.group(3)


def _worked_rows(est, line) -> list[tuple[str, ...]]:
    """(service, quantity, free, HA, unit price, monthly) for each part of one line."""
    from archgen.generators.cost import num

    def rate(x: float) -> str:
        text = f"{x:.10f}".rstrip("0").rstrip(".")
        return f"${text}" if "." in text and len(text.split(".")[1]) >= 2 else f"${x:,.2f}"

    name = line.service_name or "no equivalent"
    if line.usd is None:
        return [(name, f"not priced: {line.why_unpriced}", "", "", "", "not priced")]
    rows = []
    for t in line.terms:
        if t.what == "meter":
            qty = t.quantity_text + (f" x {num(t.factor)}" if t.factor != 1 else "")
            qty += f" ({t.instance_type})" if t.instance_type else ""
            rows.append((name, qty, num(t.free), num(t.ha), f"{rate(t.rate)} per {t.unit}", f"${t.usd:,.2f}"))
        elif t.what == "included":
            rows.append((name, t.quantity_text, "", "", "", "$0.00"))
        elif t.what == "share":
            share = f"{100 * t.quantity:.2f}".rstrip("0").rstrip(".")
            rows.append((name, f"share of the nodes: {t.quantity_text} = {share}%", "", "", f"${t.rate:,.2f} per {t.unit}", f"${t.usd:,.2f}"))
        else:
            guests = sum(1 for g in est.lines if g.host == line.component)
            rows.append((name, f"less the shares of the {guests} components on it", "", "", "", f"-${-t.usd:,.2f}"))
    return rows or [(name, "no priced meter applies", "", "", "", "$0.00")]


def _worked_markdown(est) -> str:
    """The table of one estimate: components whose rows are the same share one group of rows."""
    from archgen.generators.cost import total_text

    groups: dict[tuple, list[str]] = {}
    for line in est.lines:
        groups.setdefault(tuple(_worked_rows(est, line)), []).append(line.component)
    out = [WORKED_HEADER]
    for rows, comps in groups.items():
        who = ", ".join(f"`{c}`" for c in comps)
        for row in rows:
            out.append(f"| {who} | " + " | ".join(row) + " |\n")
    out.append(f"| **Total** | | | | | | **{total_text(est)}** |\n")
    return "".join(out)


def test_the_docs_have_a_worked_estimate_of_the_example_and_each_gallery_model():
    assert [(f, p) for f, p, _ in _worked_tables()] == _worked_models()


def test_the_worked_estimates_in_the_docs_are_the_estimates(update_golden):
    path = ROOT / "docs" / "catalog.md"
    docs = path.read_text(encoding="utf-8")

    def table(m: re.Match) -> str:
        est = estimate(load_model(ROOT / m.group(1)), m.group(2))
        return f"Worked estimate: {m.group(1)} on {m.group(2)}\n\n{_worked_markdown(est)}"

    fresh = WORKED.sub(table, docs)
    if update_golden:
        path.write_text(fresh, encoding="utf-8")
    assert fresh == docs, "docs/catalog.md: a worked estimate differs from the estimate (pytest --update-golden to refresh)"


def _numbers(text: str) -> list[float]:
    return [float(x.replace(",", "")) for x in re.findall(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\w.])", text)]


def _usd(cell: str) -> float:
    text = cell.strip("* ")
    sign = -1 if text.startswith("-") else 1
    return sign * float(text.lstrip("-$").split()[0].replace(",", ""))


class _Recompute:
    """The estimate of one model on one provider, recomputed from what docs/catalog.md says
    the estimate does: the sizing order, the traffic along the flows, the HA rules, the
    cheapest fitting instance type, the share of a cluster's nodes. It reads the catalog's
    data (prices, sizing defaults, traits) and the model; it calls none of the estimate's code."""

    def __init__(self, model, provider: str):
        self.model, self.provider = model, provider
        self.a = {**CAT.assumptions, **{k: v for k, v in (model.sizing or {}).items() if v is not None}}
        self.requests = self._traffic()
        self.svc = {
            cid: CAT.resolve_service(model, comp, provider)
            for cid, comp in model.components.items()
            if CAT.provisioned(comp.kind)
        }
        self.hosts = {cid for cid, s in self.svc.items() if s is not None and "host" in KIND_TRAITS[model.components[cid].kind]}
        self.host_of: dict[str, str] = {}
        clusters = [h for h in self.hosts if self.svc[h].platform == "kubernetes"]
        for cid, s in self.svc.items():
            comp = model.components[cid]
            if s is None or cid in clusters:
                continue
            if comp.runs_on:
                self.host_of[cid] = comp.runs_on
            elif CAT.self_hosted(provider) or s.platform == "kubernetes":
                assert len(clusters) == 1, "a gallery model on the implicit cluster: extend this test"
                self.host_of[cid] = clusters[0]

    def month(self, rps: float) -> float:
        return rps * self.a["average_load_factor"] * 3600 * self.a["hours_per_month"] / 1e6

    def _traffic(self) -> dict[str, float]:
        """Docs: "Traffic follows the flows"."""
        m = self.model
        comps, flows = m.components, list(m.flows)
        persons = {k for k, traits in KIND_TRAITS.items() if "person" in traits}
        into = {c: [f for f in flows if f.to == c] for c in comps}
        out = {c: [f for f in flows if f.source == c] for c in comps}
        origins = [c for c in sorted(comps) if comps[c].kind in persons and not into[c]]
        peak = m.requirements.peak_rps if m.requirements.peak_rps is not None else self.a["default_peak_rps"]
        edge = float(self.a["requests_millions"]) if "requests_millions" in self.a else self.month(peak)
        self.edge = edge
        # a flow that closes a loop, walking from the people in the order the flows are written
        back: set[int] = set()
        state: dict[str, str] = {}

        def walk(c: str) -> None:
            state[c] = "open"
            for f in out[c]:
                if state.get(f.to) == "open":
                    back.add(id(f))
                elif f.to not in state:
                    walk(f.to)
            state[c] = "done"

        for c in origins + sorted(comps):
            if c not in state:
                walk(c)
        edge_flows = [f for o in origins for f in out[o] if f.rps is None]
        memo: dict[str, float] = {}

        def received(c: str) -> float:
            if c not in memo:
                total = 0.0
                for f in into[c]:
                    if f.rps is not None:
                        total += self.month(f.rps)
                    elif id(f) in back:
                        continue
                    elif f.source in origins:
                        total += edge / len(edge_flows)
                    else:
                        shared = [g for g in out[f.source] if g.rps is None and id(g) not in back]
                        total += received(f.source) / len(shared)
                memo[c] = total
            return memo[c]

        assert edge_flows, "a gallery model whose people call nothing: extend this test"
        got = {c: received(c) for c in comps}
        for c, comp in comps.items():
            if "shield" in KIND_TRAITS[comp.kind] and not into[c]:
                got[c] = sum(got[p] for p in comp.protects)
        return got

    def size(self, cid: str) -> dict:
        """Docs: the kind's defaults (the service's `sizing:`), then the model's, then the component's."""
        comp, svc = self.model.components[cid], self.svc[cid]
        out = dict(svc.sizing)
        out.setdefault("hours_per_month", self.a["hours_per_month"])
        # docs: egress follows the requests, the model's egress times the share of the edge's requests
        out.setdefault("egress_gb", round(self.a["egress_gb"] * self.requests[cid] / self.edge, 2))
        out.setdefault("requests_millions", self.requests[cid])
        out.update({k: v for k, v in (comp.sizing or {}).items() if v is not None})
        out["instances"] = float(out.get("instances", 1))
        if comp.high_availability and svc.ha is not None and svc.ha.min_instances:
            out["instances"] = max(out["instances"], float(svc.ha.min_instances))
        return out

    def ha(self, cid: str, price) -> float:
        """Docs: HA pays the standby (x2) on instance-priced meters where the provider bills it so."""
        svc, comp = self.svc[cid], self.model.components[cid]
        instance_meter = price.item in ("hour", "vcpu_hour", "gb_hour")
        return svc.ha.multiplier if comp.high_availability and svc.ha is not None and instance_meter else 1.0

    def instance_type(self, cid: str):
        """Docs: the `instance_type` named, else the cheapest priced type with the vCPU and memory asked."""
        size, svc = self.size(cid), self.svc[cid]
        typed = [p for p in svc.prices if p.item == "hour" and p.instance_type]
        if not typed:
            return None
        named = [p for p in typed if p.instance_type == size.get("instance_type")]
        if named:
            return named[0]
        fits = [p for p in typed if p.vcpu >= float(size.get("vcpu") or 0) and p.memory_gb >= float(size.get("memory_gb") or 0)]
        return min(fits, key=lambda p: (p.usd, p.instance_type))

    def quantity(self, cid: str, price) -> float:
        """The quantity of a meter, before the price's factor and free quantity (docs: the sizing table)."""
        s = self.size(cid)
        n, h = s["instances"], float(s["hours_per_month"])
        per = {
            "vcpu_hour": lambda: float(s.get("vcpu") or 0) * n * h,
            "gb_hour": lambda: float(s.get("memory_gb") or 0) * n * h,
            "hour": lambda: n * h,
            "cluster_hour": lambda: h,
            "capacity_unit_hour": lambda: float(s.get("capacity_units", 1)) * h,
            "storage_gb_month": lambda: float(s.get("storage_gb") or 0),
            "egress_gb": lambda: float(s.get("egress_gb") or 0),
            "processed_gb": lambda: float(s.get("processed_gb", s.get("egress_gb")) or 0),
            "requests_million": lambda: float(s["requests_millions"]),
            "month": lambda: float(s.get("count", 1)),
            "user_month": lambda: float(s.get("users") or 0),
            "thousand_messages": lambda: float(s.get("messages_thousands") or 0),
            "ingested_gb": lambda: float(s.get("ingested_gb") or 0),
            "scanned_tb": lambda: float(s.get("scanned_tb") or 0),
            "gb_second": lambda: float(s["requests_millions"]) * 1e6 * float(s.get("duration_ms", 200)) / 1000 * float(s.get("memory_gb") or 0),
        }
        return per[price.item]()

    def usage(self, cid: str, skip: tuple[str, ...] = ()) -> list[tuple[object, float]]:
        """(price, quantity) for each of the service's meters that applies."""
        chosen = self.instance_type(cid)
        return [
            (p, self.quantity(cid, p))
            for p in self.svc[cid].prices
            if p.item not in skip and not (p.item == "hour" and p.instance_type and p is not chosen)
        ]

    def free(self, cid: str, price) -> float:
        """Docs: a free tier is the account's, shared by the components that use the meter by their use."""
        if not price.free_quantity:
            return 0.0
        same = lambda p: (p.item, p.unit, p.usd, p.free_quantity) == (price.item, price.unit, price.usd, price.free_quantity)
        plain = [c for c, s in self.svc.items() if s is not None and c not in self.host_of and c not in self.hosts]
        use = {c: sum(q * p.factor for p, q in self.usage(c) if same(p)) for c in plain}
        use = {c: u for c, u in use.items() if any(same(p) for p, _ in self.usage(c))}
        if len(use) < 2:
            return price.free_quantity
        return price.free_quantity * use[cid] / sum(use.values())

    def meters(self, cid: str, skip: tuple[str, ...] = ()) -> list[tuple[object, float, float]]:
        """(price, quantity, monthly) for each of the service's meters that applies."""
        return [
            (p, q, max(q * p.factor - self.free(cid, p), 0) * self.ha(cid, p) * p.usd)
            for p, q in self.usage(cid, skip)
        ]

    def nodes(self, host: str) -> tuple[object, float, float]:
        """(node price, node count, the nodes' month) of a cluster: enough nodes for its guests."""
        node, s = self.instance_type(host), self.size(host)
        guests = [g for g, h in self.host_of.items() if h == host]
        want_v = sum(float(self.size(g).get("vcpu") or 0) * self.size(g)["instances"] * float(self.size(g)["hours_per_month"]) for g in guests)
        want_m = sum(float(self.size(g).get("memory_gb") or 0) * self.size(g)["instances"] * float(self.size(g)["hours_per_month"]) for g in guests)
        hours = float(s["hours_per_month"])
        count = max(s["instances"], math.ceil(want_v / (node.vcpu * hours) - 1e-9), math.ceil(want_m / (node.memory_gb * hours) - 1e-9))
        return node, count, count * hours * node.usd * self.ha(host, node)

    def share(self, guest: str) -> tuple[float, float]:
        """(share, monthly): docs "(vCPU x replicas / node vCPU + GB x replicas / node GB) / 2", by its hours."""
        host = self.host_of[guest]
        node, count, cost = self.nodes(host)
        s, hours = self.size(guest), float(self.size(host)["hours_per_month"])
        n, gh = s["instances"], float(s["hours_per_month"])
        v = float(s.get("vcpu") or 0) * n * gh / (count * node.vcpu * hours)
        m = float(s.get("memory_gb") or 0) * n * gh / (count * node.memory_gb * hours)
        return (v + m) / 2, (v + m) / 2 * cost

    def volumes(self, guest: str) -> tuple[object, float, float] | None:
        """The guest's persistent volumes at the host's block storage rate."""
        store = next((p for p in self.svc[self.host_of[guest]].prices if p.item == "storage_gb_month"), None)
        s = self.size(guest)
        if store is None or not s.get("storage_gb"):
            return None
        q = float(s["storage_gb"]) * s["instances"]
        return store, q, q * store.usd

    def line(self, cid: str) -> float | None:
        if self.svc[cid] is None:
            return None
        for other, comp in self.model.components.items():  # priced on the line of the WAF_v2 that is it
            tier = self.svc.get(other) and self.svc[other].tier_of
            if tier and tier.service == self.svc[cid].key and cid in comp.protects:
                return 0.0
        if cid in self.host_of:
            vol = self.volumes(cid)
            return self.share(cid)[1] + (vol[2] if vol else 0.0)
        if not self.svc[cid].prices:
            return None
        if cid in self.hosts:
            skip = ("hour",) + (() if self.size(cid).get("storage_gb") else ("storage_gb_month",))
            own = sum(usd for _, _, usd in self.meters(cid, skip))
            shares = sum(self.share(g)[1] for g, h in self.host_of.items() if h == cid)
            return own + self.nodes(cid)[2] - shares
        return sum(usd for _, _, usd in self.meters(cid))


@pytest.mark.parametrize(("file", "provider", "table"), [pytest.param(*t, id=f"{Path(t[0]).stem}-{t[1]}") for t in _worked_tables()])
def test_the_worked_estimate_recomputes_from_the_catalogs_unit_prices(file, provider, table):
    model = load_model(ROOT / file)
    calc = _Recompute(model, provider)
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in table.splitlines()[2:]]
    *lines, total = rows
    by_component: dict[str, float] = {}
    unpriced: list[str] = []
    for comps, name, quantity, free, ha, unit, monthly in lines:
        for cid in re.findall(r"`([^`]+)`", comps):
            svc = calc.svc[cid]
            where = f"{file} {cid}: {quantity}"
            if monthly == "not priced":
                assert calc.line(cid) is None and svc is not None and svc.unpriced in quantity, where
                unpriced.append(cid)
                continue
            assert svc.name == name, where
            shown = _usd(monthly)
            if quantity.startswith("share of the nodes:"):
                share, usd = calc.share(cid)
                assert _numbers(quantity)[-1] == pytest.approx(100 * share, abs=0.006), where
                assert _usd(unit) == pytest.approx(calc.nodes(calc.host_of[cid])[2], abs=0.006), where
            elif quantity.startswith("less the shares"):
                usd = -sum(calc.share(g)[1] for g, h in calc.host_of.items() if h == cid)
            elif quantity.startswith("priced on "):
                # docs: a WAF whose service is a tier of this one's (WAF_v2) is this gateway, priced once
                shield = re.match(r"priced on (\S+)'s line", quantity).group(1)
                tier = calc.svc[shield].tier_of
                assert cid in model.components[shield].protects and tier and tier.service == svc.key, where
                usd = 0.0
            else:
                rate = _usd(unit)
                if cid in calc.host_of:  # a guest's volumes
                    price, qty, usd = calc.volumes(cid)
                elif "nodes x" in quantity:  # a cluster's nodes
                    price, count, usd = calc.nodes(cid)
                    qty = count * float(calc.size(cid)["hours_per_month"])
                    assert price.instance_type in quantity, where
                else:
                    found = [(p, q, u) for p, q, u in calc.meters(cid) if p.usd == rate and p.unit in unit]
                    assert len(found) == 1, f"{where}: {unit} is not one price of {svc.key} in the catalog"
                    price, qty, usd = found[0]
                assert price.usd == rate, where
                shown_free = float(free.replace(",", ""))
                expected_free = calc.free(cid, price) if cid not in calc.host_of and cid not in calc.hosts else price.free_quantity
                assert shown_free == pytest.approx(expected_free, rel=1e-3, abs=1e-3), where
                assert float(ha) == calc.ha(cid, price), where
                # the quantity the page shows is the one the documented sizing gives
                assert math.prod(_numbers(quantity.split("(")[0])) == pytest.approx(qty * price.factor, rel=1e-3, abs=1e-3), where
            assert shown == pytest.approx(usd, abs=0.006), where
            by_component[cid] = by_component.get(cid, 0.0) + usd
    # every line of the estimate, recomputed, and no more; the total adds up
    est = estimate(model, provider)
    assert set(by_component) | set(unpriced) == {ln.component for ln in est.lines}
    for cid, usd in by_component.items():
        assert calc.line(cid) == pytest.approx(usd, abs=0.01), cid  # no meter of the service left out
        assert est.line(cid).usd == pytest.approx(usd, abs=0.01), cid
    assert _usd(total[-1]) == pytest.approx(sum(by_component.values()), abs=0.02)
    assert tuple(sorted(unpriced)) == tuple(sorted(est.unpriced))
    if unpriced:
        assert f"+ {len(unpriced)} not priced" in total[-1]
