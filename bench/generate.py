"""Generate large, valid archgen models for benchmarks.

    python bench/generate.py 1000 > /tmp/m1000.yaml

A model of N components has about 1.33 N flows, groups of 20, and a realistic mix of
kinds (edge, services, data stores), so rules, diagrams and Terraform all have work.
"""

from __future__ import annotations

import random
import sys

MIX = (
    ("container_service", 30),
    ("function", 10),
    ("postgres", 8),
    ("cache", 6),
    ("queue", 8),
    ("object_storage", 8),
    ("nosql", 5),
    ("ml_endpoint", 4),
    ("secrets", 3),
    ("monitoring", 3),
    ("external", 5),
    ("load_balancer", 5),
    ("api_gateway", 5),
)


def generate(n: int, seed: int = 7, provider: str = "aws") -> str:
    rng = random.Random(seed)
    kinds = [k for k, w in MIX for _ in range(w)]
    lines = [
        "archgen: 1",
        f"name: bench-{n}",
        f"title: Benchmark model with {n} components",
        f"provider: {provider}",
        "requirements:",
        "  peak_rps: 500",
        "  ops_team: 2",
        "  data: [pii]",
        "components:",
        "  users:",
        "    kind: actor",
        "  edge:",
        "    kind: cdn",
    ]
    ids = ["users", "edge"]
    for i in range(n - 2):
        kind = rng.choice(kinds)
        cid = f"{kind.replace('_', '-')}-{i}"
        ids.append(cid)
        lines += [f"  {cid}:", f"    kind: {kind}", f"    title: {kind.replace('_', ' ').title()} {i}", f"    group: group-{i // 20}"]
        if kind in ("postgres", "nosql"):
            lines += ["    data: [pii]", "    high_availability: true"]
        if kind == "load_balancer":
            lines.append("    public: true")
    lines.append("flows:")
    flows: set[tuple[str, str]] = {("users", "edge")}
    lines.append("  - users -> edge: https")
    target = int(n * 1.333)
    while len(flows) < target:
        a = rng.randrange(1, len(ids))
        b = rng.randrange(2, len(ids))
        src, dst = ids[min(a, b)], ids[max(a, b)]
        if src == dst or (src, dst) in flows:
            continue
        flows.add((src, dst))
        lines.append(f"  - {src} -> {dst}: https")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
