"""The one place archgen writes files. Every write is atomic.

- :func:`write_file` writes a temporary file beside the target and renames it over.
- :func:`write_tree` builds a whole folder aside and swaps it in, under a lock, so a
  failed or interrupted build leaves the previous folder byte-for-byte as it was,
  and two builds at once in one repository never mix their files.
- :func:`write_managed` writes into a folder that is not only archgen's (a Terraform
  working directory with state, ``.terraform/``, tfvars and the user's own files): each
  file atomically, then it removes only the files its manifest says it wrote last time
  and no longer writes, and writes the new manifest last.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

Content = bytes | str


def _bytes(content: Content) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def safe_relpath(rel: str) -> PurePosixPath:
    """A relative path that stays inside its folder, or ValueError."""
    p = PurePosixPath(rel)
    if p.is_absolute() or not p.parts or any(part in ("..", "") for part in p.parts) or "\\" in rel or "\x00" in rel:
        raise ValueError(f"unsafe output path {rel!r}")
    return p


def write_file(path: str | os.PathLike[str], content: Content, mode: int = 0o644) -> None:
    """Write ``content`` to ``path`` atomically (readers see the old or the new file)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(_bytes(content))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_files(root: str | os.PathLike[str], files: Mapping[str, Content]) -> None:
    """Write several files below ``root``, each atomically (others there are kept)."""
    base = Path(root)
    for rel in sorted(files):
        write_file(base / safe_relpath(rel), files[rel])


@contextlib.contextmanager
def lock(path: str | os.PathLike[str]) -> Iterator[None]:
    """An exclusive advisory lock on ``path`` (created if missing)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    with open(p, "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def stage_tree(dest: str | os.PathLike[str]) -> Path:
    """A fresh, empty folder beside ``dest`` to build into before :func:`swap_tree`."""
    target = Path(dest).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.build-", dir=target.parent))


def swap_tree(staged: Path, dest: str | os.PathLike[str]) -> None:
    """Replace ``dest`` with ``staged`` (two renames under a lock), then drop the old one."""
    target = Path(dest).resolve()
    with lock(target.parent / f".{target.name}.lock"):
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.rmdir(old)
            os.rename(target, old)
        try:
            os.rename(staged, target)
        except BaseException:
            if old is not None:
                os.rename(old, target)
            raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def discard(staged: Path) -> None:
    shutil.rmtree(staged, ignore_errors=True)


def write_tree(dest: str | os.PathLike[str], files: Mapping[str, Content]) -> None:
    """Make ``dest`` hold exactly ``files``, atomically."""
    staged = stage_tree(dest)
    try:
        for rel in sorted(files):
            p = staged / safe_relpath(rel)
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(_bytes(files[rel]))
        swap_tree(staged, dest)
    except BaseException:
        discard(staged)
        raise


#: The file in a managed folder that lists what archgen wrote there.
MANIFEST = ".archgen-manifest.json"


def read_manifest(dest: str | os.PathLike[str]) -> list[str]:
    """The relative paths archgen wrote into ``dest`` last time (empty when it never did,
    or when the manifest cannot be read: then nothing is ever removed)."""
    path = Path(dest) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = [str(safe_relpath(f)) for f in data.get("files", [])]
    except (OSError, ValueError, AttributeError, TypeError):
        return []
    return sorted(set(files) - {MANIFEST})


def write_managed(dest: str | os.PathLike[str], files: Mapping[str, Content], generator: str = "archgen") -> list[str]:
    """Write ``files`` into ``dest`` and keep everything archgen did not write.

    Each file is written atomically; then the files of the previous manifest that are no
    longer generated are removed (and folders archgen's files leave empty); the new
    manifest is written last, so an interrupted run leaves a manifest that still covers
    every file archgen may have written. Returns the paths removed."""
    target = Path(dest)
    target.mkdir(parents=True, exist_ok=True)
    new = sorted(str(safe_relpath(rel)) for rel in files)
    if MANIFEST in new:
        raise ValueError(f"{MANIFEST} is archgen's own file")
    removed: list[str] = []
    with lock(target.parent / f".{target.name}.lock"):
        old = read_manifest(target)
        for rel in new:
            write_file(target / rel, files[rel])
        for rel in sorted(set(old) - set(new)):
            path = target / rel
            with contextlib.suppress(FileNotFoundError):
                if path.is_file() and not path.is_symlink():
                    path.unlink()
                    removed.append(rel)
            for parent in PurePosixPath(rel).parents:
                if str(parent) == ".":
                    break
                with contextlib.suppress(OSError):
                    (target / parent).rmdir()  # only when empty
        body = {"generator": generator, "files": new}
        write_file(target / MANIFEST, json.dumps(body, indent=2, sort_keys=True) + "\n")
    return removed
