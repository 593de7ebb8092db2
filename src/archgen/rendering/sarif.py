"""Findings as SARIF 2.1.0, the format code scanning reads (``archgen check --format sarif``).

One run per invocation, with every registered rule as a ``reportingDescriptor``
(title, the rule's documentation as help text and Markdown, a link to its page on
the site, its default level) and one result per finding, located at the model's
FILE:LINE:COLUMN so GitHub code scanning annotates the YAML in pull requests.

- Levels: ``error`` -> ``error``, ``warning`` -> ``warning``, ``info`` -> ``note``.
- Security rules carry the ``security`` tag and a ``security-severity`` (error 8.0,
  high; warning 5.0, medium), which GitHub uses to rank security alerts; every rule's
  CWE ids are tags in CodeQL's form (``external/cwe/cwe-306``) and its STRIDE categories
  tags too (``stride/spoofing``), with ``cwe`` and ``stride`` in its property bag. The
  help text carries the rule's Threat and False positives sections.
- Tags are unique (the official schema says ``uniqueItems``; GitHub's upload rejects
  a log that repeats one).
- An accepted finding keeps its level and gets a SARIF suppression
  (``kind: inSource``, ``status: accepted``, the reason as justification): the
  acceptance is written in the model, the file that was analysed, next to the
  component (SARIF 2.1.0 §3.35.2: ``inSource`` is a suppression "expressed in the
  analysis target"; ``external`` one kept in a separate file).
- ``partialFingerprints`` identify a finding by model, rule, component and
  occurrence, not by line, so an alert survives edits that move lines.
- File URIs are relative to the repository root (the nearest folder above the
  working directory holding ``.git``, else the working directory) with
  ``uriBaseId: %SRCROOT%``; ``originalUriBaseIds`` gives that root's absolute
  ``file://`` URI, as the spec asks, so viewers outside GitHub resolve the files
  too. A run from a monorepo's subfolder therefore names ``sub/arch/x.yaml``, which is
  where code scanning looks. Files outside the root keep an absolute ``file://`` URI.
- When a model cannot be read, :func:`error_log` gives a valid log with no results
  and one ``toolExecutionNotification`` per problem, at its FILE:LINE:COLUMN, in an
  invocation marked ``executionSuccessful: false`` (exit status 2 is unchanged).
- No timestamps, keys in a fixed order: the same findings in the same checkout give
  the same bytes.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from archgen.errors import ModelError
    from archgen.findings import Finding
    from archgen.model import Model
    from archgen.rules import Rule

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#: Where the rule pages live unless the caller says otherwise (``rules/<ID>/`` below it).
DEFAULT_SITE_URL = "https://archgen.dev/"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
#: GitHub ranks security alerts by this number: >= 7.0 high, 4.0-6.9 medium.
SECURITY_SEVERITY = {"error": "8.0", "warning": "5.0", "info": "2.0"}
FINGERPRINT_KEY = "archgenFinding/v1"
SRCROOT = "%SRCROOT%"
#: The notification a model that cannot be read gets (``toolExecutionNotifications``).
MODEL_ERROR_ID = "ARCHGEN-MODEL-UNREADABLE"

Results = list[tuple["Model", list["Finding"]]]


def rule_url(rule_id: str, site_url: str = DEFAULT_SITE_URL) -> str:
    """The rule's page: ``<site>/rules/<ID>/``."""
    return f"{site_url.rstrip('/')}/rules/{rule_id}/"


def repository_root(start: str | os.PathLike[str] | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: the working directory) holding ``.git``.

    Without one, ``start`` itself: its files are then named relative to it.
    """
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def artifact_location(file: str, root: Path | None = None) -> dict[str, str]:
    """A file as a SARIF ``artifactLocation``: relative to the repository root under %SRCROOT%."""
    root = root if root is not None else repository_root()
    path = Path(file)
    absolute = Path(os.path.abspath(path))  # no symlink resolution: the user's spelling of the path
    try:
        rel = absolute.relative_to(root)
    except ValueError:
        try:  # the root was resolved (symlinks): try the resolved file too
            rel = absolute.resolve().relative_to(root)
        except ValueError:
            return {"uri": absolute.as_uri()}
    return {"uri": quote(PurePosixPath(*rel.parts).as_posix(), safe="/"), "uriBaseId": SRCROOT}


def artifact_uri(file: str, root: Path | None = None) -> str:
    """The ``uri`` of :func:`artifact_location`."""
    return artifact_location(file, root)["uri"]


def _root_uri(root: Path) -> str:
    uri = root.as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _name(rule_id: str) -> str:
    """SEC-PUBLIC-DATASTORE -> SecPublicDatastore (SARIF's identifier-like rule name)."""
    return "".join(part.capitalize() for part in rule_id.split("-"))


def _plain(markdown: str) -> str:
    """Markdown reduced to readable text for SARIF's plain-text fields."""
    text = re.sub(r"`([^`]*)`", r"\1", markdown)
    text = re.sub(r"\*\*([^*]*)\*\*", r"\1", text)
    return text.strip()


def _descriptor(rule: Rule, site_url: str) -> dict[str, Any]:
    sections = rule.sections()
    what = " ".join(_plain(sections.get("What it checks", rule.title)).split())
    props: dict[str, Any] = {"category": rule.category}
    # GitHub code scanning shows tags and filters on them: the category, the CWE ids in CodeQL's
    # form (external/cwe/cwe-079) and the STRIDE categories
    tags = [rule.category, *(f"external/cwe/cwe-{n:03d}" for n in rule.cwe), *(f"stride/{s}" for s in rule.stride)]
    if rule.category == "security":
        props["security-severity"] = SECURITY_SEVERITY[rule.severity]
    if rule.stride:
        props["stride"] = list(rule.stride)
    if rule.cwe:
        props["cwe"] = [f"CWE-{n}" for n in rule.cwe]
    props["tags"] = sorted(set(tags))  # the schema's uniqueItems
    help_md = f"{rule.doc.strip()}\n\n**Remediation:** {rule.remediation}\n"
    return {
        "id": rule.id,
        "name": _name(rule.id),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": what},
        "helpUri": rule_url(rule.id, site_url),
        "help": {"text": f"{_plain(rule.doc)}\n\nRemediation: {rule.remediation}\n", "markdown": help_md},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": props,
    }


def _fingerprint(model: str, finding: Finding, occurrence: int) -> str:
    key = "\x1f".join([model, finding.rule, finding.component or "", str(occurrence)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _region(line: int, column: int) -> dict[str, int]:
    region = {"startLine": max(1, line or 1)}
    if column:
        region["startColumn"] = column
    return region


def _result(finding: Finding, model: Model, index: int, occurrence: int, site_url: str, root: Path) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": artifact_location(finding.file, root),
            "region": _region(finding.line, finding.column),
        }
    }
    subject = f"{model.name}/{finding.component}" if finding.component else model.name
    location["logicalLocations"] = [
        {
            "name": finding.component or model.name,
            "fullyQualifiedName": subject,
            "kind": "resource" if finding.component else "module",
        }
    ]
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": f"{finding.message}. Fix: {finding.remediation}"},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(model.name, finding, occurrence)},
        "properties": {"category": finding.category, "model": model.name},
    }
    if finding.accepted:
        result["suppressions"] = [{"kind": "inSource", "status": "accepted", "justification": finding.reason or ""}]
    return result


def _driver(site_url: str, rules: list[Rule] | None) -> dict[str, Any]:
    from archgen import __version__

    driver: dict[str, Any] = {
        "name": "archgen",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": site_url,
    }
    if rules is not None:
        driver["rules"] = [_descriptor(rule, site_url) for rule in rules]
    return driver


def _log(run: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def to_sarif(
    results: Results, site_url: str = DEFAULT_SITE_URL, root: str | os.PathLike[str] | None = None, rules: tuple[Rule, ...] | None = None
) -> dict[str, Any]:
    """A SARIF 2.1.0 log of the findings of ``check_models`` (one run, every rule described).

    ``root`` is the repository root the URIs are relative to (default: :func:`repository_root`);
    ``rules`` the rules described (default: the design-time rules; ``verify`` gives its drift rules).
    """
    from archgen.rules import all_rules

    base = Path(root).resolve() if root is not None else repository_root()
    rules = all_rules() if rules is None else rules
    index = {rule.id: i for i, rule in enumerate(rules)}
    out: list[dict[str, Any]] = []
    for model, findings in results:
        seen: dict[tuple[str, str], int] = {}
        for finding in findings:
            key = (finding.rule, finding.component or "")
            seen[key] = seen.get(key, 0) + 1
            out.append(_result(finding, model, index[finding.rule], seen[key], site_url, base))
    return _log(
        {
            "tool": {"driver": _driver(site_url, rules)},
            "invocations": [{"executionSuccessful": True}],
            "originalUriBaseIds": {SRCROOT: {"uri": _root_uri(base)}},
            "columnKind": "unicodeCodePoints",
            "results": out,
        }
    )


def error_log(
    errors: list[ModelError | str], site_url: str = DEFAULT_SITE_URL, root: str | os.PathLike[str] | None = None
) -> dict[str, Any]:
    """A SARIF 2.1.0 log for a run that could not read its models: no results, one
    ``toolExecutionNotification`` (level error) per problem, at its FILE:LINE:COLUMN for a
    :class:`ModelError`, without a location for a plain message (a missing path, no arch/).

    The rules are described all the same: GitHub's ingestion asks for the array."""
    from archgen.rules import all_rules

    base = Path(root).resolve() if root is not None else repository_root()
    notes: list[dict[str, Any]] = []
    for err in errors:
        note: dict[str, Any] = {
            "descriptor": {"id": MODEL_ERROR_ID},
            "level": "error",
            "message": {"text": err if isinstance(err, str) else err.message},
        }
        if isinstance(err, str):
            notes.append(note)
            continue
        loc = err.location
        physical: dict[str, Any] = {"artifactLocation": artifact_location(loc.file, base)}
        if loc.line:
            physical["region"] = _region(loc.line, loc.column)
        note["locations"] = [{"physicalLocation": physical}]
        notes.append(note)
    return _log(
        {
            "tool": {"driver": _driver(site_url, all_rules())},
            "invocations": [{"executionSuccessful": False, "exitCode": 2, "toolExecutionNotifications": notes}],
            "originalUriBaseIds": {SRCROOT: {"uri": _root_uri(base)}},
            "columnKind": "unicodeCodePoints",
            "results": [],
        }
    )
