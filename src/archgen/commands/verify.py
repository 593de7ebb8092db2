"""``archgen verify``: hold the models against what Terraform builds (a plan or a state),
and against what Checkov finds in the Terraform code."""

from __future__ import annotations

import argparse

from archgen.commands._common import add_paths, provider_choices
from archgen.rendering.formats import add_format_option

NAME = "verify"
HELP = "report drift between the models and a Terraform plan or state"
DESCRIPTION = (
    "Map every managed resource of a Terraform plan or state (`terraform show -json`) to a "
    "component, and report drift: components with no resource, resources no component "
    "claims, properties and network paths that contradict the model. --checkov runs Checkov "
    "on a Terraform folder and ties each failure to its component and to the archgen rule it "
    "confirms. Exit status as for check: 0, 1 when an unaccepted finding is at or above "
    "--fail-on, 2 when a model, plan or state cannot be read."
)


def add_infra_options(parser: argparse.ArgumentParser, what: str = "") -> None:
    """``--plan`` and ``--state`` (several allowed), for verify and the commands that read
    the same files (build's drift page, diff's Drift section)."""
    parser.add_argument("--plan", action="extend", nargs="+", default=[], metavar="PLAN.json",
                        help=f"`terraform show -json PLANFILE` output; several files: several root modules{what}")
    parser.add_argument("--state", action="extend", nargs="+", default=[], metavar="STATE.json",
                        help=f"`terraform show -json` output of a state; several files: several root modules{what}")


def register(parser: argparse.ArgumentParser) -> None:
    add_paths(parser)
    add_infra_options(parser)
    parser.add_argument("--checkov", metavar="DIR",
                        help="run Checkov (on PATH, or ARCHGEN_CHECKOV) on the Terraform in DIR")
    parser.add_argument("--provider", choices=provider_choices(), metavar="PROVIDER",
                        help="the provider the Terraform targets (default: the one most resources use)")
    add_format_option(parser, "drift")
    parser.add_argument("--fail-on", choices=("error", "warning", "info"), default="error",
                        help="lowest severity that fails the run (default: error)")
    parser.add_argument("--site-url", metavar="URL", help="base URL of the published site, for the rule links in SARIF")


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from archgen.commands._common import load
    from archgen.drift import verify
    from archgen.errors import UsageError
    from archgen.findings import failing
    from archgen.rendering.formats import render

    if not (args.plan or args.state or args.checkov):
        raise UsageError("verify needs --plan, --state or --checkov (the output of `terraform show -json`, or a Terraform folder)")
    models = load(args)
    infra = None
    if args.plan or args.state:
        from archgen.infra import read

        infra = read([Path(p) for p in [*args.plan, *args.state]])
    checkov = _run_checkov(Path(args.checkov)) if args.checkov else None
    results = verify(models, infra, checkov=checkov, provider=args.provider)
    sys.stdout.write(
        render("drift", args.format, results, site_url=args.site_url, verbosity=getattr(args, "verbosity", 0), style=getattr(args, "style", None))
    )
    bad = [f for _, findings in results for f in failing(findings, args.fail_on)]
    return 1 if bad else 0


def _run_checkov(folder):
    """Checkov's JSON report of ``folder`` (``checkov -d DIR --framework terraform -o json``)."""
    import json
    import os
    import shutil
    import subprocess

    from archgen.errors import UsageError

    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder of Terraform files")
    exe = os.environ.get("ARCHGEN_CHECKOV") or shutil.which("checkov")
    if not exe:
        raise UsageError("checkov is not installed (pip install checkov), or set ARCHGEN_CHECKOV to its path")
    cmd = [exe, "-d", str(folder), "--framework", "terraform", "-o", "json", "--quiet", "--compact", "--skip-download"]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UsageError(f"checkov could not run: {exc}") from None
    try:
        return json.loads(done.stdout or "{}")
    except json.JSONDecodeError:
        raise UsageError(f"checkov gave no JSON report (exit {done.returncode}): {done.stderr.strip()[-300:]}") from None
