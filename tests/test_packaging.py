"""Packaging as a user meets it: the licence, the metadata, an sdist whose tests run, and a
wheel installed into a fresh virtual environment, away from the source tree and with no
Graphviz ``dot`` on PATH, that runs ``archgen init``, ``build`` and ``diagram``."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from archgen import REPOSITORY, __version__

#: sha256 of the Apache License 2.0 as published (https://www.apache.org/licenses/LICENSE-2.0.txt)
APACHE_2_SHA256 = "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30"


def test_licence_and_metadata() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "Apache-2.0"  # an SPDX expression, not the deprecated table
    assert project["license-files"] == ["LICENSE"]
    assert hashlib.sha256((ROOT / "LICENSE").read_bytes()).hexdigest() == APACHE_2_SHA256
    urls = project["urls"]
    assert urls["Source"] == f"https://github.com/{REPOSITORY}"
    assert urls["Issues"].startswith(urls["Source"])
    assert project["version"] == __version__


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run([sys.executable, "-m", "build", "--sdist", "--wheel", "-o", str(out), str(ROOT)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


def test_wheel_carries_the_licence_and_the_package_data(dist) -> None:
    (wheel,) = dist.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert f"archgen-{__version__}.dist-info/licenses/LICENSE" in names
    metadata = zipfile.ZipFile(wheel).read(f"archgen-{__version__}.dist-info/METADATA").decode()
    assert "License-Expression: Apache-2.0" in metadata and f"Project-URL: Source, https://github.com/{REPOSITORY}" in metadata
    assert 'Requires-Dist: pygraphviz' in metadata and 'extra == "graphviz"' in metadata
    for needed in ("archgen/catalog/data/aws.yaml", "archgen/rules/data/rules.yaml", "archgen/drift/data/rules.yaml",
                   "archgen/examples/ml-serving.yaml", "archgen/generators/gvdot.py",
                   "archgen/rendering/templates/init/archgen.yml"):
        assert needed in names, needed
    assert not any(n.startswith("tests/") for n in names)


def test_sdist_runs_its_tests(dist, tmp_path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as tar:
        tar.extractall(tmp_path, filter="data")
    tree = tmp_path / f"archgen-{__version__}"
    for needed in ("LICENSE", "tests/conftest.py", "tests/data/sarif-schema-2.1.0.json", "arch/ml-serving.yaml",
                   "action.yml", ".pre-commit-hooks.yaml", "docs/ci.md"):
        assert (tree / needed).exists(), needed
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "NO_MKDOCS_2_WARNING": "1"}
    collected = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
                               cwd=tree, capture_output=True, text=True, timeout=600, env=env)
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-2000:]
    assert "error" not in collected.stdout.lower().splitlines()[-1]
    ran = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                          "tests/test_cli.py", "tests/test_sarif.py", "-k", "not github_ingestion"],
                         cwd=tree, capture_output=True, text=True, timeout=900, env=env)
    assert ran.returncode == 0, ran.stdout[-4000:]
    probe = subprocess.run([sys.executable, "-c", "import archgen; print(archgen.__file__)"], cwd=tree, env=env,
                           capture_output=True, text=True, timeout=60)
    assert probe.stdout.strip().startswith(str(tree)), "the sdist's tests ran on the sdist's own code"


def test_the_wheel_in_a_fresh_venv_without_dot(dist, tmp_path) -> None:
    (wheel,) = dist.glob("*.whl")
    venv = tmp_path / "venv"
    # nothing of this checkout may leak in (PYTHONPATH=src would make pip see archgen as installed)
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300, env=clean)
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                          f"{wheel}[graphviz]"], capture_output=True, text=True, timeout=1800, env=clean)
    assert pip.returncode == 0, pip.stdout[-3000:] + pip.stderr[-3000:]
    work = tmp_path / "work"
    work.mkdir()
    # only the venv on PATH: no Graphviz dot, no source tree, no PYTHONPATH
    env = {"PATH": str(venv / "bin"), "HOME": str(tmp_path), "NO_MKDOCS_2_WARNING": "1", "LANG": "C.UTF-8"}

    def archgen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
        return subprocess.run([str(venv / "bin" / "archgen"), *args], cwd=cwd, capture_output=True, text=True,
                              timeout=900, env=env)

    assert archgen("--version", cwd=work).stdout.strip() == f"archgen {__version__}"
    assert archgen("init", "repo", "--date", "2026-01-02", cwd=work).returncode == 0
    repo = work / "repo"
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import archgen; print(archgen.__file__)"], cwd=repo,
                           capture_output=True, text=True, env=env, timeout=60)
    assert where.stdout.startswith(str(venv)), where.stdout
    built = archgen("build", "-q", cwd=repo)
    assert built.returncode == 0, built.stderr
    assert (repo / "site" / "index.html").is_file()
    svgs = {p.stem: p for p in (repo / "site" / "models" / "ml-serving" / "diagrams").glob("*.svg")}
    assert {"overview", "network", "data", "findings"} <= set(svgs)
    assert all(b"<svg" in p.read_bytes() and b"<use" in p.read_bytes() for p in svgs.values())  # icons embedded
    drawn = archgen("diagram", "--format", "svg,png", "-o", "out", cwd=repo)
    assert drawn.returncode == 0, drawn.stderr
    pngs = {p.stem for p in (repo / "out" / "ml-serving").glob("*.png")}
    assert pngs == set(svgs)
    assert archgen("check", cwd=repo).returncode == 0
