"""Shared fixtures: the repository root, the example model, and a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "arch" / "ml-serving.yaml"

#: Debian's chromium, headless, with no network of its own: what a reader's browser is in the tests.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def doc_table(doc: str, section: str, end: str) -> list[list[str]]:
    """The cells of every table row of docs/``doc`` between the heading line ``section`` and
    the next line starting with ``end``: what a test holds against the data it documents."""
    text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    part = text.split(section, 1)[1].split(end, 1)[0]
    return [[c.strip() for c in line.strip().strip("|").split("|")] for line in part.splitlines()]


def launch_chromium(playwright):
    """Playwright's Chromium API over Debian's chromium binary (Playwright cannot fetch its own)."""
    import shutil

    return playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=CHROMIUM_ARGS)


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output (review the diff!)",
    )


@pytest.fixture
def update_golden(request) -> bool:
    return bool(request.config.getoption("--update-golden")) or os.environ.get("ARCHGEN_UPDATE_GOLDEN") == "1"


@pytest.fixture
def golden(update_golden):
    """Compare text with a golden file under tests/golden/, or rewrite it with --update-golden."""

    def check(name: str, text: str) -> None:
        path = ROOT / "tests" / "golden" / name
        if update_golden or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            if not update_golden:
                pytest.fail(f"golden file {name} did not exist; written now, review and commit it")
        assert text == path.read_text(encoding="utf-8"), f"output differs from tests/golden/{name} (pytest --update-golden to refresh)"

    return check


@pytest.fixture
def run_cli():
    """Run ``archgen`` as a whole process; returns CompletedProcess with text output."""

    def run(*args: str, cwd: Path | str = ROOT, timeout: float = 300, env: dict | None = None) -> subprocess.CompletedProcess:
        full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "archgen", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=full_env,
        )

    return run
