"""Terraform plans made offline, in the JSON that ``terraform show -json`` prints.

    PYTHONPATH=src python tests/tfplan.py CONFIG_DIR OUT.json [TREE]

A configuration is copied into a temporary folder (with TREE, the folder it sits in
together with the local modules it calls by relative path), given an override file that
configures the AWS provider with fake keys and every check that would call AWS skipped,
initialised from the local provider mirror (no network), planned with ``-refresh=false``
and shown as JSON. Nothing is read from AWS: a configuration with a data source that
calls AWS fails to plan here, so the test configurations have none.

``terraform apply`` needs AWS, so no state JSON can be made this way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

#: Merged into the configuration's own ``provider "aws"`` block (Terraform override file).
OFFLINE_OVERRIDE = """\
provider "aws" {
  access_key                  = "offline"
  secret_key                  = "offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
"""


def terraform() -> str | None:
    return shutil.which("terraform")


def aws_mirror() -> Path | None:
    """A local provider mirror holding hashicorp/aws (ARCHGEN_TF_PLUGIN_DIR, or the usual places)."""
    candidates = [os.environ.get("ARCHGEN_TF_PLUGIN_DIR", ""), "/opt/tf-plugins", str(Path.home() / ".terraform.d" / "plugins")]
    for c in candidates:
        if c and any(Path(c).glob("registry.terraform.io/hashicorp/aws/*/*/terraform-provider-aws*")):
            return Path(c)
    return None


def available() -> str | None:
    """None when plans can be made here, else why not (for pytest.skip)."""
    if terraform() is None:
        return "terraform is not installed on this machine (no PyPI or Debian package exists)"
    if aws_mirror() is None:
        return "no local mirror of hashicorp/aws for an offline terraform init (set ARCHGEN_TF_PLUGIN_DIR)"
    return None


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:2])} failed in {cwd}:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def plan_json(config: Path, tree: Path | None = None) -> str:
    """``terraform show -json`` of an offline plan of ``config`` (a folder inside ``tree``)."""
    reason = available()
    if reason:
        raise RuntimeError(reason)
    config, tree = Path(config).resolve(), Path(tree or config).resolve()
    with tempfile.TemporaryDirectory(prefix="archgen-tfplan-") as tmp:
        work = Path(tmp) / "tree"
        shutil.copytree(tree, work, ignore=shutil.ignore_patterns(".terraform", "*.tfstate*", ".terraform.lock.hcl"))
        folder = work / config.relative_to(tree)
        (folder / "archgen_offline_override.tf").write_text(OFFLINE_OVERRIDE, encoding="utf-8")
        env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "TF_IN_AUTOMATION": "1", "TF_DATA_DIR": str(Path(tmp) / ".tfdata"),
               "AWS_EC2_METADATA_DISABLED": "true"}
        tf = terraform() or "terraform"
        _run([tf, "init", "-backend=false", "-input=false", "-no-color", f"-plugin-dir={aws_mirror()}"], folder, env)
        _run([tf, "plan", "-refresh=false", "-input=false", "-lock=false", "-no-color", "-out=plan.bin"], folder, env)
        return _run([tf, "show", "-json", "plan.bin"], folder, env)


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    text = plan_json(Path(sys.argv[1]), Path(sys.argv[3]) if len(sys.argv) == 4 else None)
    Path(sys.argv[2]).write_text(text, encoding="utf-8")
