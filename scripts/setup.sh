#!/usr/bin/env bash
# One command on a fresh Debian machine: install everything archgen and its tests
# need, then run the main job (`archgen build` on the example in arch/).
#   ./scripts/setup.sh            install + build the site into site/
#   ARCHGEN_SETUP_NO_BUILD=1 ...  install only (CI uses this before the tests)
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need_apt=()
command -v dot >/dev/null 2>&1 || need_apt+=(graphviz)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} from Debian's packages"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
echo "setup: installing archgen and its test tools"
"$PY" -m pip install -q --disable-pip-version-check -e '.[test]'

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

if [ -z "${ARCHGEN_SETUP_NO_BUILD:-}" ]; then
  echo "setup: archgen build"
  archgen build
  echo "setup: done; open site/index.html, or run 'archgen serve'"
fi
