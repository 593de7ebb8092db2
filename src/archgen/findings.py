"""Findings: what a rule says about a model, in the shape of MODEL.md's JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
CATEGORIES = ("model", "security", "lock-in", "scale", "cost", "reliability")
#: ``archgen verify``'s findings: the model against a Terraform plan or state, never ``check``'s
DRIFT = "drift"
ALL_CATEGORIES = (*CATEGORIES, DRIFT)
_RANK = {s: i for i, s in enumerate(SEVERITIES)}

#: Base of the rule reference; a finding links to ``RULES_URL + ID``.
RULES_URL = "rules/"


def severity_rank(severity: str) -> int:
    """0 for error, 1 for warning, 2 for info (lower is worse)."""
    return _RANK[severity]


def at_or_above(severity: str, threshold: str) -> bool:
    return _RANK[severity] <= _RANK[threshold]


@dataclass(frozen=True)
class Finding:
    """One finding about one model (and usually one component)."""

    rule: str
    category: str
    severity: str
    message: str
    remediation: str
    file: str
    line: int
    column: int = 0
    component: str | None = None
    accepted: bool = False
    reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def sort_key(self) -> tuple[Any, ...]:
        return (severity_rank(self.severity), self.category, self.rule, self.component or "", self.line, self.message)

    @property
    def match_key(self) -> tuple[str, str]:
        """How a diff matches a finding across two versions of a model."""
        return (self.rule, self.component or "")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
        }
        if self.component is not None:
            out["component"] = self.component
        out.update(
            message=self.message,
            remediation=self.remediation,
            file=self.file,
            line=self.line,
            accepted=self.accepted,
        )
        if self.accepted:
            out["reason"] = self.reason
        out["help"] = f"{RULES_URL}{self.rule}/"
        return out


def failing(findings: list[Finding], threshold: str) -> list[Finding]:
    """Unaccepted findings at or above ``threshold``."""
    return [f for f in findings if not f.accepted and at_or_above(f.severity, threshold)]
