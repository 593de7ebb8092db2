"""Reading a git revision's tree and blobs: no checkout, no worktree, nothing written.

:meth:`Revision.open` finds the repository around a path and validates the revision
(a branch, tag or commit); :meth:`Revision.files` lists the regular files of a folder
(or one file) as committed, following symbolic links that stay inside the repository;
:meth:`Revision.read` reads their bytes in one ``git cat-file --batch``. Problems are
:class:`RevisionError` (a :class:`~archgen.errors.UsageError`: the revision cannot be
used) or :class:`~archgen.errors.ModelErrors` at ``REV:PATH`` (a file of it is refused).
"""

from __future__ import annotations

import os
import posixpath
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from archgen.errors import Location, ModelError, ModelErrors, UsageError

__all__ = ["Blob", "GitFailed", "Revision", "RevisionError", "check_revision", "run_git"]

#: How long one git command may take.
TIMEOUT_S = 120
#: Symbolic links followed in a row before giving up.
MAX_LINKS = 8
#: Modes of the tree entries read: regular files (plain and executable) and symbolic links.
_FILE_MODES = ("100644", "100755")
_LINK_MODE = "120000"


class RevisionError(UsageError):
    """The revision cannot be read: no git, not a repository, no such revision."""


class GitFailed(Exception):
    """A git command exited non-zero; the message is git's last line of stderr."""


def run_git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    """The standard output of ``git ARGS`` run in ``cwd``, never prompting."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        proc = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            env=env,
            timeout=TIMEOUT_S,
        )
    except FileNotFoundError:
        raise RevisionError("git is not installed (not on PATH)") from None
    except subprocess.TimeoutExpired:
        raise RevisionError(f"git {args[0]} took longer than {TIMEOUT_S} s") from None
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitFailed(detail[-1] if detail else f"git {args[0]} failed (exit {proc.returncode})")
    return proc.stdout


def check_revision(rev: str) -> None:
    """Refuse what git would read as an option (``--upload-pack=...``) or as nothing."""
    if not rev.strip() or rev.startswith("-"):
        raise RevisionError(f"{rev!r} is not a revision")


@dataclass(frozen=True)
class Blob:
    """One file of a revision's tree."""

    path: str  # repository-relative, POSIX
    sha: str
    size: int
    link: bool = False  # a symbolic link: the blob holds its target


@dataclass(frozen=True)
class Revision:
    """A validated revision of the repository whose top folder is ``top``."""

    rev: str
    top: Path

    @classmethod
    def open(cls, rev: str, near: str | os.PathLike[str]) -> Revision:
        """``rev`` of the repository that holds ``near`` (a file or folder)."""
        check_revision(rev)
        here = Path(near) if Path(near).is_dir() else Path(near).parent
        try:
            top = Path(run_git(["rev-parse", "--show-toplevel"], here).decode("utf-8").strip())
        except GitFailed:
            raise RevisionError(f"{near} is not inside a git repository") from None
        try:
            run_git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], top)
        except GitFailed:
            raise RevisionError(
                f"unknown revision {rev!r} (in CI, fetch it first: actions/checkout with fetch-depth: 0)"
            ) from None
        return cls(rev, top)

    def label(self, path: str) -> str:
        """How a file of the revision is named in messages: ``REV:PATH``."""
        return f"{self.rev}:{path}"

    def relative(self, path: Path) -> str:
        """``path`` of the working tree as a repository path (``.`` for the top)."""
        r = os.path.relpath(os.path.realpath(path), os.path.realpath(self.top))
        if r == ".." or r.startswith("../"):
            raise RevisionError(f"{path} is outside the repository {self.top}")
        return PurePosixPath(*Path(r).parts).as_posix() if r != "." else "."

    def ls(self, target: str, folder: bool) -> list[Blob]:
        """Regular files and links at ``target`` (a folder's direct entries, or one file)."""
        spec = (target.rstrip("/") + "/") if folder else target
        if spec in ("/", "./"):
            spec = "."
        raw = run_git(["ls-tree", "-l", "-z", self.rev, "--", spec], self.top)
        out = []
        for entry in raw.split(b"\0"):
            if not entry:
                continue
            meta, _, name = entry.partition(b"\t")
            mode, kind, sha, size = meta.decode("ascii").split()
            if kind != "blob" or mode not in (*_FILE_MODES, _LINK_MODE):
                continue  # folders and submodules are not models
            out.append(Blob(name.decode("utf-8", "surrogateescape"), sha, int(size), mode == _LINK_MODE))
        return sorted(out, key=lambda b: b.path)

    def files(self, target: str, folder: bool) -> list[Blob]:
        """:meth:`ls` with symbolic links replaced by what they point at."""
        return self.follow_links(self.ls(target, folder))

    def follow_links(self, blobs: list[Blob]) -> list[Blob]:
        """Symbolic links replaced by what they point at (as committed), keeping the link's
        path as the name; links that leave the repository are refused, as the loader
        refuses them in a working tree. A dangling link is left out."""
        out: list[Blob] = []
        errors: list[ModelError] = []
        for blob in blobs:
            current, hops = blob, 0
            while current.link and hops < MAX_LINKS:
                hops += 1
                target = self.read([current])[current.path].decode("utf-8", "surrogateescape")
                path = posixpath.normpath(posixpath.join(posixpath.dirname(current.path), target))
                if target.startswith("/") or path == ".." or path.startswith("../"):
                    errors.append(
                        ModelError(
                            Location(self.label(blob.path)),
                            "a symbolic link that points outside the repository is refused",
                        )
                    )
                    break
                found = self.ls(path, folder=False)
                if not found:  # a dangling link: nothing there at this revision
                    break
                current = found[0]
            else:
                if not current.link:
                    out.append(Blob(blob.path, current.sha, current.size))
                    continue
                errors.append(ModelError(Location(self.label(blob.path)), f"more than {MAX_LINKS} symbolic links in a row"))
        if errors:
            raise ModelErrors(errors)
        return out

    def read(self, blobs: list[Blob]) -> dict[str, bytes]:
        """The contents of ``blobs`` by path, read in one ``git cat-file --batch``."""
        if not blobs:
            return {}
        raw = run_git(["cat-file", "--batch"], self.top, stdin="".join(f"{b.sha}\n" for b in blobs).encode("ascii"))
        out: dict[str, bytes] = {}
        pos = 0
        for blob in blobs:
            end = raw.index(b"\n", pos)
            header = raw[pos:end].split()
            size = int(header[2])
            out[blob.path] = raw[end + 1 : end + 1 + size]
            pos = end + 1 + size + 1
        return out
