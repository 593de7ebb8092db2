"""Generate large, valid archgen models for benchmarks.

    python bench/generate.py 1000 > /tmp/m1000.yaml
    python bench/generate.py 1000 --change 0.02 > /tmp/m1000-head.yaml   # the same, changed

A model of N components has about 1.33 N flows, groups of 20, and a realistic mix of
kinds (edge, services, data stores), so rules, diagrams and Terraform all have work.
With ``change`` > 0 the model is the same one after a change of that size, for
``archgen diff``: that share of components retitled, of flows removed, and as many new
components (each with a flow in) added.
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


def generate(n: int, seed: int = 7, provider: str = "aws", change: float = 0.0) -> str:
    rng = random.Random(seed)
    edit = random.Random(seed + 1)  # the change draws from its own stream: the base stays the same
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
    k = max(1, int(n * change)) if change > 0 else 0
    retitled = set(edit.sample(range(n - 2), min(k, n - 2))) if k else set()
    for i in range(n - 2):
        kind = rng.choice(kinds)
        cid = f"{kind.replace('_', '-')}-{i}"
        ids.append(cid)
        title = f"{kind.replace('_', ' ').title()} {i}" + (" (renamed)" if i in retitled else "")
        lines += [f"  {cid}:", f"    kind: {kind}", f"    title: {title}", f"    group: group-{i // 20}"]
        if kind in ("postgres", "nosql"):
            lines += ["    data: [pii]", "    high_availability: true"]
        if kind == "load_balancer":
            lines.append("    public: true")
    added = [f"container-service-new-{j}" for j in range(k)]
    for j, cid in enumerate(added):
        lines += [f"  {cid}:", "    kind: container_service", f"    title: New service {j}", "    group: group-new"]
    lines.append("flows:")
    flows: dict[tuple[str, str], None] = {("users", "edge"): None}
    target = int(n * 1.333)
    while len(flows) < target:
        a = rng.randrange(1, len(ids))
        b = rng.randrange(2, len(ids))
        src, dst = ids[min(a, b)], ids[max(a, b)]
        if src == dst or (src, dst) in flows:
            continue
        flows[(src, dst)] = None
    kept = list(flows)
    if k:
        removed = set(edit.sample(range(1, len(kept)), min(k, len(kept) - 1)))
        kept = [f for i, f in enumerate(kept) if i not in removed]
        kept += [(edit.choice(ids[2:]), cid) for cid in added]
    lines += [f"  - {src} -> {dst}: https" for src, dst in kept]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="Print a benchmark model of N components.")
    ap.add_argument("n", type=int, nargs="?", default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--change", type=float, default=0.0, help="share of the model changed (for diff)")
    args = ap.parse_args()
    sys.stdout.write(generate(args.n, args.seed, change=args.change))
