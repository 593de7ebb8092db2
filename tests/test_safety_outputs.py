"""Issue 23, the outputs: archgen writes only into folders it owns, never deletes what it
did not write, keeps its state and locks under .archgen/, and an interrupted build leaves
the previous site or the new one whole."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT

MODEL = (ROOT / "arch" / "ml-serving.yaml").read_text(encoding="utf-8")


def repo(tmp_path: Path, *, decisions: bool = True, docs: bool = False) -> Path:
    r = tmp_path / "repo"
    (r / "arch").mkdir(parents=True)
    (r / "arch" / "ml-serving.yaml").write_text(MODEL, encoding="utf-8")
    if decisions:
        shutil.copytree(ROOT / "decisions", r / "decisions")
    if docs:
        (r / "docs").mkdir()
        (r / "docs" / "guide.md").write_text("# Guide\n\nHand-written.\n", encoding="utf-8")
    return r


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def refused(result, *words: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    line = result.stderr.strip().splitlines()[-1]
    for word in words:
        assert word in line, line


# ---------------------------------------------------------------------------
# build --site-dir: never a source folder, the repository, or a folder archgen did not make


@pytest.mark.parametrize(
    "site_dir,says",
    [
        ("arch", "is arch/, the models"),
        ("arch/site", "is inside arch/, the models"),
        ("decisions", "is decisions/, the ADRs"),
        ("docs", "is docs/, the hand-written pages"),
        ("docs/site", "is inside docs/, the hand-written pages"),
        (".", "is the repository's folder or holds it"),
        ("..", "is the repository's folder or holds it"),
        (".git", "git's own folder"),
        (".archgen", "archgen's state"),
    ],
)
def test_build_refuses_to_replace_what_it_reads(tmp_path, run_cli, site_dir, says):
    r = repo(tmp_path, docs=True)
    (r / ".git").mkdir()
    before = {name: hashes(r / name) for name in ("arch", "decisions", "docs")}
    result = run_cli("build", "--site-dir", site_dir, cwd=r)
    refused(result, f"--site-dir {site_dir}", says)
    assert {name: hashes(r / name) for name in ("arch", "decisions", "docs")} == before


def test_site_dir_of_mkdocs_yml_naming_the_docs_is_refused(tmp_path, run_cli):
    # plain `mkdocs build` refuses it too
    r = repo(tmp_path, docs=True)
    (r / "mkdocs.yml").write_text("site_name: x\nsite_dir: docs\n", encoding="utf-8")
    refused(run_cli("build", cwd=r), "site_dir of mkdocs.yml docs", "hand-written pages")
    assert (r / "docs" / "guide.md").is_file()


def test_a_folder_outside_the_repository_is_never_emptied(tmp_path, run_cli):
    r = repo(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (other / "thesis.tex").write_text("years of work\n", encoding="utf-8")
    refused(run_cli("build", "--site-dir", "../other", cwd=r), "exists, is not empty and was not written by archgen")
    assert (other / "thesis.tex").read_text(encoding="utf-8") == "years of work\n"


def test_a_site_symlink_leading_out_of_the_repository_is_refused(tmp_path, run_cli):
    r = repo(tmp_path)
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "keep.txt").write_text("keep\n", encoding="utf-8")
    (r / "site").symlink_to(target)
    refused(run_cli("build", cwd=r), "symbolic link that leads out of the repository")
    assert (target / "keep.txt").read_text(encoding="utf-8") == "keep\n"


def test_an_empty_folder_outside_is_written_and_nothing_else_is_left_outside(tmp_path, run_cli):
    r = repo(tmp_path, decisions=False)
    out = tmp_path / "published"
    out.mkdir()
    result = run_cli("build", "-q", "--site-dir", str(out), cwd=r)
    assert result.returncode == 0, result.stderr
    assert (out / "index.html").is_file() and (out / ".archgen-output").is_file()
    # no lock, staging or old folder beside it: those live under the repository's .archgen/
    assert sorted(p.name for p in tmp_path.iterdir()) == ["published", "repo"]
    assert not [p for p in r.iterdir() if p.name.endswith(".lock")]
    assert list((r / ".archgen" / "locks").glob("*.lock"))


# ---------------------------------------------------------------------------
# what archgen did not write is kept


def test_rebuilds_keep_dotfiles_and_files_archgen_did_not_write(tmp_path, run_cli):
    r = repo(tmp_path, decisions=False)
    first = run_cli("build", "-q", cwd=r)
    assert first.returncode == 0, first.stderr
    site = r / "site"
    (site / "CNAME").write_text("arch.example.org\n", encoding="utf-8")
    (site / ".nojekyll").write_text("", encoding="utf-8")
    (site / ".well-known").mkdir()
    (site / ".well-known" / "security.txt").write_text("Contact: mailto:security@example.org\n", encoding="utf-8")
    (site / "google1234.html").write_text("google-site-verification\n", encoding="utf-8")
    # a page archgen wrote and will not write again: it goes
    listed = json.loads((site / ".archgen-output").read_text(encoding="utf-8"))
    (site / "old-page").mkdir()
    (site / "old-page" / "index.html").write_text("stale\n", encoding="utf-8")
    (site / ".archgen-output").write_text(
        json.dumps({**listed, "files": listed["files"] + ["old-page/index.html"]}), encoding="utf-8"
    )
    again = run_cli("build", "-q", "--force", cwd=r)
    assert again.returncode == 0, again.stderr
    assert (site / "CNAME").read_text(encoding="utf-8") == "arch.example.org\n"
    assert (site / ".nojekyll").exists()
    assert (site / ".well-known" / "security.txt").is_file()
    assert (site / "google1234.html").is_file()
    assert not (site / "old-page").exists()
    assert (site / "index.html").is_file()


def test_a_site_mkdocs_built_is_taken_over_keeping_its_dotfiles(tmp_path, run_cli):
    # a site/ of plain `mkdocs build` (or of archgen before markers): MkDocs would replace it too
    r = repo(tmp_path, decisions=False)
    site = r / "site"
    site.mkdir()
    (site / "index.html").write_text('<html><head><meta name="generator" content="mkdocs-1.6.1, mkdocs-material-9.5"></head></html>')
    (site / "CNAME").write_text("arch.example.org\n", encoding="utf-8")
    result = run_cli("build", "-q", cwd=r)
    assert result.returncode == 0, result.stderr
    assert (site / "CNAME").read_text(encoding="utf-8") == "arch.example.org\n"
    assert "ML model serving" in (site / "index.html").read_text(encoding="utf-8")


def test_terraform_regeneration_keeps_state_vars_lock_and_providers(tmp_path, run_cli):
    r = repo(tmp_path, decisions=False)
    first = run_cli("terraform", cwd=r)
    assert first.returncode == 0, first.stderr
    folder = r / "build" / "terraform" / "ml-serving" / "aws"
    kept = {
        "terraform.tfstate": '{"version": 4}\n',
        "terraform.tfvars": 'region = "eu-west-1"\n',
        ".terraform.lock.hcl": "# lock\n",
        ".terraform/providers/registry.terraform.io/hashicorp/aws/terraform-provider-aws": "binary\n",
        "overrides.tf": "# the team's own\n",
    }
    for rel, text in kept.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    # a file archgen wrote and no longer writes
    marker = json.loads((folder / ".archgen-output").read_text(encoding="utf-8"))
    (folder / "gone.tf").write_text("# generated earlier\n", encoding="utf-8")
    (folder / ".archgen-output").write_text(json.dumps({**marker, "files": marker["files"] + ["gone.tf"]}), encoding="utf-8")
    model = r / "arch" / "ml-serving.yaml"
    model.write_text(model.read_text(encoding="utf-8").replace("title: Churn model", "title: Churn model v2"), encoding="utf-8")
    again = run_cli("terraform", cwd=r)
    assert again.returncode == 0, again.stderr
    for rel, text in kept.items():
        assert (folder / rel).read_text(encoding="utf-8") == text, rel
    assert not (folder / "gone.tf").exists()
    assert "Churn model v2" in "".join(p.read_text(encoding="utf-8") for p in folder.glob("*.tf"))


@pytest.mark.parametrize(
    "command",
    [
        ["terraform", "-o", "arch"],
        ["terraform", "-o", "."],
        ["diagram", "-o", "decisions"],
        ["diagram", "-o", ".."],
        ["diff", "--git", "HEAD", "-o", "arch"],
        ["build", "--docs-only", "docs"],
        ["build", "--docs-only", "arch/pages"],
    ],
    ids=["terraform-arch", "terraform-root", "diagram-decisions", "diagram-parent", "diff-arch", "docs-only-docs", "docs-only-in-arch"],
)
def test_every_command_that_writes_a_folder_refuses_source_folders(tmp_path, run_cli, command):
    r = repo(tmp_path, docs=True)
    before = {name: hashes(r / name) for name in ("arch", "decisions", "docs")}
    refused(run_cli(*command, cwd=r), "archgen")
    assert {name: hashes(r / name) for name in ("arch", "decisions", "docs")} == before


def test_a_folder_inside_the_docs_takes_the_docs_only_pages(tmp_path, run_cli):
    r = repo(tmp_path, decisions=False, docs=True)
    result = run_cli("build", "--docs-only", "docs/architecture", "-q", cwd=r)
    assert result.returncode == 0, result.stderr
    assert (r / "docs" / "architecture" / "index.md").is_file()
    assert (r / "docs" / "guide.md").is_file()


def test_an_unmarked_output_folder_is_refused_until_handed_over(tmp_path, run_cli):
    r = repo(tmp_path, decisions=False)
    out = r / "build" / "terraform"
    out.mkdir(parents=True)
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    refused(run_cli("terraform", cwd=r), "was not written by archgen", ".archgen-output")
    (out / ".archgen-output").write_text("", encoding="utf-8")  # handed over
    result = run_cli("terraform", cwd=r)
    assert result.returncode == 0, result.stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine\n"


# ---------------------------------------------------------------------------
# inputs: symbolic links out of the repository


@pytest.mark.parametrize("folder", ["arch", "decisions"])
def test_a_symlinked_source_folder_leading_out_is_refused(tmp_path, run_cli, folder):
    r = repo(tmp_path)
    outside = tmp_path / f"outside-{folder}"
    shutil.move(str(r / folder), outside)
    (r / folder).symlink_to(outside)
    result = run_cli("check", cwd=r)
    refused(result, "a symbolic link that points outside the repository is refused")


def test_init_ignores_the_state_folder_in_an_existing_gitignore(tmp_path, run_cli):
    (tmp_path / ".gitignore").write_text("node_modules/\n", encoding="utf-8")
    result = run_cli("init", str(tmp_path), "--date", "2026-01-02")
    assert result.returncode == 0, result.stderr
    lines = (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "node_modules/" and ".archgen/" in lines
    again = run_cli("init", str(tmp_path))
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8").count(".archgen/") == 1
    assert again.returncode == 0


# ---------------------------------------------------------------------------
# more of the reproductions, each as a user would type it


@pytest.mark.parametrize("source", ["arch", "decisions", "docs"])
def test_a_site_symlink_to_a_source_folder_of_the_repository_is_refused(tmp_path, run_cli, source):
    # a symbolic link inside the repository is read through: site -> docs is docs/
    r = repo(tmp_path, docs=True)
    before = hashes(r / source)
    (r / "site").symlink_to(source)
    refused(run_cli("build", cwd=r), f"is {source}/")
    assert hashes(r / source) == before


@pytest.mark.parametrize(
    "config,says",
    [
        ("site_dir: arch\n", "is arch/, the models"),
        ("site_dir: decisions\n", "is decisions/, the ADRs"),
        ("docs_dir: pages\nsite_dir: pages\n", "is pages/, the hand-written pages"),
        ("site_dir: ../other\n", "exists, is not empty and was not written by archgen"),
    ],
    ids=["arch", "decisions", "docs-dir", "outside"],
)
def test_any_site_dir_of_mkdocs_yml_that_holds_what_archgen_reads_is_refused(tmp_path, run_cli, config, says):
    r = repo(tmp_path)
    (r / "pages").mkdir()
    (r / "pages" / "index.md").write_text("# Pages\n", encoding="utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "thesis.tex").write_text("years of work\n", encoding="utf-8")
    (r / "mkdocs.yml").write_text("site_name: x\n" + config, encoding="utf-8")
    before = {name: hashes(r / name) for name in ("arch", "decisions", "pages")} | {"other": hashes(tmp_path / "other")}
    refused(run_cli("build", cwd=r), "site_dir of mkdocs.yml", says)
    assert {name: hashes(r / name) for name in ("arch", "decisions", "pages")} | {"other": hashes(tmp_path / "other")} == before


@pytest.mark.parametrize(
    "command",
    [["terraform", "-o"], ["terraform", "--provider", "azure", "-o"], ["build", "-q", "--docs-only"], ["diagram", "-o"]],
    ids=["terraform", "terraform-azure", "docs-only", "diagram"],
)
def test_an_output_outside_the_repository_gets_no_lock_or_staging_beside_it(tmp_path, run_cli, command):
    # .site.lock, .pub.lock and one lock per Terraform provider were left beside their targets
    r = repo(tmp_path, decisions=False)
    for _ in range(2):  # the second run replaces what the first wrote
        result = run_cli(*command, str(tmp_path / "out"), cwd=r)
        assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "repo"]
    written = [p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*")]
    assert not [p for p in written if p.endswith(".lock") or ".build-" in p or ".old-" in p], written
    if command[0] != "diagram":  # diagrams are files written one by one: no swap, no lock
        assert list((r / ".archgen" / "locks").glob("*.lock"))
    assert not [p for p in r.rglob("*.lock") if ".archgen" not in p.parts]
