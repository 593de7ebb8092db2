"""The loader: every bad-input class is reported at its exact FILE:LINE:COLUMN."""

from __future__ import annotations

import textwrap

import pytest
from modeltexts import SHOP as BASE
from modeltexts import errors_of, with_zones

from archgen.errors import ModelErrors
from archgen.sources.loader import MAX_NODES, load_model, parse_model


def test_valid_model_keeps_positions_of_components_flows_and_fields():
    model = parse_model(BASE, "m.yaml")
    api = model.components["api"]
    assert api.id == "api"
    assert str(api.loc) == "m.yaml:7:3"
    assert str(api.loc_of("title")) == "m.yaml:9:5"
    flow = model.flows[0]
    assert (flow.source, flow.to, flow.label) == ("users", "api", "https")
    assert str(flow.loc) == "m.yaml:11:5"
    assert str(model.loc_of("provider")) == "m.yaml:3:1"


def test_flow_shorthand_and_long_form_mean_the_same():
    text = BASE.replace(
        "  - users -> api: https\n",
        "  - users -> api\n  - from: api\n    to: users\n    label: push\n    data: [pii]\n",
    )
    model = parse_model(text)
    assert [(f.source, f.to, f.label) for f in model.flows] == [("users", "api", None), ("api", "users", "push")]
    assert model.flows[1].data == ["pii"]


def test_defaults_follow_model_md():
    model = parse_model(BASE)
    assert model.components["users"].is_public is True
    assert model.components["api"].is_public is False
    assert model.components["api"].encrypted is True and model.components["api"].tls is True
    assert model.requirements.portability == "low"


#: (what, the edit of BASE, the one error it gives: the whole message, or its start when it ends with "...").
BAD_EDITS = [
    ("YAML syntax error", "    title: API\n", "    title: [API\n",
     "m.yaml:10:6: YAML syntax error: did not find expected ',' or ']'..."),
    ("tab", "    title: API", "\ttitle: API", "m.yaml:9:..."),
    ("duplicate key", "    title: API\n", "    title: API\n    kind: function\n",
     "m.yaml:10:5: duplicate key 'kind' (first at line 8)"),
    ("duplicate component id", "flows:\n", "  api:\n    kind: function\nflows:\n",
     "m.yaml:10:3: duplicate key 'api' (first at line 7)"),
    ("unknown field", "    title: API", "    titel: API", "m.yaml:9:5: unknown field 'titel' (did you mean 'title'?)"),
    ("unknown top-level field", "provider: aws\n", "provider: aws\nflow: []\n",
     "m.yaml:4:1: unknown field 'flow' (did you mean 'flows'?)"),
    ("unknown kind", "kind: container_service", "kind: container-service",
     "m.yaml:8:11: unknown kind 'container-service' (did you mean 'container_service'?)..."),
    ("unknown service", "    title: API", "    service: cloud_run",
     "m.yaml:9:14: unknown service 'cloud_run' for kind container_service on aws..."),
    ("flow to a missing component", "users -> api: https", "users -> apj: https",
     "m.yaml:11:5: flow names a missing component 'apj' (did you mean 'api'?)"),
    ("long-form flow to a missing component", "  - users -> api: https\n", "  - from: users\n    to: nowhere\n",
     "m.yaml:12:9: flow names a missing component 'nowhere'"),
    ("malformed flow shorthand", "users -> api: https", "users => api",
     "m.yaml:11:5: a flow must read 'a -> b' or 'a -> b: label', got 'users => api'"),
    ("model name not a slug", "name: shop", "name: My Shop", "m.yaml:2:7: name 'My Shop' is not a slug..."),
    ("wrong type", "    title: API", "    high_availability: maybe",
     "m.yaml:9:24: 'components.api.high_availability': input should be a valid boolean..."),
]


@pytest.mark.parametrize("what,old,new,expected", BAD_EDITS, ids=[b[0] for b in BAD_EDITS])
def test_a_bad_edit_is_one_error_at_its_place(what, old, new, expected):
    (msg,) = errors_of(BASE.replace(old, new))
    if expected.endswith("..."):
        assert msg.startswith(expected[:-3])
    else:
        assert msg == expected


def test_tabs_get_a_hint():
    (msg,) = errors_of(BASE.replace("    title: API", "\ttitle: API"))
    assert "tabs" in msg


def test_an_unknown_service_names_the_known_ones():
    (msg,) = errors_of(BASE.replace("    title: API", "    service: cloud_run"))
    assert "ecs_fargate" in msg


def test_component_id_not_a_slug():
    text = BASE.replace("  api:\n", "  API Server:\n").replace("users -> api", "users -> users")
    msgs = errors_of(text)
    assert msgs[0].startswith("m.yaml:7:3: component id 'API Server' is not a slug")


def test_missing_required_fields():
    msgs = errors_of("archgen: 1\nname: x\n")
    assert msgs == [
        "m.yaml:1:1: missing required field 'components'",
        "m.yaml:1:1: missing required field 'provider'",
    ]


def test_empty_file_and_comment_only_file():
    assert errors_of("") == ["m.yaml:1:1: the file is empty; a model starts with 'archgen: 1'"]
    assert errors_of("# nothing\n\n") == ["m.yaml:1:1: the file is empty; a model starts with 'archgen: 1'"]


def test_document_that_is_not_a_mapping():
    (msg,) = errors_of("- a\n- b\n")
    assert msg.startswith("m.yaml:1:1: a model must be a mapping")


def test_non_utf8_bytes_are_located():
    raw = BASE.replace("title: API", "title: Caf\xe9").encode("latin-1")
    (msg,) = errors_of(raw)
    assert msg == "m.yaml:9:15: the file is not valid UTF-8 (byte 0xe9); save it as UTF-8"


def test_bom_and_crlf_are_accepted():
    model = parse_model(b"\xef\xbb\xbf" + BASE.replace("\n", "\r\n").encode())
    assert str(model.components["api"].loc) == "<model>:7:3"


def test_billion_laughs_fails_fast_with_a_message():
    lol = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lol.append(f"{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
    text = "archgen: 1\n" + "\n".join(lol) + "\n"
    (msg,) = errors_of(text)
    assert f"expands to more than {MAX_NODES:,} nodes" in msg
    assert msg.startswith("m.yaml:")


def test_recursive_alias_is_refused():
    (msg,) = errors_of("archgen: 1\nname: &n [*n]\n")
    assert "alias refers to itself" in msg


def test_deep_nesting_is_refused():
    text = "archgen: 1\nx: " + "[" * 200 + "]" * 200 + "\n"
    (msg,) = errors_of(text)
    assert "nested too deeply" in msg


def test_long_values_are_cut_in_messages():
    text = BASE.replace("kind: container_service", "kind: " + "z" * 5000)
    (msg,) = errors_of(text)
    assert len(msg) < 600


def test_language_specific_tags_are_refused():
    text = BASE.replace("    title: API", "    title: !!python/object:os.system ls")
    (msg,) = errors_of(text)
    assert msg.startswith("m.yaml:9:12: YAML tag")


def test_accept_needs_a_reason():
    text = BASE.replace("    title: API", "    accept:\n      MODEL-ORPHAN: ''")
    assert errors_of(text) == ["m.yaml:10:21: accepting MODEL-ORPHAN needs a reason: say why the risk is accepted"]


def test_all_problems_of_a_file_at_once():
    text = BASE.replace("    title: API", "    titel: API").replace("users -> api", "users -> nope").replace(
        "kind: actor", "kind: actr"
    )
    msgs = errors_of(text)
    assert len(msgs) >= 2
    assert any("titel" in m for m in msgs) and any("actr" in m for m in msgs)


def test_merge_keys_work_and_explicit_keys_win():
    text = textwrap.dedent(
        """\
        archgen: 1
        name: shop
        provider: aws
        components:
          users: {kind: actor}
          api: &svc
            kind: container_service
            high_availability: true
          worker:
            <<: *svc
            high_availability: false
        flows:
          - users -> api
          - api -> worker
        """
    )
    model = parse_model(text)
    assert model.components["worker"].kind == "container_service"
    assert model.components["worker"].high_availability is False


def test_load_model_reports_the_path(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("archgen: 2\nname: x\nprovider: aws\ncomponents: {}\n")
    with pytest.raises(ModelErrors) as info:
        load_model(p)
    (err,) = info.value.errors
    assert err.location.file.endswith("bad.yaml")
    assert "unsupported format version 2" in err.message


def test_empty_group_is_an_error_not_a_crash_later():
    (msg,) = errors_of(BASE.replace("    title: API", "    group: ''"))
    assert msg.startswith("m.yaml:9:12: 'components.api.group': string should have at least 1 character")


# ---------------------------------------------------------------------------
# the additions for real stacks (issue 17)

REAL = with_zones(
    "real",
    """\
  spa: {kind: client_app, platform: web}
  edge: {kind: waf, protects: [lb]}
  lb: {kind: load_balancer, public: true}
  platform: {kind: kubernetes_cluster, service: eks}
  api: {kind: container_service, runs_on: platform}
  model: {kind: ml_endpoint, runs_on: platform, service: kserve}
  db: {kind: postgres}
  box: {kind: vm, zone: on_prem}
  ledger: {kind: postgres, runs_on: box}
flows:
  - spa -> lb: JSON/HTTPS
  - lb -> api
  - from: api
    to: model
    protocol: grpc
    auth: mtls
    async: false
    rps: 120
  - api -> db: postgres
""")


def test_a_model_with_every_new_field_loads_with_its_values():
    model = parse_model(REAL, "m.yaml")
    c = model.components
    assert model.zones["head-office"].trusted is True and model.zones["head-office"].title == "Head office"
    assert c["staff"].zone == "head-office" and c["spa"].platform == "web" and c["edge"].protects == ["lb"]
    assert c["api"].runs_on == "platform"
    flow = model.flows[2]
    assert (flow.protocol, flow.auth, flow.is_async, flow.rps) == ("grpc", "mtls", False, 120)
    assert str(flow.loc_of("protocol")) == "m.yaml:23:5"
    # where each sits: written, its host's, or its kind's default (catalog data)
    assert [model.zone_of(c[i]) for i in ("users", "staff", "spa", "lb", "api", "box", "ledger")] == [
        "internet", "head-office", "internet", "cloud", "cloud", "on_prem", "on_prem",
    ]


def test_a_placed_component_takes_its_service_from_the_kubernetes_catalog():
    from archgen.catalog import get_catalog

    cat = get_catalog()
    model = parse_model(REAL)
    c = model.components
    assert cat.placement_provider(model, c["api"]) == "kubernetes"
    assert cat.placement_provider(model, c["db"]) == "aws"
    assert cat.resolve_service(model, c["api"]).key == "deployment"
    assert cat.resolve_service(model, c["model"]).key == "kserve"
    assert cat.resolve_service(model, c["db"]).key == "rds_postgres"
    assert cat.resolve_service(model, c["ledger"]).key == "cloudnative_pg"  # a VM's guest: the software
    for provider in ("aws", "azure", "gcp", "kubernetes"):
        # it runs on the cluster wherever the cluster runs; what is managed moves with the provider
        assert cat.resolve_service(model, c["api"], provider).key == "deployment"
        assert cat.resolve_service(model, c["db"], provider).provider == provider


def test_kserve_without_runs_on_is_still_refused_on_aws():
    text = REAL.replace("  model: {kind: ml_endpoint, runs_on: platform, service: kserve}", "  model: {kind: ml_endpoint, service: kserve}")
    (err,) = errors_of(text)
    assert err.startswith("m.yaml:14:39: unknown service 'kserve' for kind ml_endpoint on aws; services for ml_endpoint on aws: sagemaker_endpoint")


#: (name, edit of REAL, the error it gives): one bad input each, at its FILE:LINE:COLUMN.
BAD_REAL = [
    ("runs_on a missing component", ("runs_on: platform}\n  model", "runs_on: platfrom}\n  model"),
     "m.yaml:13:43: runs_on names a missing component 'platfrom' (did you mean 'platform'?)"),
    ("runs_on what is no host", ("api: {kind: container_service, runs_on: platform}", "api: {kind: container_service, runs_on: db}"),
     "m.yaml:13:43: 'api' runs on 'db' (kind postgres): only a kubernetes_cluster or vm can host components; hosts in this model: box, platform"),
    ("placed on itself", ("box: {kind: vm, zone: on_prem}", "box: {kind: vm, runs_on: box}"),
     "m.yaml:16:28: 'box' cannot run on itself; runs_on names the kubernetes_cluster or vm it runs on"),
    ("a cycle of placements", ("platform: {kind: kubernetes_cluster, service: eks}", "platform: {kind: kubernetes_cluster, runs_on: box2}\n  box2: {kind: vm, runs_on: platform}"),
     "m.yaml:13:29: a cycle of placements: 'box2' runs on 'platform', 'platform' runs on 'box2'"),
    ("a kind that is never provisioned", ("staff: {kind: actor, zone: head-office}", "staff: {kind: actor, runs_on: platform}"),
     "m.yaml:8:33: kind actor is never provisioned, so 'staff' cannot run on 'platform'"),
    ("a kind with no Kubernetes service", ("db: {kind: postgres}", "db: {kind: cdn, runs_on: platform}"),
     "m.yaml:15:28: kind cdn cannot run on 'platform': the kubernetes catalog has no service for it"),
    ("a managed service on a cluster", ("service: kserve}", "service: sagemaker_endpoint}"),
     "m.yaml:14:58: unknown service 'sagemaker_endpoint' for kind ml_endpoint on kubernetes running on 'platform' (a placed component's service comes from the kubernetes catalog); services for ml_endpoint on kubernetes: kserve, seldon_core"),
    ("a guest in another zone than its host", ("api: {kind: container_service, runs_on: platform}", "api: {kind: container_service, runs_on: platform, zone: on_prem}"),
     "m.yaml:13:59: 'api' runs on 'platform' in zone cloud, so it sits there too; drop 'zone: on_prem' or move 'platform'"),
    ("unknown zone", ("zone: head-office}", "zone: head-ofice}"),
     "m.yaml:8:30: unknown zone 'head-ofice' (did you mean 'head-office'?); zones are: internet, cloud, on_prem, corporate, partner, head-office (add a zone of your own under 'zones:')"),
    ("the internet declared trusted", ("  head-office: {title", "  internet: {trusted: true}\n  head-office: {title"),
     "m.yaml:5:23: the internet cannot be trusted: anyone is on it (say where a component sits with a zone of your own)"),
    ("a zone id that is no slug", ("  head-office: {title", "  Head Office: {trusted: true}\n  head-office: {title"),
     "m.yaml:5:3: zone id 'Head Office' is not a slug"),
    ("a zone without trusted", ("{title: Head office, trusted: true}", "{title: Head office}"),
     "m.yaml:5:16: 'zones.head-office': missing required field 'trusted'"),
    ("unknown protocol, close to one", ("protocol: grpc", "protocol: grcp"),
     "m.yaml:23:15: unknown protocol 'grcp' (did you mean 'grpc'?)"),
    ("unknown protocol, a word of one", ("protocol: grpc", "protocol: postgresql"),
     "m.yaml:23:15: unknown protocol 'postgresql': the table calls it 'postgres'"),
    ("unknown auth", ("auth: mtls", "auth: mtl"),
     "m.yaml:24:11: 'flows.2.auth': 'mtl' is not one of 'none', 'api_key', 'token', 'oidc', 'iam' or 'mtls' (did you mean 'mtls'?)"),
    ("negative rps", ("rps: 120", "rps: -5"),
     "m.yaml:26:10: 'flows.2.rps': input should be greater than or equal to 0, got -5"),
    ("platform on a kind without a device", ("db: {kind: postgres}", "db: {kind: postgres, platform: web}"),
     "m.yaml:15:24: 'platform' says where an app on a user's device runs (client_app); 'db' is kind postgres"),
    ("unknown platform", ("platform: web}", "platform: tv}"),
     "m.yaml:9:37: 'components.spa.platform': 'tv' is not one of 'web', 'mobile' or 'desktop'"),
    ("protects on a kind that is no shield", ("db: {kind: postgres}", "db: {kind: postgres, protects: [api]}"),
     "m.yaml:15:24: 'protects' lists what a waf sits in front of; 'db' is kind postgres"),
    ("protects a missing component", ("protects: [lb]", "protects: [lbb]"),
     "m.yaml:10:32: protects names a missing component 'lbb' (did you mean 'lb'?)"),
    ("protects itself", ("protects: [lb]", "protects: [edge]"),
     "m.yaml:10:32: 'edge' cannot protect itself"),
]


@pytest.mark.parametrize("name,edit,expected", BAD_REAL, ids=[b[0] for b in BAD_REAL])
def test_bad_input_of_real_stacks_is_reported_where_it_stands(name, edit, expected):
    old, new = edit
    assert old in REAL, name
    errors = errors_of(REAL.replace(old, new, 1))
    assert len(errors) == 1, errors
    assert errors[0].startswith(expected), errors[0]


def test_a_cycle_of_placements_is_reported_once_with_its_members():
    text = REAL.replace(
        "  box: {kind: vm, zone: on_prem}", "  box: {kind: vm, runs_on: box2}\n  box2: {kind: vm, runs_on: box3}\n  box3: {kind: vm, runs_on: box}"
    )
    (err,) = errors_of(text)
    assert err == "m.yaml:16:28: a cycle of placements: 'box' runs on 'box2', 'box2' runs on 'box3', 'box3' runs on 'box'"


def test_every_problem_of_real_stacks_comes_at_once():
    text = (
        REAL.replace("runs_on: platform}\n  model", "runs_on: platfrom}\n  model")
        .replace("zone: head-office}", "zone: head-ofice}")
        .replace("protects: [lb]", "protects: [lbb]")
        .replace("db: {kind: postgres}", "db: {kind: postgres, platform: web}")
    )
    errors = errors_of(text)
    assert len(errors) == 4
    assert [e.split(":")[1] for e in errors] == ["8", "10", "13", "15"]


def test_bad_input_of_real_stacks_exits_2_without_a_traceback(tmp_path, run_cli):
    path = tmp_path / "m.yaml"
    path.write_text(REAL.replace("runs_on: platform}\n  model", "runs_on: platfrom}\n  model"), encoding="utf-8")
    result = run_cli("check", str(path))
    assert result.returncode == 2
    assert "runs_on names a missing component 'platfrom' (did you mean 'platform'?)" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_built_in_zone_may_be_re_declared_untrusted():
    """MODEL.md: cloud, on_prem and corporate are trusted unless `zones:` says otherwise."""
    from archgen.graph.facts import crosses_trust_boundary

    model = parse_model(
        "archgen: 1\nname: m\nprovider: aws\nzones:\n  on_prem: {title: Old data centre, trusted: false}\n"
        "components:\n  api: {kind: container_service}\n  mainframe: {kind: external, zone: on_prem}\n"
        "flows:\n  - api -> mainframe: https\n",
        "m.yaml",
    )
    assert model.zone_trusted("on_prem") is False and model.zone_title("on_prem") == "Old data centre"
    assert crosses_trust_boundary(model, model.flows[0])
