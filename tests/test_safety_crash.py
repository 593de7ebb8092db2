"""Issue 23, interruptions: `archgen build` killed at each stage boundary and between the
two renames of its swap leaves the previous site or the new one whole, and the next run
cleans up and completes; operating-system errors and Ctrl-C are one line, never a
traceback, and lose nothing."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT

SMALL = """\
archgen: 1
name: shop
title: Shop
provider: aws
components:
  users: {kind: actor}
  api: {kind: container_service, title: API}
  db: {kind: postgres}
flows:
  - users -> api: https
  - api -> db
"""

#: Every point archgen build can be killed at: the stage boundaries, and inside the swap.
KILL_POINTS = [
    "build-generated",  # models read and checked, diagrams drawn
    "build-assembled",  # pages assembled, stamp computed
    "build-staged",  # pages written to the staging folder
    "build-built",  # MkDocs built the new site beside the old one
    "swap-start",  # the new site carries what archgen did not write, journal not yet written
    "swap-between-renames",  # the old site renamed away, the new one not yet in place
    "swap-renamed",  # the new site in place, journal still there, old site not removed
    "build-published",  # everything done but the process's own clean-up
]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHGEN_TEST_") and k != "CI"}
    return {**env, "NO_MKDOCS_2_WARNING": "1", **extra}


def archgen(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "archgen", *args], cwd=cwd, capture_output=True, text=True, timeout=600, env=_env(**env)
    )


def site_hashes(site: Path) -> dict[str, str]:
    """Every file of a site with its hash (MkDocs dates the sitemap: left out; the marker's
    stamp names the folder it was built for: its list of files counts)."""
    out = {}
    for p in sorted(site.rglob("*")):
        if not p.is_file() or p.name.startswith("sitemap.xml"):
            continue
        data = p.read_bytes()
        if p.name == ".archgen-output":
            data = json.dumps(json.loads(data)["files"]).encode()
        out[p.relative_to(site).as_posix()] = hashlib.sha256(data).hexdigest()
    return out


def make_repo(folder: Path, title: str = "API") -> Path:
    (folder / "arch").mkdir(parents=True, exist_ok=True)
    (folder / "arch" / "shop.yaml").write_text(SMALL.replace("title: API", f"title: {title}"), encoding="utf-8")
    return folder


def leftovers(repo: Path) -> list[str]:
    """Staging, old and journal files an interrupted run left behind."""
    found = [p.name for p in repo.iterdir() if ".build-" in p.name or ".old-" in p.name]
    state = repo / ".archgen"
    found += [p.name for p in state.glob(".stage.build-*")]
    found += [p.name for p in (state / "journal").glob("*.json")] if (state / "journal").is_dir() else []
    found += [p.name for p in (state / "builds").iterdir()] if (state / "builds").is_dir() else []
    return sorted(found)


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, dict[str, str]]:
    """The site of the model as it was (A) and as changed (B), each built once, cleanly."""
    out = {}
    for name, title in (("A", "API"), ("B", "API v2")):
        repo = make_repo(tmp_path_factory.mktemp(f"site-{name}"), title)
        result = archgen(repo, "build", "-q")
        assert result.returncode == 0, result.stderr
        out[name] = site_hashes(repo / "site")
    assert out["A"] != out["B"]
    return out


@pytest.mark.parametrize("point", KILL_POINTS)
def test_a_build_killed_anywhere_leaves_a_whole_site_and_the_next_run_completes(tmp_path, sites, point):
    repo = make_repo(tmp_path)
    first = archgen(repo, "build", "-q")
    assert first.returncode == 0, first.stderr
    assert site_hashes(repo / "site") == sites["A"]
    make_repo(repo, "API v2")  # the change the killed build publishes
    killed = archgen(repo, "build", "-q", ARCHGEN_TEST_KILL_AT=point)
    assert killed.returncode == -signal.SIGKILL, (killed.returncode, killed.stderr)
    site = repo / "site"
    if point == "swap-between-renames":  # the one moment with no site/: the journal says how to finish
        assert not site.exists() and list((repo / ".archgen" / "journal").glob("*.json"))
    else:
        assert site_hashes(site) in (sites["A"], sites["B"]), "the previous or the new site, whole"
    # the next run recovers: staging removed, an interrupted swap completed, then it builds
    again = archgen(repo, "build", "-q")
    assert again.returncode == 0, again.stderr
    assert site_hashes(site) == sites["B"]
    assert leftovers(repo) == []


def test_a_kill_after_the_swap_never_leaves_a_stale_site_for_the_next_build(tmp_path, sites):
    # the stamp used to be written after the swap: a kill in between, then the change
    # undone, and the next build kept the new (stale) site as 'unchanged'
    repo = make_repo(tmp_path)
    assert archgen(repo, "build", "-q").returncode == 0
    make_repo(repo, "API v2")
    assert archgen(repo, "build", "-q", ARCHGEN_TEST_KILL_AT="swap-renamed").returncode == -signal.SIGKILL
    make_repo(repo, "API")  # undone
    again = archgen(repo, "build", "-q")
    assert again.returncode == 0, again.stderr
    assert site_hashes(repo / "site") == sites["A"]


def test_a_terraform_run_killed_between_renames_is_completed_and_keeps_state(tmp_path):
    repo = make_repo(tmp_path)
    assert archgen(repo, "terraform").returncode == 0
    folder = repo / "build" / "terraform" / "shop" / "aws"
    (folder / "terraform.tfstate").write_text('{"version": 4}\n', encoding="utf-8")
    (repo / "arch" / "shop.yaml").write_text(SMALL + "  - api -> cache\n" + "", encoding="utf-8")
    (repo / "arch" / "shop.yaml").write_text(
        SMALL.replace("  db: {kind: postgres}\n", "  db: {kind: postgres}\n  cache: {kind: cache}\n") + "  - api -> cache\n",
        encoding="utf-8",
    )
    killed = archgen(repo, "terraform", ARCHGEN_TEST_KILL_AT="swap-between-renames")
    assert killed.returncode == -signal.SIGKILL
    assert archgen(repo, "terraform").returncode == 0
    assert (folder / "terraform.tfstate").read_text(encoding="utf-8") == '{"version": 4}\n'
    assert not [p for p in folder.parent.iterdir() if ".build-" in p.name or ".old-" in p.name]
    assert archgen(repo, "terraform", "-o", "fresh").returncode == 0
    fresh = repo / "fresh" / "shop" / "aws"
    assert {p.name: p.read_bytes() for p in fresh.glob("*.tf")} == {p.name: p.read_bytes() for p in folder.glob("*.tf")}


def test_a_live_build_is_not_cleaned_up_by_another_one(tmp_path):
    """Recovery removes only the staging folders of processes that died: a lock held by
    the building process says it lives."""
    from archgen.writer import recover, staging

    state = tmp_path / ".archgen"
    with staging(tmp_path / "site", state) as live:
        (live / "index.html").write_text("building\n", encoding="utf-8")
        assert recover(state) == []
        assert (live / "index.html").is_file()
    assert not live.exists()


# ---------------------------------------------------------------------------
# Ctrl-C


@pytest.mark.parametrize("point", ["cli-imported", "cli-parser", "build-generated", "build-built", "swap-start"])
def test_ctrl_c_anywhere_is_one_line_and_exit_130(tmp_path, point):
    repo = make_repo(tmp_path)
    assert archgen(repo, "build", "-q").returncode == 0
    before = site_hashes(repo / "site")
    result = archgen(repo, "build", "-q", "--force", ARCHGEN_TEST_INTERRUPT_AT=point)
    assert result.returncode == 130, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "interrupted" in result.stderr
    assert site_hashes(repo / "site") == before
    assert archgen(repo, "build", "-q").returncode == 0
    assert leftovers(repo) == []


def test_ctrl_c_at_start_up_by_a_real_signal_prints_no_archgen_traceback(tmp_path):
    """SIGINT at increasing delays from the start: archgen answers with one line and 130
    (or Python has not installed its handler yet, and the process dies of the signal: -2,
    or Python's own start-up is interrupted before archgen runs a line)."""
    repo = make_repo(tmp_path)
    for delay in (0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.6):
        proc = subprocess.Popen(
            [sys.executable, "-m", "archgen", "check"], cwd=repo, env=_env(), stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
        if "Fatal Python error: init_import_site" in err:
            continue  # Python itself interrupted while starting, before archgen's first line
        assert proc.returncode in (0, 130, -signal.SIGINT), (delay, proc.returncode, err)
        assert "Traceback" not in err, (delay, err)
        if proc.returncode == 130:
            assert err.strip().splitlines()[-1].startswith("archgen: interrupted"), err


# ---------------------------------------------------------------------------
# operating-system errors


def _fsize_limit(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_write_the_kernel_refuses_is_one_line_exit_2_and_keeps_the_site(tmp_path):
    # RLIMIT_FSIZE: the kernel refuses to grow any file past 64 KB (EFBIG), as a full disk would
    repo = make_repo(tmp_path)
    assert archgen(repo, "build", "-q").returncode == 0
    before = site_hashes(repo / "site")
    result = subprocess.run(
        [sys.executable, "-m", "archgen", "build", "-q", "--force"], cwd=repo, capture_output=True, text=True,
        timeout=600, env=_env(), preexec_fn=_fsize_limit(64 * 1024),
    )
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("archgen: ") and "outputs were left as they were" in line
    assert site_hashes(repo / "site") == before
    assert archgen(repo, "build", "-q").returncode == 0
    assert leftovers(repo) == []


@pytest.fixture
def tmpfs(tmp_path):
    """A small file system of its own (tmpfs), or skip where mounting is not allowed."""
    mounts: list[Path] = []

    def make(size: str, read_only: bool = False) -> Path:
        point = tmp_path / f"fs{len(mounts)}"
        point.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)], capture_output=True)
        if done.returncode != 0:
            pytest.skip("cannot mount a tmpfs here (needs root)")
        mounts.append(point)
        return point

    yield make
    for point in reversed(mounts):
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def test_a_site_on_another_file_system_is_published(tmp_path, tmpfs):
    # staging under .archgen/ and a rename onto another file system failed with EXDEV
    repo = make_repo(tmp_path / "repo")
    other = tmpfs("64m")
    result = archgen(repo, "build", "-q", "--site-dir", str(other / "site"))
    assert result.returncode == 0, result.stderr
    assert (other / "site" / "index.html").is_file()
    again = archgen(repo, "build", "-q", "--force", "--site-dir", str(other / "site"))
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in other.iterdir()) == ["site"]


def test_a_full_disk_is_one_line_exit_2_and_keeps_the_site(tmp_path, tmpfs):
    repo = make_repo(tmp_path / "repo")
    disk = tmpfs("12m")
    first = archgen(repo, "build", "-q", "--site-dir", str(disk / "site"))
    assert first.returncode == 0, first.stderr
    before = site_hashes(disk / "site")
    # fill the disk, then leave 512 KB: less than a second site needs
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as fh:  # unbuffered: closing has nothing left to flush
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError:
            pass
    os.truncate(filler, max(0, filler.stat().st_size - 512 * 1024))
    result = archgen(repo, "build", "-q", "--force", "--site-dir", str(disk / "site"))
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "no space left on device" in line and "outputs were left as they were" in line
    assert site_hashes(disk / "site") == before
    assert sorted(p.name for p in disk.iterdir()) == ["filler", "site"]


def test_a_read_only_folder_is_one_line_exit_2(tmp_path, tmpfs):
    repo = make_repo(tmp_path / "repo")
    disk = tmpfs("16m")
    done = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot remount read-only here")
    result = archgen(repo, "build", "-q", "--site-dir", str(disk / "site"))
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "read-only file system" in line
