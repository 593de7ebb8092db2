"""Issue 23, the loader: hostile or careless YAML is refused while it is read, before
anything is built from it, and every oddity is a FILE:LINE:COLUMN error, all at once."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import textwrap

import pytest
from modeltexts import SHOP, errors_of

from archgen.decisions.store import parse_decision
from archgen.errors import ModelErrors
from archgen.sources.loader import MAX_NODES, MAX_SCALAR_BYTES, parse_model
from archgen.sources.yamlpos import MAX_DEPTH

#: The shared small model, with a requirement (peak_rps) for the tests of scalar values.
BASE = SHOP.replace("provider: aws\n", "provider: aws\nrequirements:\n  peak_rps: 50\n")


def _in_a_process(code: str, memory_mb: int = 700) -> subprocess.CompletedProcess:
    """Run ``code`` in a child Python with its address space capped: a document that
    would eat memory fails the child, not the test run."""

    def cap() -> None:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, preexec_fn=cap
    )


# ---------------------------------------------------------------------------
# refused while read: depth, size, aliases


@pytest.mark.parametrize(
    "name,text",
    [
        ("25,000 brackets", "archgen: 1\nx: " + "[" * 25_000 + "]" * 25_000 + "\n"),
        ("25,000 braces", "archgen: 1\nx: " + "{a: " * 25_000 + "1" + "}" * 25_000 + "\n"),
        ("25,000 block sequences", "archgen: 1\nx:\n" + "- " * 25_000 + "x\n"),
    ],
    ids=["brackets", "braces", "block-sequences"],
)
def test_deep_nesting_is_refused_before_the_composer_sees_it(name, text):
    # the C composer recursed once per level and overflowed the stack (exit 139)
    code = textwrap.dedent(
        f"""
        from archgen.errors import ModelErrors
        from archgen.sources.loader import parse_model
        try:
            parse_model({text!r}, "m.yaml")
        except ModelErrors as exc:
            print(exc)
        """
    )
    result = _in_a_process(code)
    assert result.returncode == 0, (result.returncode, result.stderr[-500:])
    assert f"nested too deeply (limit {MAX_DEPTH} levels)" in result.stdout
    assert result.stdout.startswith(("m.yaml:2:", "m.yaml:3:"))


def test_an_aliased_scalar_bomb_is_refused_by_its_expanded_size():
    # one 1 MiB scalar aliased 1,000 times: 1,000 nodes only, but 1 GB of text once expanded
    big = "x" * (1024 * 1024)
    text = f"archgen: 1\nname: shop\nprovider: aws\nbig: &b {big}\ncomponents:\n" + "".join(
        f"  c{i}: {{kind: actor, title: *b}}\n" for i in range(1000)
    )
    msg = _refusal_in_a_process(text)
    assert f"expands to more than {MAX_SCALAR_BYTES:,} characters through aliases" in msg
    # refused at the alias that crossed the budget, not after building the document
    line = int(msg.split(":")[1])
    assert 6 <= line < 6 + 1000 - 900


def _refusal_in_a_process(text: str) -> str:
    """The one message ``parse_model`` refuses ``text`` with, parsed in a child capped at
    600 MB (the text goes through a temporary file)."""
    import tempfile

    fh = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
    with fh:
        fh.write(text)
    code = textwrap.dedent(
        f"""
        from archgen.errors import ModelErrors
        from archgen.sources.loader import parse_model
        text = open({fh.name!r}).read()
        try:
            parse_model(text, "m.yaml")
        except ModelErrors as exc:
            print(exc)
        """
    )
    try:
        result = _in_a_process(code, memory_mb=600)
    finally:
        os.unlink(fh.name)
    assert result.returncode == 0, result.stderr[-500:]
    (msg,) = result.stdout.splitlines()
    return msg


def test_a_huge_file_of_many_nodes_is_refused_where_the_limit_is_crossed():
    # 15 MiB of list items: composed whole (2.4 GB, 49-114 s) before the limit was checked
    items = "  - x\n" * (15 * 1024 * 1024 // 6)
    text = "archgen: 1\nname: shop\nprovider: aws\ncomponents: {}\nx:\n" + items
    msg = _refusal_in_a_process(text)
    assert f"expands to more than {MAX_NODES:,} nodes" in msg
    line = int(msg.split(":")[1])
    assert line < MAX_NODES + 10  # about where the limit is crossed, not at the end of 2.6 M items


def test_an_unknown_alias_and_a_duplicate_anchor_are_located():
    assert errors_of("archgen: 1\nname: *n\n") == [
        "m.yaml:2:7: YAML syntax error: found undefined alias *n (no anchor &n before it)"
    ]
    assert errors_of("archgen: 1\na: &n 1\nb: &n 2\n") == [
        "m.yaml:3:4: YAML syntax error: found duplicate anchor &n (first at line 2)"
    ]


def test_two_documents_are_one_error():
    (msg,) = errors_of(BASE + "---\narchgen: 1\n")
    assert msg.startswith("m.yaml:14:1: YAML syntax error: expected a single document")


# ---------------------------------------------------------------------------
# every oddity at its FILE:LINE:COLUMN


def test_a_bool_tag_on_a_word_is_an_error_not_a_traceback():
    assert errors_of(BASE.replace("title: API", "title: !!bool maybe")) == [
        "m.yaml:11:12: cannot read 'maybe' as !!bool: write true or false, or drop the tag"
    ]


@pytest.mark.parametrize("tag,what", [("int", "an integer"), ("float", "a number"), ("bool", "true or false")])
def test_a_typed_tag_with_an_empty_value_is_an_error(tag, what):
    (msg,) = errors_of(BASE.replace("  peak_rps: 50", f"  peak_rps: !!{tag}"))
    assert msg == f"m.yaml:5:13: cannot read an empty value as !!{tag}: write {what}, or drop the tag"


@pytest.mark.parametrize("tag", ["int", "float", "bool"])
def test_a_typed_tag_with_an_empty_value_in_adr_front_matter_is_an_error(tag):
    text = f"---\nstatus: accepted\ndate: !!{tag}\n---\n# Use Postgres\n"
    with pytest.raises(ModelErrors) as info:
        parse_decision(text, "decisions/0002-use-postgres.md")
    assert any(
        e.location.line == 3 and f"cannot read an empty value as !!{tag}" in e.message for e in info.value.errors
    ), [str(e) for e in info.value.errors]


@pytest.mark.parametrize("version", ["true", "1.0", "yes"])
def test_the_format_version_is_the_integer_1(version):
    (msg,) = errors_of(BASE.replace("archgen: 1", f"archgen: {version}"))
    assert msg.startswith("m.yaml:1:10: unsupported format version")


@pytest.mark.parametrize("value", ["1e400", ".inf", "-.inf", ".nan"])
def test_infinite_numbers_are_refused(value):
    (msg,) = errors_of(BASE.replace("peak_rps: 50", f"peak_rps: {value}"))
    assert msg.startswith("m.yaml:5:13: 'requirements.peak_rps': input should be a finite number")


@pytest.mark.parametrize("where", ["  peak_rps: 50", "    title: API"], ids=["requirement", "sizing"])
def test_an_integer_too_large_for_a_float_is_refused_where_it_stands(where):
    # found by bench/fuzz.py: sizing: {vcpu: 1000...0} (401 digits) crashed check, compare and
    # terraform with OverflowError (int too large to convert to float)
    big = "1" + "0" * 400
    edit = f"  peak_rps: {big}" if where.startswith("  peak") else f"    title: API\n    sizing: {{vcpu: {big}}}"
    (msg,) = errors_of(BASE.replace(where, edit))
    assert msg.split(": ", 1)[0] in ("m.yaml:5:13", "m.yaml:12:20"), msg
    assert "is too large (at most about 1.8e308)" in msg


def test_an_id_with_a_trailing_newline_is_not_a_slug():
    # re.match with '$' accepted "api\n": resource "aws_ecs_cluster" "api\n"
    errors = errors_of(BASE.replace("  api:\n", '  "api\\n":\n'))
    assert errors[0].startswith("m.yaml:9:3: component id 'api\\n' is not a slug"), errors


def test_no_pattern_of_an_id_or_name_accepts_a_trailing_newline():
    from archgen.decisions.records import COMPONENT_REF_RE, FILE_RE, REF_RE
    from archgen.decisions.store import _DATE_RE, _TAG_RE

    for pattern, good in [
        (COMPONENT_REF_RE, "shop/api"), (FILE_RE, "0002-use-postgres.md"), (REF_RE, "ADR-0002"),
        (_DATE_RE, "2026-01-02"), (_TAG_RE, "security"),
    ]:
        assert pattern.match(good) and not pattern.match(good + "\n"), pattern.pattern


@pytest.mark.parametrize("word", ["on", "yes", "off", "no"])
def test_ids_that_yaml_reads_as_booleans_are_read_as_written(word):
    text = BASE.replace("  api:\n", f"  {word}:\n").replace("users -> api", f"users -> {word}")
    model = parse_model(text)
    assert word in model.components and model.flows[0].to == word


def test_a_word_yaml_reads_as_a_boolean_gets_a_hint():
    (msg,) = errors_of(BASE.replace("title: API", "title: yes"))
    assert msg == (
        "m.yaml:11:12: 'components.api.title': input should be a valid string, got True "
        "(YAML reads an unquoted yes as true: write 'yes' in quotes)"
    )


@pytest.mark.parametrize("name", ["con", "aux", "nul", "prn", "com1", "lpt9"])
def test_names_windows_reserves_are_refused_as_ids_and_model_names(name):
    errors = errors_of(BASE.replace("  api:\n", f"  {name}:\n").replace("users -> api", f"users -> {name}"))
    assert errors == [f"m.yaml:9:3: component id {name!r} is a device name Windows reserves (con, prn, aux, nul, com1-com9, lpt1-lpt9): no file or folder can be named after it there; choose another"]
    (msg,) = errors_of(BASE.replace("name: shop", f"name: {name}"))
    assert msg.startswith(f"m.yaml:2:7: model name {name!r} is a device name Windows reserves")


def test_a_group_name_too_long_for_a_file_name_is_refused():
    # 'File name too long' in build after check passed, for a model drawn per group
    (msg,) = errors_of(BASE.replace("title: API", "group: " + "g" * 250))
    assert msg.startswith("m.yaml:11:12: 'components.api.group': string should have at most 100 characters")


@pytest.mark.parametrize(
    "sizing,column,says",
    [
        ("{vcpu: half}", 20, "sizing 'vcpu' must be a number of at least 0, got 'half'"),
        ("{vcpu: [1, 2]}", 20, "sizing 'vcpu' must be a number of at least 0"),
        ("{vcpu: .inf}", 20, "sizing 'vcpu' must be a finite number of at least 0, got inf"),
        ("{instances: -2}", 25, "sizing 'instances' must be a finite number of at least 0, got -2"),
        ("{storage_gb: true}", 26, "sizing 'storage_gb' must be a number of at least 0, got True"),
        ("{instance_type: 3}", 29, "sizing 'instance_type' is text, e.g. 'db.t4g.micro', got 3"),
    ],
    ids=["word", "list", "inf", "negative", "bool", "number-as-type"],
)
def test_sizing_values_are_typed(sizing, column, says):
    # compare, build (and check with a budget) crashed on these
    assert errors_of(BASE.replace("title: API", f"sizing: {sizing}")) == [f"m.yaml:11:{column}: {says}"]


def test_model_wide_sizing_is_typed_too():
    assert errors_of(BASE + "sizing: {egress_gb: lots, hours_per_month: 730}\n") == [
        "m.yaml:14:21: sizing 'egress_gb' must be a number of at least 0, got 'lots'"
    ]


def test_every_sizing_problem_of_a_file_at_once():
    errors = errors_of(BASE.replace("title: API", "sizing: {vcpu: half, memory_gb: lots}"))
    assert len(errors) == 2


# ---------------------------------------------------------------------------
# every problem of a file at once


def test_an_unknown_kind_and_field_do_not_hide_an_unknown_service_or_a_dangling_flow():
    text = textwrap.dedent(
        """\
        archgen: 1
        name: shop
        provider: aws
        components:
          users: {kind: actr}
          api: {kind: container_service, service: ecs_fargat}
          web: {kind: static_site, titel: Web}
          db: {kind: postgres}
        flows:
          - users -> api
          - api -> dbb
          - web -> api
        """
    )
    errors = errors_of(text)
    where = [e.split(": ", 1)[0] for e in errors]
    assert where == ["m.yaml:5:17", "m.yaml:6:43", "m.yaml:7:28", "m.yaml:11:5"], errors
    assert "unknown kind 'actr'" in errors[0]
    assert "unknown service 'ecs_fargat'" in errors[1]
    assert "unknown field 'titel'" in errors[2]
    assert "flow names a missing component 'dbb'" in errors[3]


def test_a_bad_provider_still_reports_dangling_flows_but_no_service_guess():
    text = BASE.replace("provider: aws", "provider: awz").replace("users -> api", "users -> apj")
    errors = errors_of(text)
    assert [e.split(": ", 1)[0] for e in errors] == ["m.yaml:3:11", "m.yaml:13:5"], errors


def test_a_bad_flow_does_not_shift_the_positions_of_the_others():
    text = BASE.replace("  - users -> api: https\n", "  - {from: users, to: api, rps: lots}\n  - users -> nobody\n")
    errors = errors_of(text)
    assert [e.split(": ", 1)[0] for e in errors] == ["m.yaml:13:33", "m.yaml:14:5"], errors


def _every_yaml_file():
    from conftest import ROOT

    return sorted(
        p for p in [*ROOT.glob("arch/*.yaml"), *ROOT.glob("examples/**/*.yaml"), *ROOT.glob("src/archgen/catalog/data/*.yaml")]
    )


@pytest.mark.parametrize("path", _every_yaml_file(), ids=lambda p: p.name)
def test_the_reader_gives_what_pyyaml_gives_for_every_shipped_file(path):
    """The event reader replaces PyYAML's composer: same data for every model, example and
    catalog file of the repository (merge keys and anchors included)."""
    import yaml

    from archgen.sources.yamlpos import read

    text = path.read_text(encoding="utf-8")
    doc = read(text, str(path))
    assert not doc.errors
    expected = yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: S506 - the safe loader
    assert doc.data == _dates_as_text(expected)


def _dates_as_text(value):
    import datetime

    if isinstance(value, dict):
        return {str(k): _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


# ---------------------------------------------------------------------------
# on the command line: what crashed compare, build, terraform and serve


@pytest.mark.parametrize(
    "edit",
    [
        ("title: API", "sizing: {vcpu: half}"),
        ("title: API", "sizing: {vcpu: [1, 2]}"),
        ("title: API", "sizing: {vcpu: .inf}"),
        ("title: API", "title: !!bool maybe"),
        ("  peak_rps: 50", "  peak_rps: !!int"),
        ("  peak_rps: 50", "  peak_rps: 50\n  monthly_budget_usd: 10\n  ops_team: !!float"),
    ],
    ids=["sizing-word", "sizing-list", "sizing-inf", "bool-tag", "empty-int", "empty-float"],
)
@pytest.mark.parametrize("command", [["check"], ["compare"], ["terraform", "--provider", "azure"], ["terraform"]])
def test_what_crashed_the_commands_exits_2_with_its_place(tmp_path, run_cli, edit, command):
    old, new = edit
    (tmp_path / "arch").mkdir()
    (tmp_path / "arch" / "m.yaml").write_text(BASE.replace(old, new), encoding="utf-8")
    result = run_cli(*command, "-o", str(tmp_path / "out"), cwd=tmp_path) if command[0] == "terraform" else run_cli(*command, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("arch/m.yaml:")
    assert not (tmp_path / "out").exists()


def test_an_azure_load_balancer_calling_postgres_gets_terraform(tmp_path, run_cli):
    # the application gateway has an identity but no identity name to sign in with
    import shutil

    import hcl2

    (tmp_path / "arch").mkdir()
    (tmp_path / "arch" / "m.yaml").write_text(
        "archgen: 1\nname: az\nprovider: azure\ncomponents:\n  lb: {kind: load_balancer, public: true}\n"
        "  db: {kind: postgres}\nflows:\n  - lb -> db\n",
        encoding="utf-8",
    )
    result = run_cli("terraform", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "out" / "az" / "azure"
    for tf in folder.glob("*.tf"):
        hcl2.loads(tf.read_text(encoding="utf-8"))
    if shutil.which("terraform"):
        fmt = subprocess.run(["terraform", "fmt", "-check", "-recursive", str(folder)], capture_output=True, text=True)
        assert fmt.returncode == 0, fmt.stdout + fmt.stderr


BUDGETED = BASE.replace("  peak_rps: 50", "  peak_rps: 50\n  monthly_budget_usd: 100").replace(
    "flows:\n", "  alert:\n    kind: budget\nflows:\n"
)


@pytest.mark.parametrize("sizing", ["{vcpu: half}", "{vcpu: [1, 2]}"], ids=["word", "list"])
@pytest.mark.parametrize("command", [["check"], ["build", "-q"], ["compare"], ["diagram"], ["serve", "--port", "0"]])
def test_sizing_of_the_wrong_type_with_a_budget_stops_every_command_at_its_place(tmp_path, run_cli, sizing, command):
    # the issue: compare and build crashed on these, check too once the model had a budget,
    # and each of them killed archgen serve
    (tmp_path / "arch").mkdir()
    (tmp_path / "arch" / "m.yaml").write_text(BUDGETED.replace("title: API", f"sizing: {sizing}"), encoding="utf-8")
    assert "kind: budget" in (tmp_path / "arch" / "m.yaml").read_text(encoding="utf-8")
    result = run_cli(*command, cwd=tmp_path, timeout=120)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    assert "arch/m.yaml:12:20: sizing 'vcpu' must be a number of at least 0" in result.stderr
    assert not (tmp_path / "site").exists() and not (tmp_path / "build").exists()


def test_a_model_of_many_components_in_groups_of_the_longest_name_builds(tmp_path, run_cli):
    # 'File name too long' in build after check passed: 250-character groups, more than 60
    # components (a model drawn per group). The longest group name archgen takes now builds.
    from archgen.model import MAX_GROUP

    groups = [f"{'g' * (MAX_GROUP - 1)}{n}" for n in range(3)]
    lines = ["archgen: 1", "name: " + "m" * 63, "provider: aws", "components:"]
    lines += [f"  c{i}: {{kind: container_service, group: {groups[i % 3]}}}" for i in range(62)]
    lines += ["flows:"] + [f"  - c{i} -> c{i + 1}" for i in range(61)]
    (tmp_path / "arch").mkdir()
    (tmp_path / "arch" / "m.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    check = run_cli("check", cwd=tmp_path)
    assert check.returncode in (0, 1), check.stderr
    build = run_cli("build", "-q", cwd=tmp_path, timeout=900)
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    longest = max(len(p.name) for p in (tmp_path / "site").rglob("*"))
    assert MAX_GROUP < longest < 255  # the group names files, and every name fits


def test_a_15_mib_file_is_refused_by_check_before_anything_is_composed(tmp_path, monkeypatch, capsys):
    """The issue: a 15 MiB file was composed whole (2.4 GB, 49-114 s) before its size was
    weighed. Here `archgen check` runs with PyYAML's composers made to fail: the refusal
    comes from the event reader, at the place the node limit is crossed."""
    import yaml

    from archgen.cli import main

    def composed(*_a, **_k):
        raise AssertionError("a YAML composer was called")

    for cls in (yaml.CSafeLoader, yaml.SafeLoader):
        monkeypatch.setattr(cls, "get_single_node", composed)
        monkeypatch.setattr(cls, "compose_node", composed, raising=False)
    monkeypatch.setattr(yaml, "compose", composed)
    big = tmp_path / "big.yaml"
    big.write_text("archgen: 1\nname: shop\nprovider: aws\ncomponents: {}\nx:\n" + "  - x\n" * (15 * 1024 * 1024 // 6))
    assert big.stat().st_size > 15 * 1024 * 1024
    assert main(["check", str(big)]) == 2
    first = capsys.readouterr().err.splitlines()[0]
    assert f"the document expands to more than {MAX_NODES:,} nodes" in first
    line = int(first.split("big.yaml:")[1].split(":")[0])
    assert line < MAX_NODES + 10  # refused where the limit is crossed, not at line 2.6 M
    # over the byte limit: refused before the text is even decoded
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"archgen: 1\nx: '" + b"y" * (17 * 1024 * 1024) + b"'\n")
    monkeypatch.setattr("archgen.sources.loader.decode", composed)
    assert main(["check", str(huge)]) == 2
    assert "a model may be at most 16,777,216 bytes" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["0", "7", "1234567890", "012", "0x1f", "0b101", "1_000", "190:20:30", "+5", "-5", "9" * 299, "9" * 308])
def test_integers_are_read_as_pyyaml_reads_them(text):
    """Plain decimals take a short way (a model or a 15 MiB file of numbers is read in
    two thirds of the time); every other spelling still goes through PyYAML's constructor."""
    import yaml

    from archgen.sources.yamlpos import read

    doc = read(f"n: {text}\nt: !!int {text}\n", "m.yaml")
    assert not doc.errors
    expected = yaml.load(f"n: {text}\n", Loader=yaml.CSafeLoader)["n"]  # the safe loader
    assert doc.data == {"n": expected, "t": expected}
    assert type(doc.data["n"]) is int


def test_an_integer_of_309_digits_is_still_too_large():
    (msg,) = errors_of(BASE.replace("peak_rps: 50", "peak_rps: " + "9" * 309))
    assert "is too large (at most about 1.8e308)" in msg
