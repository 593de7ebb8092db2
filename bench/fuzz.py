"""The long fuzz profile: many cases through the loader and the CLI, on demand.

    python bench/fuzz.py --cases 10000          # loader + check, in-process
    python bench/fuzz.py --cases 2000 --generators   # also compare/terraform/views on what loads

Each case is a mutated example model, random YAML or random bytes. A case fails
when archgen raises (a traceback) or the CLI exits with anything but 0, 1 or 2.
Prints the counts by outcome and the time taken; docs/security.md records them.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = (ROOT / "arch" / "ml-serving.yaml").read_text()
TOKENS = ["&a x", "*a", "!!python/object:os.system", "<<: *a", "{", "[", "- ", ": ", "\t", "${x}", "'", '"',
          "<script>", "|", "`", "\x00", "\ufeff", "-> ->", "kind: actor", "public: true", "99999999999999999999"]


def mutate(rng: random.Random) -> bytes:
    lines = EXAMPLE.splitlines(keepends=True)
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(lines))
        op = rng.choice(["delete", "dup", "replace", "insert", "indent", "dedent", "swap", "bytes"])
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "replace":
            lines[i] = lines[i].split(":", 1)[0] + ": " + rng.choice(TOKENS) + "\n"
        elif op == "insert":
            lines.insert(i, rng.choice(TOKENS) + "\n")
        elif op == "indent":
            lines[i] = "  " + lines[i]
        elif op == "dedent":
            lines[i] = lines[i].lstrip()
        elif op == "swap":
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8))).decode("latin-1")
    return "".join(lines).encode("utf-8", "surrogatepass")


def random_yaml(rng: random.Random) -> bytes:
    def value(depth: int):
        r = rng.random()
        if depth > 3 or r < 0.4:
            return rng.choice([rng.choice(TOKENS), rng.randint(-5, 10**6), True, None, "x" * rng.randint(0, 30)])
        if r < 0.7:
            return [value(depth + 1) for _ in range(rng.randint(0, 4))]
        return {rng.choice(["kind", "title", "public", "from", "to", "data", "env", "x"]): value(depth + 1) for _ in range(rng.randint(0, 4))}

    import yaml

    doc = {"archgen": 1, "name": "fuzz", "provider": rng.choice(["aws", "gcp", "azure", "kubernetes", "x"]),
           "components": {f"c{i}": value(0) for i in range(rng.randint(0, 6))}, "flows": value(1)}
    return yaml.safe_dump(doc).encode()


def random_bytes(rng: random.Random) -> bytes:
    return bytes(rng.randrange(256) for _ in range(rng.randint(0, 600)))


def run_case(data: bytes, folder: Path, generators: bool) -> str:
    from archgen.cli import main
    from archgen.errors import ModelErrors
    from archgen.sources.loader import parse_model

    path = folder / "m.yaml"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(path), "--format", "json"])
    if code not in (0, 1, 2):
        raise AssertionError(f"exit status {code}")
    if code != 2 and generators:
        try:
            model = parse_model(data, "m.yaml")
        except ModelErrors:
            return f"exit {code}"
        from archgen.generators import compare
        from archgen.generators import draw
        from archgen.generators import terraform
        from archgen.generators import views
        from archgen.rules import run_rules

        findings = run_rules(model, [])
        compare.render_markdown(compare.compare(model))
        terraform.generate(model)
        for spec in views.build_views(model, findings):
            draw.to_dot(spec)
    return f"exit {code}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--generators", action="store_true", help="also run compare, terraform and views on valid models")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    outcomes: Counter[str] = Counter()
    failures = []
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.cases):
            kind = rng.choice(["mutated", "mutated", "yaml", "bytes"])
            data = {"mutated": mutate, "yaml": random_yaml, "bytes": random_bytes}[kind](rng)
            try:
                outcomes[f"{kind}: {run_case(data, Path(tmp), args.generators)}"] += 1
            except Exception:  # noqa: BLE001 - a crash is what we look for
                outcomes[f"{kind}: CRASH"] += 1
                failures.append((i, data[:300], traceback.format_exc(limit=5)))
    seconds = time.perf_counter() - start
    for key in sorted(outcomes):
        print(f"{key:<24} {outcomes[key]:>7,}")
    print(f"{args.cases:,} cases in {seconds:.1f} s ({args.cases / seconds:,.0f} cases/s), {len(failures)} crashes")
    for i, data, tb in failures[:5]:
        print(f"\ncase {i}: {data!r}\n{tb}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
