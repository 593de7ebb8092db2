"""The one place archgen writes files. Every write is atomic, and a folder is replaced
only when archgen owns it.

- :func:`write_file` writes a temporary file beside the target and renames it over.
- :func:`claim` says whether archgen may write an output folder (the site, ``--docs-only``,
  Terraform, diagrams, the diff): one it created (it holds :data:`MARKER`) or an empty
  one, never a source folder, the repository or a folder that holds it, nor a symbolic
  link that leads out of the repository.
- :func:`write_tree` and :func:`replace_tree` build a whole folder aside (beside it, so
  the swap is two renames on one file system) and swap it in under a lock. What archgen
  did not write there is carried over into the new folder (``CNAME``, ``.nojekyll``,
  ``.well-known/``, ``terraform.tfstate``, ``.terraform/``): :data:`MARKER` lists what it
  wrote, and only that is ever replaced or deleted.
- The swap keeps a journal, and every staging folder is registered with a lock held by
  its process, both under the repository's ``.archgen/``: :func:`recover` (run by
  :func:`claim`) completes a swap that was interrupted between its renames and removes
  the staging folders of processes that died.

Locks and journals live under ``.archgen/``, never beside the outputs.

- :func:`write_sealed` and :func:`read_sealed` keep cache entries (the diagram cache
  under ``.archgen/cache``): each entry carries a keyed hash (HMAC-SHA256) of its name
  and content, made with a key of this machine's user that never lives in the
  repository (:func:`cache_key_file`). An entry someone committed, copied or edited
  does not verify and is read as missing, so the caller draws it again.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath

from archgen.errors import UsageError, checkpoint

__all__ = [
    "LEGACY_MARKERS",
    "MARKER",
    "STATE_DIR",
    "OutputRefused",
    "cache_key_file",
    "checkpoint",
    "claim",
    "lock",
    "mark",
    "read_marker",
    "read_sealed",
    "recover",
    "replace_tree",
    "safe_relpath",
    "staging",
    "update_marker",
    "write_file",
    "write_files",
    "write_sealed",
    "write_tree",
]

Content = bytes | str

#: The file archgen leaves in each folder it owns: JSON with what it wrote there.
MARKER = ".archgen-output"
#: Markers of earlier versions (``build --docs-only``): the folder is archgen's.
LEGACY_MARKERS = (".archgen-docs",)
#: The state folder of a repository: staging registry, swap journals, locks, caches.
STATE_DIR = ".archgen"


class OutputRefused(UsageError):
    """archgen will not write an output there (exit 2); nothing was written."""


def _bytes(content: Content) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def safe_relpath(rel: str) -> PurePosixPath:
    """A relative path that stays inside its folder, or ValueError."""
    p = PurePosixPath(rel)
    if p.is_absolute() or not p.parts or any(part in ("..", "") for part in p.parts) or "\\" in rel or "\x00" in rel:
        raise ValueError(f"unsafe output path {rel!r}")
    return p


# ---------------------------------------------------------------------------
# files


def write_file(path: str | os.PathLike[str], content: Content, mode: int = 0o644, durable: bool = True) -> None:
    """Write ``content`` to ``path`` atomically (readers see the old or the new file).
    ``durable=False``: no ``fsync``, for files a crash may lose (a staging folder, which
    :func:`recover` discards; a sealed cache entry, which a torn write only invalidates):
    syncing each of them took 0.5 s of a rebuild on a busy disk."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(_bytes(content))
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_files(root: str | os.PathLike[str], files: Mapping[str, Content], durable: bool = True) -> None:
    """Write several files below ``root``, each atomically (others there are kept)."""
    base = Path(root)
    for rel in sorted(files):
        write_file(base / safe_relpath(rel), files[rel], durable=durable)


#: The first line of a sealed cache entry: this word and the entry's HMAC, in hex.
_SEAL = b"archgen-sealed-1 "


def cache_key_file() -> Path:
    """Where this user's cache key lives: ``$XDG_CACHE_HOME/archgen/cache.key`` (by
    default ``~/.cache/archgen/cache.key``), outside every repository."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "archgen" / "cache.key"


_keys: dict[Path, bytes] = {}


def _cache_key() -> bytes:
    """This user's cache key (32 random bytes, made once, readable by the user only); a
    key of this process alone when that file cannot be made."""
    path = cache_key_file()
    if path not in _keys:
        _keys[path] = _read_or_make_key(path)
    return _keys[path]


def _read_or_make_key(path: Path) -> bytes:
    for _ in range(2):
        try:
            key = path.read_bytes()
            if len(key) == 32:
                return key
        except OSError:
            pass
        try:  # made aside, then linked in: the first process (or thread) to link it wins
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".cache.key.", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(secrets.token_bytes(32))
                os.chmod(tmp, 0o600)
                with contextlib.suppress(FileExistsError):
                    os.link(tmp, path)
            finally:
                os.unlink(tmp)
        except OSError:
            break
    return secrets.token_bytes(32)


def _seal(path: Path, data: bytes) -> bytes:
    mac = hmac.new(_cache_key(), path.name.encode("utf-8") + b"\0" + data, hashlib.sha256)
    return mac.hexdigest().encode("ascii")


def write_sealed(path: str | os.PathLike[str], content: Content) -> None:
    """Write a cache entry that :func:`read_sealed` will verify (atomically)."""
    target, data = Path(path), _bytes(content)
    write_file(target, _SEAL + _seal(target, data) + b"\n" + data, durable=False)  # torn: the seal fails


def read_sealed(path: str | os.PathLike[str]) -> bytes | None:
    """A cache entry's content if this user's key sealed exactly it under this name;
    None when it is missing, unreadable, unsealed or altered."""
    target = Path(path)
    try:
        raw = target.read_bytes()
    except OSError:
        return None
    head, newline, data = raw.partition(b"\n")
    if not newline or not head.startswith(_SEAL):
        return None
    return data if hmac.compare_digest(head[len(_SEAL):], _seal(target, data)) else None


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


def _key(target: Path) -> str:
    return hashlib.sha256(str(target).encode("utf-8", "surrogateescape")).hexdigest()[:20]


def _lock_path(state: Path, target: Path) -> Path:
    return state / "locks" / f"{_key(target)}.lock"


# ---------------------------------------------------------------------------
# which folders archgen may write


def _inside(path: Path, base: Path) -> bool:
    return path == base or base in path.parents


def read_marker(folder: Path) -> dict | None:
    """What :data:`MARKER` of ``folder`` says (``{}`` for a marker without a list, such as
    an empty one a user made to hand a folder over); None when there is no marker."""
    marker = folder / MARKER
    try:
        text = marker.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {} if any((folder / m).is_file() for m in LEGACY_MARKERS) else None
    except (OSError, UnicodeDecodeError):
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _looks_like_a_mkdocs_site(folder: Path) -> bool:
    """A site MkDocs (or an archgen without markers) built: MkDocs replaces such a folder too."""
    index = folder / "index.html"
    try:
        head = index.read_bytes()[:4096]
    except OSError:
        return False
    return b'name="generator" content="mkdocs-' in head


def claim(
    dest: str | os.PathLike[str],
    *,
    root: str | os.PathLike[str] = ".",
    sources: Iterable[tuple[str | os.PathLike[str], str, bool]] = (),
    option: str = "the output folder",
    site: bool = False,
) -> Path:
    """Check that archgen may write the output folder ``dest`` and return its real path.

    ``sources`` are (folder, what it is, whether an output may sit inside it) for what
    archgen reads (``arch/``, ``decisions/``, the docs folder: see
    :func:`archgen.sources.repository.source_folders`): ``dest`` may be neither one of
    them, nor hold one, nor (unless allowed) sit inside one;
    nor the repository ``root`` or a folder above it; nor lead out of the repository
    through a symbolic link. An existing ``dest`` must be empty or archgen's (its
    :data:`MARKER`; with ``site``, also a site MkDocs built). Interrupted swaps and dead
    staging folders of the repository are recovered first. Raises :class:`OutputRefused`.
    """
    rootp = Path(root)
    recover(rootp / STATE_DIR)
    given = Path(dest)
    shown = str(given)
    absolute = Path(os.path.abspath(given))
    base = rootp.resolve()
    real = absolute.resolve()
    if _inside(absolute, Path(os.path.abspath(rootp))) and not _inside(real, base):
        raise OutputRefused(
            f"{option} {shown} is a symbolic link that leads out of the repository (to {real}); "
            "archgen does not write through it: give a folder inside the repository, or the real path"
        )
    if _inside(base, real):
        raise OutputRefused(
            f"{option} {shown} is the repository's folder or holds it; archgen writes its outputs into a "
            "folder of their own, replaced as a whole on each run (such as site/ or build/)"
        )
    for folder, what, nested_ok in [*sources, (rootp / ".git", "git's own folder", False), (rootp / STATE_DIR, "archgen's state", False)]:
        src = Path(os.path.abspath(folder)).resolve()
        if _inside(src, real) or (_inside(real, src) and not nested_ok):
            where = "is" if real == src else "is inside" if _inside(real, src) else "holds"
            raise OutputRefused(
                f"{option} {shown} {where} {Path(folder).name}/, {what}, which archgen reads; "
                "give an output folder of its own (archgen replaces it as a whole on each run)"
            )
    if real.exists() and not real.is_dir():
        raise OutputRefused(f"{option} {shown} is a file, not a folder")
    if real.is_dir() and read_marker(real) is None and any(real.iterdir()):
        if not (site and _looks_like_a_mkdocs_site(real)):
            raise OutputRefused(
                f"{option} {shown} exists, is not empty and was not written by archgen (it has no {MARKER}); "
                "give a new or empty folder. archgen replaces its outputs as a whole on each run, keeping the files "
                f"it did not write; to hand this folder over to it, create an empty {shown}/{MARKER}"
            )
    return real


def mark(folder: Path, files: Iterable[str] | None = None, **extra: str) -> None:
    """Leave :data:`MARKER` in ``folder``: archgen's, with ``files`` (relative paths) as what it wrote."""
    data: dict[str, object] = {"written_by": "archgen", "note": "archgen replaces the files listed here on each run; every other file is kept"}
    if files is not None:
        data["files"] = sorted(files)
    data.update(extra)
    write_file(folder / MARKER, json.dumps(data, indent=1, sort_keys=True) + "\n")


def update_marker(folder: Path, state: str | os.PathLike[str], **extra: str) -> None:
    """Set ``extra`` fields in the :data:`MARKER` of ``folder`` (archgen's), under the
    folder's lock, keeping the list of its files (a site kept as it was, from new inputs)."""
    target = Path(os.path.abspath(folder))
    with lock(_lock_path(Path(state), target)):
        data = read_marker(target) or {}
        files = data.pop("files", None)
        for key in ("written_by", "note"):
            data.pop(key, None)
        data.update(extra)
        mark(target, files if isinstance(files, list) else None, **{k: str(v) for k, v in data.items()})


# ---------------------------------------------------------------------------
# staging folders, registered so that a dead process's are removed


@contextlib.contextmanager
def staging(beside: str | os.PathLike[str], state: str | os.PathLike[str]) -> Iterator[Path]:
    """A fresh, empty folder beside ``beside`` to build into, removed at the end whatever
    happens. It is registered under ``state/builds`` with a lock this process holds
    until then, so that :func:`recover` removes it if the process dies."""
    near = Path(os.path.abspath(beside))
    near.parent.mkdir(parents=True, exist_ok=True)
    path = near.parent / f".{near.name}.build-{secrets.token_hex(6)}"
    registry = Path(state) / "builds"
    registry.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=registry)
    fcntl.flock(fd, fcntl.LOCK_EX)
    entry = registry / f"stage-{path.name.lstrip('.')}.lock"
    try:
        os.write(fd, str(path).encode("utf-8", "surrogateescape"))
        os.replace(tmp, entry)
        path.mkdir()
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(entry)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        os.close(fd)


def recover(state: str | os.PathLike[str]) -> list[str]:
    """Finish what dead processes left: swaps interrupted between their renames are
    completed (the new folder was whole before its swap began), and staging folders of
    processes that no longer run are removed. Returns what was done, for messages."""
    statep = Path(state)
    done: list[str] = []
    journal_dir = statep / "journal"
    if journal_dir.is_dir():
        for journal in sorted(journal_dir.glob("*.json")):
            try:
                entry = json.loads(journal.read_text(encoding="utf-8"))
                target, new, old = Path(entry["target"]), Path(entry["new"]), Path(entry["old"])
            except (OSError, ValueError, KeyError, TypeError):
                continue
            if not _swap_names(target, new, old):
                continue  # not a journal archgen wrote: touch nothing it names
            with lock(_lock_path(statep, target)):
                if not journal.exists():
                    continue  # its swap finished while we waited for the lock
                done.append(_finish_swap(target, new, old))
                journal.unlink()
    registry = statep / "builds"
    if registry.is_dir():
        for entry in sorted([*registry.glob("stage-*.lock"), *registry.glob(".tmp-*")]):
            try:
                fd = os.open(entry, os.O_RDWR)
            except OSError:
                continue
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # its process is alive and building
                path = os.read(fd, 65536).decode("utf-8", "surrogateescape")
                if path and Path(path).name.startswith(".") and ".build-" in Path(path).name:
                    if Path(path).exists():
                        shutil.rmtree(path, ignore_errors=True)
                        done.append(f"removed {path}, left by an interrupted run")
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry)
            finally:
                os.close(fd)
    return done


def _swap_names(target: Path, new: Path, old: Path) -> bool:
    """Whether a journal names what :func:`replace_tree` makes: the staging and old folders
    beside their target, named after it."""
    return (
        target.is_absolute()
        and new.parent == target.parent
        and old.parent == target.parent
        and new.name.startswith(f".{target.name}.build-")
        and old.name.startswith(f".{target.name}.old-")
    )


def _finish_swap(target: Path, new: Path, old: Path) -> str:
    if new.is_dir():  # roll forward: the new folder was complete before the journal was written
        if os.path.lexists(target) and not old.exists():
            os.rename(target, old)
        if not os.path.lexists(target):
            os.rename(new, target)
        shutil.rmtree(old, ignore_errors=True)
        return f"completed the interrupted publication of {target}"
    if not os.path.lexists(target) and old.is_dir():  # the new folder is gone: put the old one back
        os.rename(old, target)
        return f"restored {target} from before an interrupted publication"
    shutil.rmtree(old, ignore_errors=True)
    return f"cleaned up after the publication of {target}"


# ---------------------------------------------------------------------------
# replacing a folder


def _walk(folder: Path) -> tuple[list[str], list[str]]:
    """(files and symbolic links, empty folders) below ``folder``, as relative POSIX paths."""
    files: list[str] = []
    empty: list[str] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        rel = here.relative_to(folder)
        for d in list(dirnames):
            if (here / d).is_symlink():  # a link to a folder is one entry, never followed
                dirnames.remove(d)
                filenames.append(d)
        if not dirnames and not filenames and here != folder:
            empty.append(rel.as_posix())
        files += [(rel / f).as_posix() for f in filenames]
    return sorted(files), sorted(empty)


def _carry(old: Path, new: Path, keep: set[str] | None, dotfiles_only: bool) -> None:
    """Link into ``new`` what archgen did not write in ``old``. With ``keep``, the files
    archgen wrote there last time, every other file; without it, every file, or with
    ``dotfiles_only`` (a site MkDocs built) the entries starting with '.' at the top, as
    MkDocs keeps them, and GitHub Pages' ``CNAME``. A path archgen writes now is its own."""
    files, empty = _walk(old)
    for rel in files + empty:
        if rel == MARKER or rel in LEGACY_MARKERS:
            continue
        if keep is not None:
            if rel in keep:
                continue
        elif dotfiles_only and not rel.startswith(".") and rel != "CNAME":
            continue
        src, dst = old / rel, new / rel
        if os.path.lexists(dst) or any(os.path.lexists(p) and not p.is_dir() for p in dst.parents if _inside(p, new)):
            continue  # archgen writes that path now: the new file wins
        if rel in empty:
            dst.mkdir(parents=True, exist_ok=True)
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            os.symlink(os.readlink(src), dst)
            continue
        try:
            os.link(src, dst)  # the same file system: no copy, and the old folder stays whole
        except OSError:
            shutil.copy2(src, dst)


def _keep_same(old: Path, new: Path, written: list[str]) -> int:
    """Give each file of ``new`` whose bytes are those of the same file in ``old`` the
    old file itself (a hard link put in place by a rename): what a rebuild did not change
    keeps its inode and modification time, so a reader, a sync or a web server sees only
    what changed. Returns how many were kept."""
    kept = 0
    for rel in written:
        src, dst = old / rel, new / rel
        try:
            if src.is_symlink() or dst.is_symlink() or not src.is_file() or src.stat().st_size != dst.stat().st_size:
                continue
            if src.read_bytes() != dst.read_bytes():
                continue
            tmp = dst.with_name(f".{dst.name}.same-{secrets.token_hex(4)}")
            os.link(src, tmp)
            os.replace(tmp, dst)
            kept += 1
        except OSError:
            continue  # another file system, or gone: the new copy stays
    return kept


def replace_tree(
    staged: Path, dest: str | os.PathLike[str], state: str | os.PathLike[str], *, site: bool = False, keep_same: bool = False, **extra: str
) -> None:
    """Swap the complete folder ``staged`` (beside ``dest``) in for ``dest``, under a lock.

    Everything of ``dest`` that archgen did not write is carried over first, and
    ``staged`` gets a :data:`MARKER` that lists its own files (with ``extra`` fields, such
    as the site's stamp). With ``keep_same``, a file whose bytes did not change is the
    old file itself (:func:`_keep_same`). The swap is journalled under ``state``: a
    process killed between the two renames is completed by the next run's :func:`recover`.
    """
    target = Path(os.path.abspath(dest))
    statep = Path(state)
    written, _empty = _walk(staged)
    with lock(_lock_path(statep, target)):
        if target.is_dir():
            marker = read_marker(target)
            listed = marker.get("files") if marker else None
            keep = set(listed) if isinstance(listed, list) else None
            _carry(target, staged, keep, dotfiles_only=site and keep is None)
            if keep_same:
                _keep_same(target, staged, [w for w in written if w != MARKER])
        mark(staged, [w for w in written if w != MARKER], **extra)
        checkpoint("swap-start")
        journal = statep / "journal" / f"{_key(target)}.json"
        old = target.parent / f".{target.name}.old-{secrets.token_hex(6)}"
        write_file(journal, json.dumps({"target": str(target), "new": str(staged), "old": str(old)}) + "\n")
        had = os.path.lexists(target)
        if had:
            os.rename(target, old)
        checkpoint("swap-between-renames")
        try:
            os.rename(staged, target)
        except BaseException:
            if had:
                os.rename(old, target)
            os.unlink(journal)
            raise
        checkpoint("swap-renamed")
        os.unlink(journal)
    if had:
        shutil.rmtree(old, ignore_errors=True)


def write_tree(dest: str | os.PathLike[str], files: Mapping[str, Content], state: str | os.PathLike[str]) -> None:
    """Make ``dest`` hold ``files`` (and what archgen did not write there), atomically."""
    with staging(dest, state) as staged:
        for rel in sorted(files):
            p = staged / safe_relpath(rel)
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(_bytes(files[rel]))
        replace_tree(staged, dest, state)

