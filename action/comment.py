"""Post or update the one architecture-diff comment of a pull request (the Action's step).

    python comment.py --markdown diff.md --json diff.json --repo OWNER/NAME --pr 12

- The comment starts with a marker line; the pull request's comments are searched for it
  (every page), and the one found is updated in place: a pull request has one such
  comment however often it is pushed to.
- When the diff changes nothing and no comment exists yet, nothing is posted. When a
  comment exists and the change was since undone, the comment is updated to say so,
  rather than left showing a change that is no longer there.
- A token that may not write (pull requests from forks get a read-only one) gives a
  warning in the log and exit status 0: the check and its SARIF still count.

Standard library only (it runs before anything else is installed, on any runner). The
token comes from ``GITHUB_TOKEN``, the API from ``GITHUB_API_URL`` (GitHub Enterprise
sets it; default https://api.github.com).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from typing import Any

MARKER = "<!-- archgen-diff -->"


def changed(diff: dict[str, Any]) -> bool:
    """Whether ``archgen diff --format json`` reports any change at all (drift new or
    resolved against the plan of the ``plan`` input counts; drift still there does not)."""
    drift = diff.get("drift") if isinstance(diff.get("drift"), dict) else {}
    if drift.get("new") or drift.get("resolved"):
        return True
    summary = diff.get("summary", {})
    for topic, counts in summary.items():
        if topic in ("fail_on", "introduced_unaccepted") or not isinstance(counts, dict):
            continue
        if any(n for key, n in counts.items() if key != "unchanged"):
            return True
    return False


class Api:
    def __init__(self, base: str, token: str) -> None:
        self.base = base.rstrip("/")
        self.token = token

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode("utf-8") if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Accept", "application/vnd.github+json")
        req.add_header("X-GitHub-Api-Version", "2022-11-28")
        req.add_header("User-Agent", "archgen-action")
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 - the GitHub API URL
            raw = resp.read()
        return json.loads(raw) if raw else None

    def comments(self, repo: str, pr: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        page = 1
        while True:
            batch = self.call("GET", f"/repos/{repo}/issues/{pr}/comments?per_page=100&page={page}")
            out += batch
            if len(batch) < 100:
                return out
            page += 1


def publish(api: Api, repo: str, pr: int, markdown: str, has_change: bool) -> str:
    """Create, update or leave the comment; returns what was done."""
    body = f"{MARKER}\n{markdown}"
    mine = [c for c in api.comments(repo, pr) if (c.get("body") or "").startswith(MARKER)]
    if mine:
        first = mine[0]
        if first.get("body") == body:
            return f"comment {first['id']} is up to date"
        api.call("PATCH", f"/repos/{repo}/issues/comments/{first['id']}", {"body": body})
        return f"updated comment {first['id']}"
    if not has_change:
        return "no change to the architecture: no comment"
    made = api.call("POST", f"/repos/{repo}/issues/{pr}/comments", {"body": body})
    return f"created comment {made['id']}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--markdown", required=True, help="archgen diff --format markdown output")
    parser.add_argument("--json", required=True, help="archgen diff --format json output")
    parser.add_argument("--repo", required=True, help="OWNER/NAME")
    parser.add_argument("--pr", required=True, type=int, help="pull request number")
    args = parser.parse_args(argv)
    with open(args.markdown, encoding="utf-8") as f:
        markdown = f.read()
    with open(args.json, encoding="utf-8") as f:
        has_change = changed(json.load(f))
    api = Api(os.environ.get("GITHUB_API_URL", "https://api.github.com"), os.environ.get("GITHUB_TOKEN", ""))
    try:
        print(f"archgen: {publish(api, args.repo, args.pr, markdown, has_change)}")
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403, 404):  # a read-only token (a fork's pull request) or no access
            print(f"::warning title=archgen::could not comment on the pull request (HTTP {exc.code}); "
                  "a pull request from a fork gets a read-only token")
            return 0
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
