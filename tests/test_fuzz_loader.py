"""Property-based tests: mutated and random YAML never yields a traceback, and the
CLI's exit status is always 0, 1 or 2. This is the fast profile (the hypothesis tests
below and 2,000 cases of bench/fuzz.py's classes); the long one is
``python bench/fuzz.py --cases 20000`` (see docs/security.md)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archgen.cli import main
from conftest import EXAMPLE, ROOT

EXAMPLE_TEXT = EXAMPLE.read_text()
LINES = EXAMPLE_TEXT.splitlines(keepends=True)

yaml_scalars = st.one_of(
    st.text(max_size=12), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False),
    st.sampled_from(["&a x", "*a", "!!python/object:os.system", "<<: *a", "{", "[", "- ", ": ", "\t", "${x}", "'", '"']),
)


def run_check(tmp_path, data: bytes) -> int:
    arch = tmp_path / "arch"
    arch.mkdir(exist_ok=True)
    (arch / "m.yaml").write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["check", str(arch / "m.yaml"), "--format", "json"])
        except SystemExit as exc:  # argparse only
            code = exc.code
    assert "Traceback" not in err.getvalue()
    return code


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    line=st.integers(min_value=0, max_value=len(LINES) - 1),
    op=st.sampled_from(["delete", "duplicate", "replace", "insert", "indent", "dedent"]),
    text=yaml_scalars,
)
def test_mutated_example_never_crashes(tmp_path, line, op, text):
    lines = list(LINES)
    if op == "delete":
        del lines[line]
    elif op == "duplicate":
        lines.insert(line, lines[line])
    elif op == "replace":
        head = lines[line].split(":", 1)[0]
        lines[line] = f"{head}: {text}\n"
    elif op == "insert":
        lines.insert(line, f"{text}\n")
    elif op == "indent":
        lines[line] = "  " + lines[line]
    else:
        lines[line] = lines[line].lstrip()
    assert run_check(tmp_path, "".join(lines).encode("utf-8", "surrogatepass")) in (0, 1, 2)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_random_bytes_never_crash(tmp_path, data):
    assert run_check(tmp_path, data) in (0, 1, 2)


json_like = st.recursive(
    yaml_scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(components=st.dictionaries(st.text(max_size=10), json_like, max_size=5), flows=json_like)
def test_random_structures_never_crash(tmp_path, components, flows):
    import yaml

    doc = {"archgen": 1, "name": "fuzz", "provider": "aws", "components": components, "flows": flows}
    assert run_check(tmp_path, yaml.safe_dump(doc).encode()) in (0, 1, 2)


#: Cases of bench/fuzz.py that CI runs (every class: mutated, random YAML and bytes, and
#: issue 23's tags, nesting, bombs, sizing types and path-like ids); about 15 s here.
CI_CASES = 2_000


def test_every_fuzz_class_in_a_child_process():
    """bench/fuzz.py in a child (a segfault or a runaway case cannot take the test run
    with it; the timeout is a generous bound, not a timing): every case exits 0, 1 or 2,
    prints no traceback, and an exit 2 carries FILE:LINE:COLUMN (checked per case there)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "fuzz.py"), "--cases", str(CI_CASES), "--seed", "23", "--json"],
        capture_output=True, text=True, timeout=600, env=env,
    )
    assert result.returncode in (0, 1), (result.returncode, result.stderr[-2000:])
    summary = json.loads(result.stdout)
    assert summary["failures"] == [], summary["failures"][:3]
    assert sum(summary["outcomes"].values()) == CI_CASES
    sys.path.insert(0, str(ROOT / "bench"))
    from fuzz import CLASSES

    ran = {key.split(":")[0] for key in summary["outcomes"]}
    assert ran == set(CLASSES), ran


@pytest.mark.parametrize("kind", ["tags", "depth", "bombs", "sizing", "ids"])
def test_each_hostile_class_is_refused_somewhere(kind, tmp_path):
    """Each hostile class makes cases the loader refuses at a place (exit 2), so a class
    that stopped reaching the loader would show here."""
    import random

    sys.path.insert(0, str(ROOT / "bench"))
    from fuzz import CLASSES, run_case

    rng = random.Random(kind)
    outcomes = set()
    for _ in range(40):
        made = CLASSES[kind][0](rng)
        outcomes.add(run_case(made[1], tmp_path, target=made[0]))
    assert "exit 2" in outcomes, outcomes
