"""The reader of `terraform show -json` (archgen.infra.tfjson) and the kind guesses
(archgen.infra.kinds): documents as Terraform writes them, and what is not one of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archgen.errors import ModelErrors
from archgen.infra import kinds, tfjson


def _res(address: str, rtype: str, name: str, values: dict, mode: str = "managed", index=None) -> dict:
    out = {"address": address, "mode": mode, "type": rtype, "name": name,
           "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "values": values}
    if index is not None:
        out["index"] = index
    return out


PLAN = {
    "format_version": "1.2",
    "terraform_version": "1.11.4",
    "planned_values": {"root_module": {
        "resources": [
            _res("aws_security_group.db", "aws_security_group", "db", {"tags": {"archgen:component": "db"}, "tags_all": {"archgen:model": "m", "archgen:component": "db"}}),
            _res("data.aws_region.current", "aws_region", "current", {}, mode="data"),
        ],
        "child_modules": [{"address": "module.net", "resources": [
            _res('module.net.aws_subnet.private["a.b"]', "aws_subnet", "private", {"cidr_block": "10.0.1.0/24"}, index="a.b"),
        ], "child_modules": [{"address": "module.net.module.inner", "resources": [
            _res("module.net.module.inner.aws_vpc.main[0]", "aws_vpc", "main", {}, index=0),
        ]}]}],
    }},
    "resource_changes": [],
    "configuration": {"root_module": {
        "resources": [{"address": "aws_vpc_security_group_ingress_rule.db_from_api", "mode": "managed",
                       "type": "aws_vpc_security_group_ingress_rule", "name": "db_from_api",
                       "expressions": {"security_group_id": {"references": ["aws_security_group.db.id", "aws_security_group.db"]},
                                       "referenced_security_group_id": {"references": ["aws_security_group.api.id", "aws_security_group.api"]},
                                       "description": {"references": ["var.name", "local.x"]}}}],
        "module_calls": {"net": {"module": {"resources": [{"address": "aws_subnet.private", "mode": "managed", "type": "aws_subnet",
                                                           "name": "private", "expressions": {"vpc_id": {"references": ["module.inner.vpc_id", "aws_vpc.other.id"]}}}]}}},
    }},
}


def _write(tmp_path: Path, doc, name: str = "plan.json") -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


def test_a_plan_gives_its_managed_resources_sorted_with_modules_tags_and_keys(tmp_path):
    infra = tfjson.read([_write(tmp_path, PLAN)])
    assert [r.address for r in infra.resources] == [
        "aws_security_group.db", "module.net.aws_subnet.private[\"a.b\"]", "module.net.module.inner.aws_vpc.main[0]",
    ]  # the data source is left out
    sg, subnet, vpc = infra.resources
    assert (sg.module, subnet.module, vpc.module) == ("", "module.net", "module.net.module.inner")
    assert sg.tags == {"archgen:component": "db", "archgen:model": "m"}  # tags_all and tags merged
    assert (subnet.index, vpc.index, sg.index) == ("a.b", 0, None)
    assert subnet.config_address == "module.net.aws_subnet.private" and subnet.provider == "aws"
    assert subnet.source == tmp_path / "plan.json" and subnet.values["cidr_block"] == "10.0.1.0/24"
    # references from the configuration, module-qualified; module outputs and variables are not resources
    assert subnet.references == {"vpc_id": ("module.net.aws_vpc.other",)}


def test_references_of_a_resource_the_plan_values_do_not_list_yet_are_kept(tmp_path):
    doc = json.loads(json.dumps(PLAN))
    doc["planned_values"]["root_module"]["resources"].append(
        _res("aws_vpc_security_group_ingress_rule.db_from_api", "aws_vpc_security_group_ingress_rule", "db_from_api", {"from_port": 5432}))
    rule = next(r for r in tfjson.read([_write(tmp_path, doc)]).resources if r.name == "db_from_api")
    assert rule.references == {"referenced_security_group_id": ("aws_security_group.api",), "security_group_id": ("aws_security_group.db",)}
    assert rule.referenced() == {"aws_security_group.api", "aws_security_group.db"}


def test_a_state_and_several_root_modules(tmp_path):
    state = {"format_version": "1.0", "terraform_version": "1.9.0", "values": {"root_module": {"resources": [
        _res("aws_s3_bucket.logs", "aws_s3_bucket", "logs", {"bucket": "logs"})]}}}
    infra = tfjson.read([_write(tmp_path, PLAN), _write(tmp_path, state, "state.json")])
    assert len(infra) == 4 and infra.resources[0].address == "aws_s3_bucket.logs"
    assert infra.resources[0].source.name == "state.json"
    assert infra.by_address()["module.net.module.inner.aws_vpc.main"].type == "aws_vpc"


@pytest.mark.parametrize(
    "text, says",
    [
        ("{not json", r"plan\.json:1:2: not valid JSON"),
        ("[1, 2]", r"plan\.json: not the output of `terraform show -json`: the document is not an object"),
        ('{"kind": "Deployment"}', r"plan\.json: not the output of `terraform show -json` \(no format_version\)"),
        ('{"format_version": "2.0", "planned_values": {}}', r"plan\.json: format_version 2\.0 is not supported"),
        ('{"format_version": "1.0"}', r"plan\.json: the state is empty"),
        ('{"format_version": "1.0", "values": {"root_module": {}}}', r"plan\.json: the state is empty"),
        ('{"format_version": "1.0", "something": {}}', r"plan\.json: not the output of `terraform show -json`: neither"),
        ('{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"x": 1}]}}}', r"a resource without address"),
        ('{"@level":"info","@message":"Terraform 1.11.4","type":"version"}\n{"@level":"info"}\n', r"streamed log of `terraform plan -json`"),
    ],
)
def test_what_is_not_a_plan_or_a_state_is_one_file_error(tmp_path, text, says):
    with pytest.raises(ModelErrors) as info:
        tfjson.read([_write(tmp_path, text)])
    assert len(info.value.errors) == 1 and info.value.exit_code == 2
    import re

    assert re.search(says, str(info.value)), str(info.value)
    assert str(info.value).startswith(str(tmp_path / "plan.json"))


def test_a_missing_file_is_a_file_error(tmp_path):
    with pytest.raises(ModelErrors, match=r"nope\.json: cannot read the file"):
        tfjson.read([tmp_path / "nope.json"])


# -- kinds ---------------------------------------------------------------------------


def test_a_primary_type_is_guessed_from_the_catalog_and_a_helper_is_not():
    rds = kinds.guess("aws_db_instance")
    assert (rds.kind, rds.provider, rds.service) == ("postgres", "aws", "rds_postgres")
    assert "rds_mysql (mysql)" in rds.reason  # the reason names the other readings
    assert kinds.guess("aws_s3_bucket").kind == "object_storage"  # infra/data/preferred.yaml
    assert kinds.guess("aws_lambda_function").kind == "function"  # the kind's default service wins
    assert kinds.guess("aws_s3_bucket_policy") is None  # a helper of a bucket, not a component
    assert kinds.guess("helm_release") is None  # the primary type of too many kinds to say
    assert kinds.guess("not_a_type") is None


def test_every_guess_names_a_catalog_service_that_lists_the_type_first():
    from archgen.catalog import get_catalog

    catalog = get_catalog()
    for rtype in sorted(kinds.primary_types()):
        g = kinds.guess(rtype)
        assert catalog.service(g.kind, g.provider, g.service).terraform[0] == rtype
