"""The loader: every bad-input class is reported at its exact FILE:LINE:COLUMN."""

from __future__ import annotations

import textwrap

import pytest

from archgen.errors import ModelErrors
from archgen.sources.loader import MAX_NODES, load_model, parse_model

BASE = """\
archgen: 1
name: shop
provider: aws
components:
  users:
    kind: actor
  api:
    kind: container_service
    title: API
flows:
  - users -> api: https
"""


def errors_of(text: str | bytes, file: str = "m.yaml") -> list[str]:
    with pytest.raises(ModelErrors) as info:
        parse_model(text, file)
    return [str(e) for e in info.value.errors]


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


def test_yaml_syntax_error_points_at_the_problem():
    text = BASE.replace("    title: API\n", "    title: [API\n")
    (msg,) = errors_of(text)
    assert msg.startswith("m.yaml:10:6: YAML syntax error: did not find expected ',' or ']'")


def test_tabs_get_a_hint():
    text = BASE.replace("    title: API", "\ttitle: API")
    (msg,) = errors_of(text)
    assert msg.startswith("m.yaml:9:")
    assert "tabs" in msg


def test_duplicate_keys_are_errors_not_silently_overwritten():
    text = BASE.replace("    title: API\n", "    title: API\n    kind: function\n")
    assert errors_of(text) == ["m.yaml:10:5: duplicate key 'kind' (first at line 8)"]


def test_duplicate_component_ids():
    text = BASE.replace("flows:\n", "  api:\n    kind: function\nflows:\n")
    assert errors_of(text) == ["m.yaml:10:3: duplicate key 'api' (first at line 7)"]


def test_unknown_field_with_did_you_mean():
    text = BASE.replace("    title: API", "    titel: API")
    assert errors_of(text) == ["m.yaml:9:5: unknown field 'titel' (did you mean 'title'?)"]


def test_unknown_top_level_field():
    text = BASE.replace("provider: aws\n", "provider: aws\nflow: []\n")
    assert errors_of(text) == ["m.yaml:4:1: unknown field 'flow' (did you mean 'flows'?)"]


def test_unknown_kind_with_did_you_mean():
    text = BASE.replace("kind: container_service", "kind: container-service")
    (msg,) = errors_of(text)
    assert msg.startswith("m.yaml:8:11: unknown kind 'container-service' (did you mean 'container_service'?)")


def test_unknown_service_for_provider():
    text = BASE.replace("    title: API", "    service: cloud_run")
    (msg,) = errors_of(text)
    assert msg.startswith("m.yaml:9:14: unknown service 'cloud_run' for kind container_service on aws")
    assert "ecs_fargate" in msg


def test_flow_to_missing_component():
    text = BASE.replace("users -> api: https", "users -> apj: https")
    assert errors_of(text) == ["m.yaml:11:5: flow names a missing component 'apj' (did you mean 'api'?)"]


def test_long_form_flow_to_missing_component_points_at_the_field():
    text = BASE.replace("  - users -> api: https\n", "  - from: users\n    to: nowhere\n")
    assert errors_of(text) == ["m.yaml:12:9: flow names a missing component 'nowhere'"]


def test_malformed_flow_shorthand():
    text = BASE.replace("users -> api: https", "users => api")
    assert errors_of(text) == ["m.yaml:11:5: a flow must read 'a -> b' or 'a -> b: label', got 'users => api'"]


def test_component_id_not_a_slug():
    text = BASE.replace("  api:\n", "  API Server:\n").replace("users -> api", "users -> users")
    msgs = errors_of(text)
    assert msgs[0].startswith("m.yaml:7:3: component id 'API Server' is not a slug")


def test_model_name_not_a_slug():
    text = BASE.replace("name: shop", "name: My Shop")
    (msg,) = errors_of(text)
    assert msg.startswith("m.yaml:2:7: name 'My Shop' is not a slug")


def test_wrong_type():
    text = BASE.replace("    title: API", "    high_availability: maybe")
    (msg,) = errors_of(text)
    assert msg.startswith("m.yaml:9:24: 'components.api.high_availability': input should be a valid boolean")


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
