"""Secret-looking values in a model: found by name and by entropy, and never echoed.

Every output that shows ``env`` goes through :func:`redacted_env`.
"""

from __future__ import annotations

import math
import re
from collections import Counter

REDACTED = "«redacted»"

#: Names that say a value is a secret (matched as words of the variable name).
SECRET_NAME_RE = re.compile(
    r"(^|[_.-])(PASSWORD|PASSWD|PWD|SECRET|TOKEN|API[_-]?KEY|KEY|PRIVATE[_-]?KEY|CREDENTIALS?|"
    r"AUTH|ACCESS[_-]?KEY|CLIENT[_-]?SECRET|CONN(ECTION)?[_-]?STRING|DSN|SIGNING[_-]?KEY)([_.-]|$)",
    re.IGNORECASE,
)
#: Values that embed credentials: URLs with user:password, well-known key shapes.
SECRET_VALUE_RES = (
    re.compile(r"^[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.IGNORECASE),  # scheme://user:pass@
    re.compile(r"^(AKIA|ASIA)[A-Z0-9]{16}$"),  # AWS access key id
    re.compile(r"^gh[pousr]_[A-Za-z0-9]{30,}$"),  # GitHub tokens
    re.compile(r"^xox[abpr]-[A-Za-z0-9-]{10,}$"),  # Slack tokens
    re.compile(r"^sk_(live|test)_[A-Za-z0-9]{16,}$"),  # Stripe keys
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
)
#: Shannon entropy (bits per character) above which a long token looks random.
ENTROPY_BITS = 3.5
ENTROPY_MIN_LENGTH = 20
_TOKEN_RE = re.compile(r"^[A-Za-z0-9+/=_\-.]+$")


def shannon_entropy(value: str) -> float:
    if not value:
        return 0.0
    counts = Counter(value)
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def secret_reason(name: str, value: object) -> str | None:
    """Why ``name=value`` looks like a secret, or None. Never includes the value."""
    text = str(value)
    if isinstance(value, bool) or text == "":
        return None
    if SECRET_NAME_RE.search(name):
        return f"the name {name} says it is a secret"
    for pattern in SECRET_VALUE_RES:
        if pattern.search(text):
            return f"the value of {name} has the shape of a credential"
    if len(text) >= ENTROPY_MIN_LENGTH and _TOKEN_RE.match(text) and shannon_entropy(text) >= ENTROPY_BITS:
        return f"the value of {name} looks random ({shannon_entropy(text):.1f} bits per character), like a key or token"
    return None


def redacted_env(env: dict[str, object]) -> dict[str, object]:
    """``env`` with every secret-looking value replaced by :data:`REDACTED`, sorted by name."""
    return {k: (REDACTED if secret_reason(k, v) else v) for k, v in sorted(env.items())}
