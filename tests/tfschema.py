"""Terraform provider schemas without provider binaries, from the CDKTF bindings on npm.

No provider binary can be had offline for azurerm, google, kubernetes or helm, but the
prebuilt CDKTF bindings (``@cdktf/provider-azurerm`` and the others) ship a ``.jsii`` file
that describes every resource and data source of one provider version: each argument,
each nested block, and which are required. This module turns such a file into a compact
schema (JSON) and checks generated ``.tf`` files against it: an unknown resource type,
an unknown argument or block, or a missing required argument is a problem.

    python tests/tfschema.py fetch .tools/tf-schemas     # npm pack, extract, convert (setup.sh)
    python tests/tfschema.py check DIR                   # check the .tf files of DIR
    python tests/tfschema.py tags .tools/tf-schemas      # refresh provider.yaml's tagged types

Names come from the registry links in the bindings' docs (``key_vault#sku_name``), not
from converting camelCase, so they are the provider's own.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

#: npm package -> the version whose schema archgen's output is checked against.
PACKAGES = {
    "azurerm": ("@cdktf/provider-azurerm", "14.23.1"),
    "google": ("@cdktf/provider-google", "16.12.1"),
    "kubernetes": ("@cdktf/provider-kubernetes", "12.1.1"),
    "helm": ("@cdktf/provider-helm", "12.1.2"),
    "aws": ("@cdktf/provider-aws", "21.22.1"),
}

_REPRESENTS = re.compile(
    r"registry\.terraform\.io/providers/(?P<source>[\w-]+/[\w-]+)/(?P<version>[\d.]+)/docs/"
    r"(?P<what>resources|data-sources)/\S+ (?P<type>[a-z0-9_]+)\}"
)
_PROVIDER = re.compile(r"registry\.terraform\.io/providers/[\w-]+/[\w-]+/[\d.]+/docs (?P<name>[a-z0-9_]+)\}")
_ANCHOR = re.compile(r"#(?P<name>[a-z0-9_]+) \w+#[a-z0-9_]+\}")
META = {"count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection"}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def build(jsii_path: Path) -> dict[str, Any]:
    """The compact schema of one ``.jsii`` file: provider source and version, and for
    every resource and data source its arguments (``r``: required, ``b``: the nested
    block's own schema)."""
    doc = json.loads(Path(jsii_path).read_text(encoding="utf-8"))
    types = doc["types"]
    memo: dict[str, dict[str, Any]] = {}

    def fqn_of(t: dict[str, Any]) -> str | None:
        if "fqn" in t:
            return t["fqn"] if t["fqn"] in types else None
        if "union" in t:
            for u in t["union"]["types"]:
                found = fqn_of(u)
                if found:
                    return found
        if "collection" in t:
            return fqn_of(t["collection"]["elementtype"])
        return None

    def props(fqn: str) -> list[dict[str, Any]]:
        t = types[fqn]
        out = list(t.get("properties", []))
        for parent in t.get("interfaces", []):
            if parent in types:
                out.extend(props(parent))
        return out

    def struct(fqn: str) -> dict[str, Any]:
        if fqn in memo:
            return memo[fqn]
        memo[fqn] = args = {}
        for p in props(fqn):
            docs = p.get("docs", {})
            text = docs.get("remarks", "") + " " + docs.get("summary", "")
            m = _ANCHOR.search(text)
            name = m.group("name") if m else _snake(p["name"])
            entry: dict[str, Any] = {"r": not p.get("optional", False)}
            nested = fqn_of(p["type"])
            if nested and types[nested].get("kind") == "interface" and types[nested].get("datatype"):
                entry["b"] = struct(nested)
            args[name] = entry
        return args

    out: dict[str, Any] = {"source": None, "version": None, "resources": {}, "data": {}, "provider": {}}
    for fqn, t in types.items():
        if t.get("kind") != "class":
            continue
        # the constructor's config parameter (usually <Class>Config; <Class>ConfigA on a clash)
        params = {p["name"]: p["type"] for p in t.get("initializer", {}).get("parameters", [])}
        config = params.get("config", {}).get("fqn")
        if config not in types:
            continue
        if _PROVIDER.search(t.get("docs", {}).get("summary", "")):
            out["provider"] = struct(config)
            continue
        m = _REPRESENTS.search(t.get("docs", {}).get("summary", ""))
        if not m:
            continue
        out["source"], out["version"] = m.group("source"), m.group("version")
        where = "resources" if m.group("what") == "resources" else "data"
        out[where][m.group("type")] = struct(config)
    return out


def fetch(dest: Path) -> None:
    """npm pack each package, keep only its schema as ``dest/<provider>.json``."""
    dest.mkdir(parents=True, exist_ok=True)
    for provider, (package, version) in PACKAGES.items():
        target = dest / f"{provider}.json"
        if target.exists():
            continue
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                ["npm", "pack", "--silent", f"{package}@{version}"], cwd=tmp, check=True, capture_output=True
            )
            tgz = next(Path(tmp).glob("*.tgz"))
            with tarfile.open(tgz) as tar:
                tar.extract("package/.jsii", tmp, filter="data")
            schema = build(Path(tmp) / "package" / ".jsii")
        schema["package"] = f"{package}@{version}"
        part = target.with_suffix(".tmp")
        part.write_text(json.dumps(schema, sort_keys=True, separators=(",", ":")), encoding="utf-8")
        part.replace(target)


def from_terraform(schema_json: dict[str, Any], source: str) -> dict[str, Any]:
    """The compact schema of one provider from ``terraform providers schema -json``."""

    def block(b: dict[str, Any]) -> dict[str, Any]:
        args: dict[str, Any] = {}
        for name, a in b.get("attributes", {}).items():
            if a.get("computed") and not a.get("optional") and not a.get("required"):
                continue
            args[name] = {"r": bool(a.get("required"))}
        for name, nb in b.get("block_types", {}).items():
            args[name] = {"r": nb.get("min_items", 0) > 0, "b": block(nb["block"])}
        return args

    ps = schema_json["provider_schemas"][f"registry.terraform.io/{source}"]
    return {
        "source": source,
        "version": None,
        "resources": {k: block(v["block"]) for k, v in ps["resource_schemas"].items()},
        "data": {k: block(v["block"]) for k, v in ps["data_source_schemas"].items()},
        "provider": block(ps["provider"]["block"]),
    }


def taggable(schema: dict[str, Any], types: set[str], argument: str) -> list[str]:
    """The resource types among ``types`` whose schema has ``argument`` (tags, labels)."""
    return sorted(t for t in types if argument in schema["resources"].get(t, {}))


def load(folder: Path) -> dict[str, dict[str, Any]]:
    """provider -> schema, for the schemas present in ``folder``."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(folder).glob("*.json"))}


def _check_body(where: str, body: dict[str, Any], args: dict[str, Any], problems: list[str]) -> None:
    for key, value in body.items():
        if key.startswith("__") or key in META:
            continue
        if key == "dynamic":
            for dyn in value:
                for name, spec in dyn.items():
                    if name not in args or "b" not in args[name]:
                        problems.append(f"{where}: unknown dynamic block {name!r}")
                        continue
                    for content in spec.get("content", []):
                        _check_body(f"{where}.{name}", content, args[name]["b"], problems)
            continue
        if key not in args:
            problems.append(f"{where}: unknown argument or block {key!r}")
            continue
        nested = args[key].get("b")
        if nested is not None:
            items = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, dict):
                    _check_body(f"{where}.{key}", item, nested, problems)
    present = set(body) | {name for dyn in body.get("dynamic", []) for name in dyn}
    for name, spec in args.items():
        if spec["r"] and name not in present:
            problems.append(f"{where}: required argument {name!r} is missing")


def check(files: dict[str, str], schemas: dict[str, dict[str, Any]]) -> tuple[list[str], set[str], int]:
    """(problems, resource types of providers with no schema here, blocks checked) for
    the ``.tf`` files among ``files``."""
    import hcl2

    problems: list[str] = []
    unchecked: set[str] = set()
    checked = 0
    for fname, text in sorted(files.items()):
        if not fname.endswith(".tf"):
            continue
        doc = hcl2.loads(text)
        for block in doc.get("provider", []):
            for pname, body in block.items():
                schema = schemas.get(pname)
                if schema is not None:
                    checked += 1
                    _check_body(f"{fname}: provider {pname}", body, schema["provider"], problems)
        for section, where in (("resource", "resources"), ("data", "data")):
            for block in doc.get(section, []):
                for rtype, named in block.items():
                    schema = schemas.get(rtype.split("_", 1)[0])
                    if schema is None:
                        unchecked.add(rtype)
                        continue
                    for rname, body in named.items():
                        label = f"{fname}: {section} {rtype}.{rname}"
                        if rtype not in schema[where]:
                            problems.append(f"{label}: no such {section} type in {schema['source']} {schema['version']}")
                            continue
                        checked += 1
                        _check_body(label, body, schema[where][rtype], problems)
    return problems, unchecked, checked


#: archgen provider -> the schema its resource types are in.
SCHEMA_OF = {"aws": "aws", "azure": "azurerm", "gcp": "google", "kubernetes": "kubernetes"}


def update_tag_lists(folder: Path) -> None:
    """Rewrite the ``tags.types`` list of each provider.yaml from the schemas in
    ``folder``: the types archgen may write (the catalog's and the supporting ones)
    whose schema has the tag argument."""
    import yaml

    from archgen.catalog import get_catalog
    from archgen.generators.terraform._plan import provider_data

    schemas = load(folder)
    root = Path(__file__).resolve().parents[1] / "src" / "archgen" / "generators" / "terraform" / "templates"
    for provider, schema_name in SCHEMA_OF.items():
        data = provider_data(provider)
        spec = data.get("tags")
        if not spec:
            continue
        types = set(data["supporting_types"]) | {
            t for svc in get_catalog().all_services() if svc.provider == provider for t in svc.terraform
        }
        other = spec.get("argument_of", {})
        listed = sorted(
            set(taggable(schemas[schema_name], types - set(other), spec["argument"]))
            | {t for t, arg in other.items() if t in types and arg in schemas[schema_name]["resources"].get(t, {})}
        )
        path = root / provider / "provider.yaml"
        text = path.read_text(encoding="utf-8")
        head, rest = text.split("\n  types:\n", 1)
        tail = rest[rest.index("\n\n"):] if "\n\n" in rest else ""
        path.write_text(head + "\n  types:\n" + "".join(f"    - {t}\n" for t in listed).rstrip("\n") + tail, encoding="utf-8")
        yaml.safe_load(path.read_text(encoding="utf-8"))


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "tags":
        update_tag_lists(Path(argv[1]))
        return 0
    if len(argv) == 2 and argv[0] == "fetch":
        fetch(Path(argv[1]))
        return 0
    if len(argv) in (2, 3) and argv[0] == "check":
        folder = Path(argv[1])
        schemas = load(Path(argv[2]) if len(argv) == 3 else Path(__file__).resolve().parents[1] / ".tools" / "tf-schemas")
        files = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.tf")}
        problems, unchecked, checked = check(files, schemas)
        for p in problems:
            print(p)
        print(f"{checked} blocks checked, {len(problems)} problems, unchecked types: {sorted(unchecked)}")
        return 1 if problems else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
