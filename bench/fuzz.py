"""The long fuzz profile: many cases through the loader and the CLI, on demand.

    python bench/fuzz.py --cases 20000          # every class, archgen check in-process
    python bench/fuzz.py --cases 2000 --generators   # also compare/terraform/views on what loads
    python bench/fuzz.py --cases 2000 --json    # one JSON summary (tests/test_fuzz_loader.py)

Each case is one of the classes of :data:`CLASSES`: a mutated example model, random
YAML, random bytes, and the hostile classes of issue 23 (YAML tags with empty or odd
values in models and ADR front matter, nesting around the depth limit and far past it,
scalar bombs, sizing values of every type, path-like and reserved ids). A case passes
when ``archgen check`` exits 0, 1 or 2, prints no traceback, and every line of an exit 2
is ``FILE:LINE:COLUMN: message`` (``FILE: message`` for a whole-file refusal) or the
closing ``archgen: N problems`` line; a case that runs past :data:`CASE_SECONDS` (a
generous watchdog, not a timing) fails as slow. Prints the counts by outcome and the
time taken; docs/security.md records them.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import re
import signal
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


# ---------------------------------------------------------------------------
# the hostile classes of issue 23: each returns (target, bytes), target "model" or "adr"

SMALL = "archgen: 1\nname: shop\nprovider: {provider}\ncomponents:\n  users: {{kind: actor}}\n  api:\n    kind: container_service\n    title: API\n  db: {{kind: postgres}}\nflows:\n  - users -> api: https\n  - api -> db\n"
TAGS = ["!!int", "!!float", "!!bool", "!!str", "!!null", "!!binary", "!!timestamp", "!!map", "!!seq", "!", "!x", "!!python/name:os.system"]
TAG_VALUES = ["", "maybe", "1", "-1", "1e400", "1" + "0" * 400, ".inf", ".nan", "0x1F", "yes", "on", "2026-13-45", "[]", "{}", "''", '"x"', "~"]
ADR = "---\nstatus: {status}\ndate: {date}\ncomponents: {components}\ntags: {tags}\n---\n\n# {title}\n\nBody.\n"


def _value_line(rng: random.Random, text: str) -> tuple[list[str], int]:
    """The lines of ``text`` and the index of a random ``key: value`` line."""
    lines = text.splitlines(keepends=True)
    keyed = [i for i, line in enumerate(lines) if re.match(r"^\s*[\w-]+:\s*\S", line) and not line.lstrip().startswith("#")]
    return lines, rng.choice(keyed)


def tags(rng: random.Random) -> tuple[str, bytes]:
    """A YAML tag, often with an empty value, on a value of the example or of an ADR's front matter."""
    tagged = f"{rng.choice(TAGS)} {rng.choice(TAG_VALUES)}".rstrip()
    if rng.random() < 0.3:
        fields = {"status": "accepted", "date": "2026-01-02", "components": "[api]", "tags": "[security]", "title": "Use Postgres"}
        field = rng.choice([f for f in fields if f != "title"])
        fields[field] = tagged
        return "adr", ADR.format(**fields).encode()
    lines, i = _value_line(rng, EXAMPLE)
    head = lines[i].split(":", 1)[0]
    lines[i] = f"{head}: {tagged}\n"
    return "model", "".join(lines).encode()


def depth(rng: random.Random) -> tuple[str, bytes]:
    """Nesting around the depth limit (flow and block style) and far past it."""
    from archgen.sources.yamlpos import MAX_DEPTH

    n = rng.choice([rng.randint(MAX_DEPTH - 3, MAX_DEPTH + 3), rng.randint(MAX_DEPTH + 4, 30_000)])
    style = rng.choice(["brackets", "braces", "block-seq", "block-map", "mixed", "unclosed"])
    if style == "brackets":
        nested = "[" * n + "]" * n
    elif style == "braces":
        nested = "{a: " * n + "1" + "}" * n
    elif style == "unclosed":
        nested = rng.choice("[{") * n
    elif style == "block-seq":
        nested = "\n" + "".join("  " * (k + 1) + "-\n" for k in range(min(n, 400))) + "  " * (min(n, 400) + 1) + "x"
    elif style == "block-map":
        nested = "\n" + "".join("  " * (k + 1) + f"k{k}:\n" for k in range(min(n, 400))) + "  " * (min(n, 400) + 1) + "x"
    else:
        nested = "".join(rng.choice(["[", "{a: "]) for _ in range(n))
    where = rng.choice(["description", "components", "x"])
    text = SMALL.format(provider="aws") if where != "components" else "archgen: 1\nname: shop\nprovider: aws\n"
    return "model", (text + f"{where}: {nested}\n").encode()


def bombs(rng: random.Random) -> tuple[str, bytes]:
    """Billion laughs (levels of lists of aliases) and one big scalar aliased many times."""
    if rng.random() < 0.5:
        levels, width = rng.randint(2, 12), rng.randint(2, 10)
        lines = ["a0: &a0 " + rng.choice(["lol", "x" * rng.randint(1, 4096)])]
        for k in range(1, levels):
            lines.append(f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * width) + "]")
        where = rng.choice(["description", "title"])
        bomb = "\n".join(lines) + f"\n{where}: *a{levels - 1}\n"
        return "model", (SMALL.format(provider="aws") + bomb).encode()
    size, count = rng.choice([1, 100, 10_000, 200_000, 1_000_000]), rng.randint(1, 1000)
    body = "".join(f"  c{k}: {{kind: actor, title: *b}}\n" for k in range(count))
    return "model", (f"archgen: 1\nname: shop\nprovider: aws\nbig: &b {'x' * size}\ncomponents:\n" + body).encode()


SIZING_VALUES = ["half", "''", "[1, 2]", "{a: 1}", ".inf", "-.inf", ".nan", "-1", "1e400", "-0", "0", "1e-400", "true",
                 "null", "!!int", "0x10", "1_000", "'3'", "99999999999999999999999", "1" + "0" * 400, "-" + "9" * 5000,
                 "db.t4g.micro", "[]", "{}"]
SIZING_KEYS = ["vcpu", "memory_gb", "instances", "storage_gb", "instance_type", "requests_per_month", "egress_gb",
               "hours_per_month", "gpu", "x"]


def sizing(rng: random.Random) -> tuple[str, bytes]:
    """``sizing:`` of a component or of the model with values of every type, or not a mapping."""
    if rng.random() < 0.15:
        block = rng.choice(SIZING_VALUES)
    else:
        block = "{" + ", ".join(f"{rng.choice(SIZING_KEYS)}: {rng.choice(SIZING_VALUES)}" for _ in range(rng.randint(1, 3))) + "}"
    text = SMALL.format(provider=rng.choice(["aws", "azure", "gcp", "kubernetes"]))
    if rng.random() < 0.3:
        text += f"sizing: {block}\nrequirements: {{monthly_budget_usd: {rng.choice(['10', '1e400', '-1', '.inf'])}}}\n"
    else:
        text = text.replace("    title: API\n", f"    title: API\n    sizing: {block}\n")
    return "model", text.encode()


IDS = ["con", "aux", "nul", "prn", "com1", "lpt9", "CON", "con.txt", "../x", "..", ".", "a/b", "a\\\\b", '"api\\n"', '"api\\r"',
       '"api "', "on", "yes", "no", "off", "true", "null", "~", "1", "0x1", "-a", "a" * 250, "é", "'api\\t'", "'a:b'"]


def ids(rng: random.Random) -> tuple[str, bytes]:
    """Path-like, reserved and boolean-looking ids, model names and group names, and flows naming them."""
    word = rng.choice(IDS)
    text = SMALL.format(provider=rng.choice(["aws", "azure", "gcp"]))
    where = rng.choice(["id", "name", "group", "flow", "zone", "adr"])
    if where == "id":
        text = text.replace("  api:\n", f"  {word}:\n").replace("users -> api", f"users -> {word}").replace("api -> db", f"{word} -> db")
    elif where == "name":
        text = text.replace("name: shop", f"name: {word}")
    elif where == "group":
        body = "".join(f"  c{k}: {{kind: container_service, group: {word}}}\n" for k in range(rng.choice([1, 61])))
        text = text.replace("flows:\n", body + "flows:\n")
    elif where == "flow":
        text += f"  - api -> {word}\n  - {word} -> db\n"
    elif where == "zone":
        text = text.replace("  db: {kind: postgres}", f"  db: {{kind: postgres, zone: {word}}}")
    else:
        return "adr", ADR.format(status="accepted", date="2026-01-02", components=f"[{word}, shop/{word}]", tags=f"[{word}]", title=word).encode()
    return "model", text.encode()


#: Every class and how often it is drawn (the three older ones keep half of the cases).
CLASSES = {"mutated": (mutate, 2), "yaml": (random_yaml, 1), "bytes": (random_bytes, 1), "tags": (tags, 1),
           "depth": (depth, 1), "bombs": (bombs, 1), "sizing": (sizing, 1), "ids": (ids, 1)}
#: A watchdog per case: far above what any case takes (the slowest, a refused bomb, well under a second).
CASE_SECONDS = 30

_LOCATED = re.compile(r"^[^\s:][^:]*(:\d+:\d+)?: \S")
_SUMMARY = re.compile(r"^archgen: \d+ problems? in the model")


def draw_case(rng: random.Random) -> tuple[str, str, bytes]:
    """(class, target, bytes) of the next case."""
    names = list(CLASSES)
    kind = rng.choices(names, weights=[CLASSES[n][1] for n in names])[0]
    made = CLASSES[kind][0](rng)
    target, data = made if isinstance(made, tuple) else ("model", made)
    return kind, target, data


class Slow(Exception):
    pass


def _alarm(signum, frame):  # noqa: ARG001 - a signal handler's signature
    raise Slow(f"still running after {CASE_SECONDS} s")


def run_case(data: bytes, folder: Path, generators: bool = False, target: str = "model") -> str:
    """``archgen check`` in-process on ``data`` as the model (or as an ADR beside the
    example model) in ``folder``; the outcome, or AssertionError with what broke."""
    from archgen.cli import main
    from archgen.errors import ModelErrors
    from archgen.sources.loader import parse_model

    (folder / "arch").mkdir(exist_ok=True)
    (folder / "decisions").mkdir(exist_ok=True)
    for old in (folder / "decisions").iterdir():
        old.unlink()
    if target == "adr":
        (folder / "arch" / "m.yaml").write_text(EXAMPLE, encoding="utf-8")
        (folder / "decisions" / "0002-fuzz.md").write_bytes(data)
    else:
        (folder / "arch" / "m.yaml").write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", "--format", "json"])
    finally:
        os.chdir(here)
    stderr = err.getvalue()
    if code not in (0, 1, 2):
        raise AssertionError(f"exit status {code}: {stderr[-300:]}")
    if "Traceback" in stderr:
        raise AssertionError(f"traceback: {stderr[-500:]}")
    if code == 2:
        lines = stderr.splitlines()
        bad = [line for line in lines if not (_LOCATED.match(line) or _SUMMARY.match(line))]
        if bad or not lines:
            raise AssertionError(f"exit 2 without FILE:LINE:COLUMN: {(bad or ['(nothing on stderr)'])[0][:200]!r}")
    if code != 2 and generators and target == "model":
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


def fuzz(cases: int, seed: int, generators: bool = False) -> dict:
    """Run ``cases`` cases from ``seed``: counts by outcome and the first failures."""
    rng = random.Random(seed)
    outcomes: Counter[str] = Counter()
    failures = []
    old = signal.signal(signal.SIGALRM, _alarm)
    start = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for i in range(cases):
                kind, target, data = draw_case(rng)
                signal.alarm(CASE_SECONDS)
                try:
                    outcomes[f"{kind}: {run_case(data, Path(tmp), generators, target)}"] += 1
                except Exception as exc:  # noqa: BLE001 - a crash is what we look for
                    outcomes[f"{kind}: {'SLOW' if isinstance(exc, Slow) else 'CRASH'}"] += 1
                    failures.append({"case": i, "class": kind, "target": target, "data": data[:300].decode("latin-1"),
                                     "error": traceback.format_exc(limit=5)})
                finally:
                    signal.alarm(0)
    finally:
        signal.signal(signal.SIGALRM, old)
    seconds = time.perf_counter() - start
    return {"cases": cases, "seed": seed, "seconds": round(seconds, 1), "outcomes": dict(sorted(outcomes.items())),
            "failures": failures}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--generators", action="store_true", help="also run compare, terraform and views on valid models")
    ap.add_argument("--json", action="store_true", help="print one JSON summary (outcomes, seconds, failures)")
    args = ap.parse_args()
    result = fuzz(args.cases, args.seed, args.generators)
    if args.json:
        print(json.dumps(result, indent=1))
        return 1 if result["failures"] else 0
    for key, count in result["outcomes"].items():
        print(f"{key:<24} {count:>7,}")
    seconds = result["seconds"]
    print(f"{args.cases:,} cases in {seconds:.1f} s ({args.cases / max(seconds, 0.1):,.0f} cases/s), {len(result['failures'])} failures")
    for failure in result["failures"][:5]:
        print(f"\ncase {failure['case']} ({failure['class']}, {failure['target']}): {failure['data']!r}\n{failure['error']}", file=sys.stderr)
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
