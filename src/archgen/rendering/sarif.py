"""Findings as SARIF 2.1.0, the format code scanning reads (``archgen check --format sarif``).

One run per invocation, with every registered rule as a ``reportingDescriptor``
(title, the rule's documentation as help text and Markdown, a link to its page on
the site, its default level) and one result per finding, located at the model's
FILE:LINE:COLUMN so GitHub code scanning annotates the YAML in pull requests.

- Levels: ``error`` -> ``error``, ``warning`` -> ``warning``, ``info`` -> ``note``.
- Security rules carry the ``security`` tag and a ``security-severity`` (error 8.0,
  high; warning 5.0, medium), which GitHub uses to rank security alerts.
- An accepted finding keeps its level and gets a SARIF suppression
  (``kind: inSource``, ``status: accepted``, the reason as justification): the
  acceptance is written in the model, next to the component.
- ``partialFingerprints`` identify a finding by model, rule, component and
  occurrence, not by line, so an alert survives edits that move lines.
- No timestamps, no absolute paths for files below the working directory, keys in
  a fixed order: the same findings give the same bytes.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
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

Results = list[tuple["Model", list["Finding"]]]


def rule_url(rule_id: str, site_url: str = DEFAULT_SITE_URL) -> str:
    """The rule's page: ``<site>/rules/<ID>/``."""
    return f"{site_url.rstrip('/')}/rules/{rule_id}/"


def artifact_uri(file: str) -> str:
    """A file as a SARIF URI: relative paths stay relative (to the repository root), with '/'."""
    path = Path(file)
    if path.is_absolute():
        return path.as_uri()
    return quote(PurePosixPath(*path.parts).as_posix(), safe="/")


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
    tags = [rule.category]
    props: dict[str, Any] = {"category": rule.category}
    if rule.category == "security":
        tags.insert(0, "security")
        props["security-severity"] = SECURITY_SEVERITY[rule.severity]
    props["tags"] = tags
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


def _result(finding: Finding, model: Model, index: int, occurrence: int, site_url: str) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(1, finding.line or 1)}
    if finding.column:
        region["startColumn"] = finding.column
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(finding.file), "uriBaseId": "%SRCROOT%"},
            "region": region,
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


def to_sarif(results: Results, site_url: str = DEFAULT_SITE_URL) -> dict[str, Any]:
    """A SARIF 2.1.0 log of the findings of ``check_models`` (one run, every rule described)."""
    from archgen import __version__
    from archgen.rules import all_rules

    rules = all_rules()
    index = {rule.id: i for i, rule in enumerate(rules)}
    out: list[dict[str, Any]] = []
    for model, findings in results:
        seen: dict[tuple[str, str], int] = {}
        for finding in findings:
            key = (finding.rule, finding.component or "")
            seen[key] = seen.get(key, 0) + 1
            out.append(_result(finding, model, index[finding.rule], seen[key], site_url))
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "archgen",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": site_url,
                        "rules": [_descriptor(rule, site_url) for rule in rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": out,
            }
        ],
    }
