"""``archgen init``: scaffold an architecture repository."""

from __future__ import annotations

import argparse

NAME = "init"
HELP = "scaffold an architecture repository (example model, first ADR, mkdocs.yml, CI, pre-commit)"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", nargs="?", default=".", help="where to create it (default: here)")
    parser.add_argument("--date", help="date of the first ADR (default: today), YYYY-MM-DD")


def pinned(template: str) -> str:
    """A template with this release's repository and tag filled in (the Action, the hook)."""
    from archgen import RELEASE_TAG, REPOSITORY

    return template.replace("@ARCHGEN_REPOSITORY@", REPOSITORY).replace("@ARCHGEN_TAG@", RELEASE_TAG)


def scaffold(date: str) -> dict[str, str]:
    """The files of a new architecture repository, by relative path."""
    from importlib.resources import files

    from archgen.decisions.adr import first_adr

    pkg = files("archgen")
    init = pkg / "rendering" / "templates" / "init"
    # The example's own decisions (its components point at them), after a fresh ADR-0001.
    example_adrs = {
        f"decisions/{f.name}": f.read_text(encoding="utf-8")
        for f in sorted((pkg / "examples" / "decisions").iterdir(), key=lambda f: f.name)
        if f.name.endswith(".md") and not f.name.startswith("0001-")
    }
    return {
        **example_adrs,
        "arch/ml-serving.yaml": (pkg / "examples" / "ml-serving.yaml").read_text(encoding="utf-8"),
        "decisions/0001-record-architecture-decisions.md": first_adr(date),
        "mkdocs.yml": (init / "mkdocs.yml").read_text(encoding="utf-8"),
        ".github/workflows/archgen.yml": pinned((init / "archgen.yml").read_text(encoding="utf-8")),
        ".pre-commit-config.yaml": pinned((init / "pre-commit-config.yaml").read_text(encoding="utf-8")),
        ".gitignore": "site/\n.archgen/\nbuild/\n",
    }


def _existing(root, wanted: dict[str, str]) -> list[str]:
    """What ``init`` leaves alone in ``root``: files that are there, and in a repository
    that has models or ADRs already, the example and its ADRs (their numbers would sit
    beside the team's own): no ADR is written where ADRs exist, so no number is reused.
    Where only ADRs exist, the example model comes without its links to the example's."""
    import re

    from archgen.decisions.records import FILE_RE

    existing = [rel for rel in wanted if (root / rel).exists()]
    models = (root / "arch").is_dir() and any((root / "arch").glob("*.y*ml"))
    adrs = (root / "decisions").is_dir() and any(FILE_RE.match(p.name) for p in (root / "decisions").iterdir())
    for rel in sorted(wanted):
        if rel.startswith("decisions/") and (models or adrs) and (adrs or not rel.startswith("decisions/0001-")):
            existing.append(rel)  # decisions/ holds the team's ADRs, or the example is not written
        elif rel == "arch/ml-serving.yaml" and models:
            existing.append(rel)
    if adrs and "arch/ml-serving.yaml" not in existing:
        wanted["arch/ml-serving.yaml"] = re.sub(r"(?m)^ +decisions: \[ADR-\d+\]\n", "", wanted["arch/ml-serving.yaml"])
    return sorted(set(existing))


def run(args: argparse.Namespace) -> int:
    import datetime
    import sys
    from pathlib import Path

    from archgen.writer import write_files

    date = args.date or datetime.date.today().isoformat()
    root = Path(args.directory)
    wanted = scaffold(date)
    existing = _existing(root, wanted)
    new = {rel: text for rel, text in wanted.items() if rel not in existing}
    write_files(root, new)
    for rel in sorted(new):
        print(f"created {root / rel}")
    for rel in existing:
        there = (root / rel).exists()
        print(f"kept    {root / rel} (already there)" if there else f"skipped {root / rel} (models or ADRs are here already: no example)", file=sys.stderr)
    if ".gitignore" in existing and _ignore_state(root / ".gitignore"):
        print(f"updated {root / '.gitignore'} (archgen's state folder .archgen/ is ignored)")
    print("next: archgen check, then archgen build (or archgen serve)")
    return 0


def _ignore_state(gitignore) -> bool:
    """Add ``.archgen/`` (staging, locks, the render cache) to an existing .gitignore that
    does not ignore it yet; True when it was added."""
    from archgen.writer import STATE_DIR, write_file

    text = gitignore.read_text(encoding="utf-8", errors="replace")
    wanted = {STATE_DIR, f"{STATE_DIR}/", f"/{STATE_DIR}", f"/{STATE_DIR}/"}
    if any(line.strip() in wanted for line in text.splitlines()):
        return False
    write_file(gitignore, text + ("" if not text or text.endswith("\n") else "\n") + f"{STATE_DIR}/\n")
    return True
