"""The real tools that read archgen's exports, found where scripts/setup.sh installs them.

    .tools/likec4      npm likec4 (the version bench/likec4/package.json pins)
    .tools/mermaid     npm @mermaid-js/mermaid-cli, driving Debian's /usr/bin/chromium
    .tools/backstage   npm @backstage/catalog-model (its own entity validators)

Each ``*_tool()`` returns the path to run, or calls ``pytest.skip`` with why it is missing.
Under CI (``CI`` set) a missing tool fails instead: setup.sh must have installed it.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".tools"
IN_CI = bool(os.environ.get("CI"))
CHROMIUM = os.environ.get("ARCHGEN_CHROMIUM", "/usr/bin/chromium")


def _missing(what: str) -> None:
    message = f"{what} (scripts/setup.sh installs it)"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def node() -> str:
    exe = shutil.which("node")
    if exe is None:
        _missing("Node.js is not installed")
    return str(exe)


def likec4() -> Path:
    exe = TOOLS / "likec4" / "node_modules" / ".bin" / "likec4"
    if not exe.exists():
        _missing(f"LikeC4 is not installed in {exe.parent.parent.parent}")
    node()
    return exe


def likec4_version() -> str:
    return _version(TOOLS / "likec4" / "node_modules" / "likec4" / "package.json")


def mmdc() -> Path:
    exe = TOOLS / "mermaid" / "node_modules" / ".bin" / "mmdc"
    if not exe.exists():
        _missing(f"the Mermaid CLI is not installed in {exe.parent.parent.parent}")
    if not Path(CHROMIUM).exists():
        _missing(f"Chromium is not at {CHROMIUM}")
    node()
    return exe


def mermaid_versions() -> str:
    cli = _version(TOOLS / "mermaid" / "node_modules" / "@mermaid-js" / "mermaid-cli" / "package.json")
    lib = _version(TOOLS / "mermaid" / "node_modules" / "mermaid" / "package.json")
    return f"mermaid-cli {cli}, mermaid {lib}"


def puppeteer_config(folder: Path) -> Path:
    """A puppeteer configuration for mmdc: Debian's Chromium, no sandbox (root in CI)."""
    path = folder / "puppeteer.json"
    path.write_text(json.dumps({"executablePath": CHROMIUM, "args": ["--no-sandbox", "--disable-gpu"]}), encoding="utf-8")
    return path


def backstage_model() -> Path:
    path = TOOLS / "backstage" / "node_modules" / "@backstage" / "catalog-model"
    if not (path / "package.json").exists():
        _missing(f"@backstage/catalog-model is not installed in {TOOLS / 'backstage'}")
    node()
    return path


def backstage_version() -> str:
    return _version(TOOLS / "backstage" / "node_modules" / "@backstage" / "catalog-model" / "package.json")


def _version(package_json: Path) -> str:
    try:
        return str(json.loads(package_json.read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return "unknown"
