"""Measure the Terraform skeletons for docs/terraform.md (the report tables).

    PYTHONPATH=src python tests/tfreport.py            # prints the Markdown table

For the example, the test models and each gallery model (the same runs the tests make):
resources written, components left to do by hand (the generator's gap list), problems
against the provider schemas and undeclared references, and Checkov's passed and failed
checks (Checkov at .tools/checkov). tests/test_terraform.py checks the table against the
same measurements, so the figures in the docs stay true.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from archgen.generators.terraform import gap_components, generate  # noqa: E402
from archgen.generators.terraform._render import resource_addresses  # noqa: E402
from archgen.sources.loader import load_model  # noqa: E402

import tfschema  # noqa: E402

MODELS = {
    "example": ROOT / "arch" / "ml-serving.yaml",
    "every-kind": ROOT / "tests" / "fixtures" / "terraform" / "every-kind.yaml",
    **{f"gallery/{p.stem}": p for p in sorted((ROOT / "examples").glob("*/arch/*.yaml"))},
}
PROVIDERS = ("aws", "azure", "gcp", "kubernetes")


def runs() -> list[tuple[str, str]]:
    """The example and every-kind on every provider, each gallery model on its own."""
    out = [(w, p) for w in ("example", "every-kind") for p in PROVIDERS]
    out += [(w, str(load_model(path).provider)) for w, path in MODELS.items() if w.startswith("gallery/")]
    return out


def measure(which: str, provider: str) -> dict:
    model = load_model(MODELS[which])
    files = generate(model, provider)
    schemas = tfschema.load(ROOT / ".tools" / "tf-schemas")
    problems, unchecked, checked = tfschema.check(files, schemas)
    return {
        "resources": len(resource_addresses(files)),
        "gaps": len(gap_components(model, provider)),
        "schema_problems": len(problems) + len(tfschema.undefined_references(files)),
        "files": files,
    }


def checkov(all_runs: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, int]]:
    checkov_bin = ROOT / ".tools" / "checkov" / "bin" / "checkov"
    with tempfile.TemporaryDirectory() as tmp:
        for which, provider in all_runs:
            folder = Path(tmp) / which.replace("/", "_") / provider
            folder.mkdir(parents=True)
            for name, text in measure(which, provider)["files"].items():
                if name.endswith(".tf") and "/" not in name:
                    (folder / name).write_text(text, encoding="utf-8")
        env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false", "LOG_LEVEL": "ERROR"}
        result = subprocess.run(
            [str(checkov_bin), "-d", tmp, "--framework", "terraform", "-o", "json", "--compact", "--skip-download"],
            capture_output=True, text=True, env=env, check=False,
        )
    report = json.loads(result.stdout)
    report = report[0] if isinstance(report, list) else report
    return counts(report, all_runs)


def counts(report: dict, all_runs: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, int]]:
    """(model, provider) -> (passed, failed) checks, from a Checkov JSON report over
    folders named <model with / as _>/<provider>/."""
    folders = {(w.replace("/", "_"), p): (w, p) for w, p in all_runs}
    out = {run: [0, 0] for run in all_runs}
    for i, key in enumerate(("passed_checks", "failed_checks")):
        for check in report["results"][key]:
            parts = Path(check["file_path"]).parts
            run = folders.get((parts[1], parts[2]))
            if run:
                out[run][i] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def table(all_runs: list[tuple[str, str]], checks: dict[tuple[str, str], tuple[int, int]]) -> str:
    lines = [
        "| model | provider | resources | components left to do by hand | schema and reference problems | Checkov passed | Checkov failed (all listed in the README) |",
        "|---|---|---|---|---|---|---|",
    ]
    for which, provider in all_runs:
        m = measure(which, provider)
        passed, failed = checks[(which, provider)]
        lines.append(f"| {which} | {provider} | {m['resources']} | {m['gaps']} | {m['schema_problems']} | {passed} | {failed} |")
    return "\n".join(lines)


if __name__ == "__main__":
    all_runs = runs()
    print(table(all_runs, checkov(all_runs)))
