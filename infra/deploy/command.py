"""``portal deploy --stack NAME [--dry-run]``: build, deploy and publish the portal to AWS (docs/deploy.md)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subcommands: Any) -> None:
    """Add ``deploy`` to the ``portal`` command."""
    deploy = subcommands.add_parser(
        "deploy",
        help="deploy the portal to AWS: functions, CDN and site (--dry-run prints the plan)",
        description=(
            "Build the site, deploy the SAM stack (functions, table, bucket, CloudFront) with `sam deploy`, "
            "upload the site with the right Content-Type and Cache-Control, update the edge function's key "
            "value store and invalidate the CDN. See docs/deploy.md."
        ),
    )
    deploy.add_argument(
        "--stack",
        required=True,
        type=_stack_name,
        help="the CloudFormation stack name: a letter, then letters, digits and hyphens, at most 128 characters; "
        "e.g. reseller-portal-prod",
    )
    deploy.add_argument("--dry-run", action="store_true", help="print what would be done; change nothing")
    deploy.add_argument("--region", help="the AWS region of the stack (default: your AWS configuration)")
    deploy.add_argument("--profile", help="the AWS profile to use (default: your AWS configuration)")
    deploy.add_argument("--domain", help="the portal's host name, e.g. partners.example.com (kept once set)")
    deploy.add_argument("--certificate-arn", help="ACM certificate for --domain, issued in us-east-1 (kept once set)")
    deploy.add_argument("--alarm-email", help="who receives the alarms by email (kept once set)")
    deploy.add_argument(
        "--site-only", action="store_true", help="only publish the site to an existing stack (no `sam deploy`)"
    )
    deploy.add_argument("--work-dir", help="keep the build (site, Lambda bundle, template) here instead of a temp dir")
    deploy.set_defaults(run=run)


def _stack_name(value: str) -> str:
    """``--stack``, checked while the arguments are parsed: a bad name stops the command before any step."""
    from infra.deploy.stack import stack_name_problem

    problem = stack_name_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def run(args: argparse.Namespace) -> int:
    """Deploy (or print the plan); 1 with a message when a step fails."""
    import logging
    import shutil
    import tempfile
    from pathlib import Path

    from botocore.exceptions import BotoCoreError, ClientError

    from infra.deploy.bundle import BundleError
    from infra.deploy.deployment import Options, deploy
    from infra.deploy.site_plan import SitePlanError
    from infra.deploy.stack import StackError
    from infra.deploy.steps import DeployError
    from infra.edge import FunctionCodeError
    from infra.edge.manifest_to_kvs import KvsError
    from infra.local.site import RepositoryNotFound, SiteBuildError, find_repo_root

    options = Options(
        stack=args.stack,
        dry_run=args.dry_run,
        region=args.region,
        profile=args.profile,
        domain=args.domain,
        certificate_arn=args.certificate_arn,
        alarm_email=args.alarm_email,
        site_only=args.site_only,
        verbose=bool(getattr(args, "verbose", False)),
    )
    work_dir = Path(args.work_dir) if args.work_dir else Path(tempfile.mkdtemp(prefix="portal-deploy-"))
    # The site build logs every page at INFO; the deploy prints its own summary.
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        return deploy(options, find_repo_root(), work_dir)
    except (
        BotoCoreError,
        BundleError,
        ClientError,
        DeployError,
        FunctionCodeError,
        KvsError,
        RepositoryNotFound,
        SiteBuildError,
        SitePlanError,
        StackError,
    ) as error:
        print(f"portal deploy: {error}", file=sys.stderr)
        return 1
    finally:
        if not args.work_dir:
            shutil.rmtree(work_dir, ignore_errors=True)
