"""`archgen schema` accepts what archgen accepts, checked by real tools.

- The ``jsonschema`` library (Draft 2020-12) validates every shipped model that archgen
  loads (arch/, src/archgen/examples, examples/, tests/fixtures, tests/rules, the golden
  inputs), short-form flows included, and rejects models that archgen rejects for a
  reason a schema can express.
- The real YAML language server (npm ``yaml-language-server``, installed by
  scripts/setup.sh into .tools/node) reads the schema from a modeline, as an editor
  does, and gives a completion and a diagnostic over stdio LSP.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from modeltexts import with_zones

from archgen.errors import ModelErrors
from archgen.model import json_schema
from archgen.sources.loader import load_model, parse_model

ROOT = Path(__file__).resolve().parent.parent
YAML_LS = Path(
    os.environ.get(
        "ARCHGEN_YAML_LANGUAGE_SERVER",
        ROOT / ".tools" / "node" / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server",
    )
)
IN_CI = bool(os.environ.get("CI"))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _model_files() -> list[Path]:
    found: set[Path] = set()
    for pattern in ("arch/*.yaml", "examples/**/*.yaml", "src/archgen/examples/*.yaml", "tests/**/*.yaml", "tests/**/*.yml"):
        found.update(ROOT.glob(pattern))
    return sorted(p for p in found if p.is_file())


def _loads(path: Path) -> bool:
    try:
        load_model(path)
    except ModelErrors:
        return False
    return True


SHIPPED = [p for p in _model_files() if _loads(p)]


def test_the_shipped_models_are_many():
    # the glob finds the example, the fixtures, the rule fixtures and the golden inputs
    assert len(SHIPPED) >= 60
    assert ROOT / "arch" / "ml-serving.yaml" in SHIPPED


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_model_archgen_loads_validates(validator, path):
    data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "; ".join(f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors)


BASE = with_zones(
    "shop",
    """\
  spa: {kind: client_app, platform: mobile}
  edge: {kind: waf, protects: [api]}
  platform: {kind: kubernetes_cluster, service: eks}
  api: {kind: container_service, runs_on: platform, zone: cloud}
  db: {kind: postgres}
flows:
  - users -> spa
  - spa -> api: JSON/HTTPS
  - "staff -> api:  https "
  - api -> db: postgres
  - {"api -> edge": 443}
  - {"edge -> api": null}
  - from: api
    to: db
    protocol: postgres
    tls: true
    auth: iam
    async: false
    rps: 12.5
    data: [pii]
""")


def _as_data(text: str) -> Any:
    return yaml.safe_load(text)


def test_every_new_field_and_every_flow_form_is_accepted_by_both(validator):
    parse_model(BASE)  # archgen loads it
    errors = list(validator.iter_errors(_as_data(BASE)))
    assert not errors, [e.message for e in errors]


#: Models archgen refuses for a reason a schema can say: (name, edit of BASE).
REJECTED = [
    ("unknown component field", ("  db: {kind: postgres}", "  db: {kind: postgres, titel: DB}")),
    ("unknown kind", ("  db: {kind: postgres}", "  db: {kind: postgress}")),
    ("unknown model field", ("provider: aws\n", "provider: aws\nprovder: aws\n")),
    ("unknown provider", ("provider: aws", "provider: oracle-cloud")),
    ("format version", ("archgen: 1", "archgen: 2")),
    ("name not a slug", ("name: shop", "name: My Shop")),
    ("component id not a slug", ("  db: {kind: postgres}", "  Data Base: {kind: postgres}")),
    ("flow string that is no flow", ("  - users -> spa\n", "  - users => spa\n")),
    ("flow mapping with two keys", ('  - {"api -> edge": 443}', '  - {"api -> edge": 443, "edge -> db": x}')),
    ("unknown flow field", ("    rps: 12.5", "    rps: 12.5\n    latency: 3")),
    ("unknown protocol", ("    protocol: postgres", "    protocol: postgresql")),
    ("unknown auth", ("    auth: iam", "    auth: jwt")),
    ("async not a boolean", ("    async: false", "    async: sometimes")),
    ("negative rps", ("    rps: 12.5", "    rps: -1")),
    ("the internet declared trusted", ("  head-office: {title: Head office, trusted: true}", "  internet: {trusted: true}\n  head-office: {title: Head office, trusted: true}")),
    ("zone without trusted", ("{title: Head office, trusted: true}", "{title: Head office}")),
    ("zone id not a slug", ("  head-office:", "  Head Office:")),
    ("platform on a kind without a device", ("  db: {kind: postgres}", "  db: {kind: postgres, platform: web}")),
    ("unknown platform", ("platform: mobile", "platform: watch")),
    ("protects on a kind without a shield", ("  db: {kind: postgres}", "  db: {kind: postgres, protects: [api]}")),
    ("runs_on not an id", ("runs_on: platform", "runs_on: Platform Cluster")),
]


@pytest.mark.parametrize("name,edit", REJECTED, ids=[r[0] for r in REJECTED])
def test_models_archgen_rejects_fail_the_schema_too(validator, name, edit):
    old, new = edit
    assert old in BASE, name
    text = BASE.replace(old, new, 1)
    with pytest.raises(ModelErrors):
        parse_model(text)
    assert list(validator.iter_errors(_as_data(text))), f"the schema accepts a model archgen rejects: {name}"


def test_the_schema_command_prints_the_same_schema(run_cli):
    result = run_cli("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout) == json_schema()


# ---------------------------------------------------------------------------
# the YAML language server, over stdio LSP


class _Lsp:
    """A minimal LSP client: Content-Length framing, requests, notifications, server requests."""

    def __init__(self, command: list[str]) -> None:
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            headers: dict[str, str] = {}
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                text = line.decode("ascii").strip()
                if not text:
                    break
                key, _, value = text.partition(":")
                headers[key.lower()] = value.strip()
            self.inbox.put(json.loads(out.read(int(headers["content-length"]))))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        wanted = self.next_id
        self._send({"id": wanted, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == wanted and "method" not in m).get("result")

    def wait(self, match, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the language server did not answer")
            message = self.inbox.get(timeout=left)
            if message is None:
                raise RuntimeError("the language server exited")
            if "method" in message and "id" in message:  # a request from the server
                result: Any = None
                if message["method"] == "workspace/configuration":
                    result = [_SETTINGS["yaml"] for _ in message["params"]["items"]]
                self._send({"id": message["id"], "result": result})
                continue
            if match(message):
                return message

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 - a server that does not stop is killed
            self.proc.kill()
            self.proc.wait()


_SETTINGS = {"yaml": {"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False}}}


@pytest.fixture
def language_server(tmp_path):
    node = shutil.which("node")
    if node is None or not YAML_LS.exists():
        if IN_CI:
            pytest.fail(f"the YAML language server is missing at {YAML_LS} and CI is set (scripts/setup.sh installs it)")
        pytest.skip(f"yaml-language-server is not installed at {YAML_LS} (scripts/setup.sh installs it)")
    server = _Lsp([node, str(YAML_LS), "--stdio"])
    server.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": tmp_path.as_uri(),
            "capabilities": {"textDocument": {"completion": {}, "publishDiagnostics": {}}, "workspace": {"configuration": True}},
        },
    )
    server.notify("initialized", {})
    server.notify("workspace/didChangeConfiguration", {"settings": _SETTINGS})
    yield server
    server.close()


def _open(server: _Lsp, tmp_path: Path, text: str) -> str:
    schema = tmp_path / "model-1.json"
    schema.write_text(json.dumps(json_schema(), indent=2), encoding="utf-8")
    doc = tmp_path / "shop.yaml"
    text = f"# yaml-language-server: $schema={schema.as_uri()}\n" + text
    doc.write_text(text, encoding="utf-8")
    server.notify("textDocument/didOpen", {"textDocument": {"uri": doc.as_uri(), "languageId": "yaml", "version": 1, "text": text}})
    return doc.as_uri()


def test_language_server_flags_a_bad_kind_and_an_unknown_field_but_no_short_flow(language_server, tmp_path):
    text = BASE.replace("  db: {kind: postgres}", "  db:\n    kind: postgress\n    titel: Orders")
    uri = _open(language_server, tmp_path, text)
    published = language_server.wait(
        lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri and m["params"]["diagnostics"]
    )
    lines = text.splitlines()
    flagged = {lines[d["range"]["start"]["line"] - 1].strip(): d["message"] for d in published["params"]["diagnostics"]}
    assert "kind: postgress" in flagged and "postgres" in flagged["kind: postgress"]
    assert "titel: Orders" in flagged and "titel" in flagged["titel: Orders"]
    # the documented short-form flows are no error (every one of them was, before issue 17)
    assert set(flagged) == {"kind: postgress", "titel: Orders"}, flagged


def test_language_server_completes_component_fields_from_the_schema(language_server, tmp_path):
    text = BASE.replace("  db: {kind: postgres}", "  db:\n    kind: postgres\n    \n")
    uri = _open(language_server, tmp_path, text)
    lines = ["#modeline"] + text.splitlines()
    line = next(i for i, ln in enumerate(lines) if ln == "    kind: postgres") + 1
    result = language_server.request(
        "textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": line, "character": 4}}
    )
    items = result["items"] if isinstance(result, dict) else result
    labels = {i["label"] for i in items}
    # the fields of a component, the new ones among them, and no field of another object
    assert {"service", "title", "high_availability", "zone", "runs_on", "data"} <= labels
    assert "provider" not in labels and "from" not in labels
