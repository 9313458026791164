"""One run of ``portal deploy``: the steps in order, or (``--dry-run``) what they would do.

1. Read the stack (outputs, parameters); a dry run goes on with placeholders when AWS is out of reach.
2. Build the site into a fresh folder; compute the CSP from its inline scripts (``infra/headers.py``).
3. The access-cookie key: an SSM SecureString ``/<stack>/access-key``, created on the first deploy.
4. The functions and infrastructure: the Lambda bundle and ``sam deploy`` of the deploy template.
   A first deploy without a domain learns CloudFront's address only then, so it deploys again
   with that address as ``SiteUrl`` (and rebuilds the site for it).
5. The site: key value store puts, uploads, deletions, key value store deletes, invalidation.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from infra.deploy import bundle as lambda_bundle
from infra.deploy import report, stack_template
from infra.deploy.kvs import CloudFrontKeyValueStore
from infra.deploy.publish import publish_site, read_bucket
from infra.deploy.site_plan import BucketState, plan_site
from infra.deploy.stack import StackInfo, access_key_parameter
from infra.deploy.steps import Aws, DeployError, build_site, ensure_access_key, read_access_key, source_revision
from infra.edge.manifest_to_kvs import kvs_items, plan_update
from infra.headers import MAX_CSP_LENGTH, content_security_policy, inline_script_hashes

# The first deploy without a domain does not know CloudFront's address yet.
PROVISIONAL_SITE_URL = "https://pending.invalid/"
BUNDLE_CONTENT_DIR = "/var/task/content"
_PLANNING_KEY = bytes(32)  # stands in for the real key when the plan is only printed


@dataclass(frozen=True)
class Options:
    """The command line of ``portal deploy``."""

    stack: str
    dry_run: bool = False
    region: str | None = None
    profile: str | None = None
    domain: str | None = None
    certificate_arn: str | None = None
    alarm_email: str | None = None
    site_only: bool = False
    verbose: bool = False


class Deployment:
    """Runs (or describes) one deploy of ``repo`` to the stack ``options.stack``."""

    def __init__(self, options: Options, repo: Path, work_dir: Path, out: Callable[[str], None] = print) -> None:
        self.options = options
        self.repo = repo
        self.work_dir = work_dir
        self.out = out
        self.aws: Aws | None = None
        self.template = repo / "infra" / "template.yaml"

    def run(self) -> int:
        """Deploy (or print the plan); returns the exit status."""
        mode = "dry run: nothing is changed" if self.options.dry_run else "deploying"
        self.out(f"portal deploy --stack {self.options.stack} ({mode})")
        stack = self._read_stack()
        site_url = self._site_url(stack)
        site_dir, csp = self._build(site_url or PROVISIONAL_SITE_URL)
        key: bytes | None = None
        if not self.options.site_only:
            key, version = self._access_key()
            parameters = self._parameters(stack, site_url or PROVISIONAL_SITE_URL, csp, version)
            self._deploy_stack(parameters)
            if not self.options.dry_run:
                stack = self._require(self.aws).stack(self.options.stack)
                real_url = stack.output("SiteUrl")
                if real_url != parameters["SiteUrl"]:
                    self.out(f"CloudFront answers at {real_url}: deploying again with it as SiteUrl")
                    site_dir, csp = self._build(real_url)
                    self._deploy_stack({**parameters, "SiteUrl": real_url, "ContentSecurityPolicy": csp})
                    stack = self._require(self.aws).stack(self.options.stack)
        elif not stack.exists and not self.options.dry_run:
            raise DeployError(f"stack {self.options.stack} does not exist: deploy without --site-only first")
        return self._publish(stack, site_dir, key)

    # -- 1. the stack ---------------------------------------------------------------------------

    def _read_stack(self) -> StackInfo:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.aws = Aws.connect(self.options.profile, self.options.region)
            stack = self.aws.stack(self.options.stack)
        except (BotoCoreError, ClientError) as error:
            if not self.options.dry_run:
                raise DeployError(f"cannot read stack {self.options.stack}: {error}") from error
            self.aws = None
            self.out(f"AWS is out of reach ({error}); the plan below uses placeholders for the stack's resources.")
            return StackInfo(self.options.stack, exists=False)
        self.out(f"Stack {stack.name}: " + ("exists" if stack.exists else "does not exist yet (first deploy)"))
        return stack

    def _site_url(self, stack: StackInfo) -> str | None:
        if self.options.domain:
            return f"https://{self.options.domain}/"
        return stack.outputs.get("SiteUrl") or None

    # -- 2. the site ----------------------------------------------------------------------------

    def _build(self, site_url: str) -> tuple[Path, str]:
        site_dir = self.work_dir / "site"
        if site_dir.exists():
            shutil.rmtree(site_dir)
        build_site(self.repo, site_dir, site_url)
        csp = content_security_policy(inline_script_hashes(site_dir))
        if len(csp) > MAX_CSP_LENGTH:
            raise DeployError(f"the CSP has {len(csp)} characters; CloudFront allows {MAX_CSP_LENGTH}")
        files = sum(1 for p in site_dir.rglob("*") if p.is_file())
        self.out(f"Built the site for {site_url} into {site_dir} ({files} files)")
        self.out(f"Content-Security-Policy: {csp}")
        return site_dir, csp

    # -- 3. the key -----------------------------------------------------------------------------

    def _access_key(self) -> tuple[bytes | None, int]:
        name = access_key_parameter(self.options.stack)
        if self.options.dry_run:
            found = read_access_key(self.aws.client("ssm"), name) if self.aws and self._reachable_ssm() else None
            state = f"exists (version {found[1]})" if found else "would be created (32 random bytes) if missing"
            self.out(f"Access-cookie key: SSM SecureString {name} {state}")
            return (found[0] if found else None), (found[1] if found else 1)
        key, version = ensure_access_key(self._require(self.aws).client("ssm"), name)
        self.out(f"Access-cookie key: SSM SecureString {name}, version {version}")
        return key, version

    def _reachable_ssm(self) -> bool:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self._require(self.aws).client("ssm").describe_parameters(MaxResults=1)
        except (BotoCoreError, ClientError):
            return False
        return True

    # -- 4. functions and infrastructure --------------------------------------------------------

    def _parameters(self, stack: StackInfo, site_url: str, csp: str, key_version: int) -> dict[str, str]:
        from portal.catalog import load_catalog

        previous = stack.parameters
        return {
            "SiteUrl": site_url,
            "MailDomain": load_catalog(self.repo / "content").contacts.mail_sender.rsplit("@", 1)[1],
            "ContentDir": BUNDLE_CONTENT_DIR,
            "AccessKeyVersion": str(key_version),
            "ContentSecurityPolicy": csp,
            "DomainName": self.options.domain or previous.get("DomainName", ""),
            "CertificateArn": self.options.certificate_arn or previous.get("CertificateArn", ""),
            "AlarmEmail": self.options.alarm_email or previous.get("AlarmEmail", ""),
        }

    def _deploy_stack(self, parameters: dict[str, str]) -> None:
        code_dir = self.work_dir / "lambda"
        template_file = self.work_dir / "template.json"
        command = stack_template.sam_deploy_command(
            template_file, self.options.stack, parameters, self.options.region, self.options.profile
        )
        if self.options.dry_run:
            packages = lambda_bundle.function_packages(self.repo / "functions")
            pinned = lambda_bundle.pinned_requirements()
            self.out(f"Functions: bundle {', '.join(packages)} + content/data + {len(pinned)} pinned packages (arm64):")
            self.out("  " + " ".join(pinned))
            self.out(f"  {report.command_line(lambda_bundle.pip_command(code_dir, Path('requirements.txt'), 'arm64'))}")
            self.out(f"Stack: write {template_file} (infra/template.yaml, CodeUri={code_dir}, the edge function), then")
            self.out(f"  {report.command_line(report.without_csp(command))}")
            return
        if shutil.which("sam") is None:
            raise DeployError(
                "the AWS SAM CLI (`sam`) is not installed: install it (docs/deploy.md), or use --site-only "
                "to publish only the site to an existing stack"
            )
        built = lambda_bundle.build_bundle(self.repo, code_dir)
        self.out(f"Bundled {', '.join(built.packages)} with {len(built.requirements)} pinned packages")
        stack_template.write_deploy_template(self.template, template_file, str(code_dir))
        self.out(report.command_line(report.without_csp(command)))
        try:
            subprocess.run(command, check=True)  # noqa: S603 (sam with our own arguments)
        except subprocess.CalledProcessError as error:
            raise DeployError(f"sam deploy failed (exit {error.returncode}); its output above says why") from error

    # -- 5. the site ----------------------------------------------------------------------------

    def _publish(self, stack: StackInfo, site_dir: Path, key: bytes | None) -> int:
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        release_id = now.strftime("%Y%m%dT%H%M%SZ")
        bucket = stack.describe("SiteBucketName")
        reachable = self.aws is not None and stack.exists
        state = read_bucket(self.aws.client("s3"), bucket) if reachable else BucketState(known=False)
        plan = plan_site(site_dir, state, release_id, now.isoformat(), source_revision(self.repo))
        if key is None and not self.options.dry_run:
            key = read_access_key(self._require(self.aws).client("ssm"), access_key_parameter(stack.name))
            key = key[0] if key else None
            if key is None:
                raise DeployError(f"no key in SSM {access_key_parameter(stack.name)}: deploy without --site-only")
        wanted = kvs_items(plan.manifest, key or _PLANNING_KEY)
        store_arn = stack.describe("KeyValueStoreArn")
        store = None
        if reachable:
            store = CloudFrontKeyValueStore(self.aws.global_client("cloudfront-keyvaluestore"), store_arn)
        current = self._store_entries(store)
        puts, deletes = plan_update(current, wanted)
        for line in report.describe_kvs(puts, deletes, store_arn, self.options.verbose):
            self.out(line)
        for line in report.describe_site_plan(plan, bucket, stack.describe("DistributionId"), state.known):
            self.out(line)
        if self.options.dry_run:
            self.out("Dry run: nothing was changed.")
            return 0
        if store is None:
            raise DeployError(f"stack {stack.name} cannot be read")
        result = publish_site(
            plan,
            wanted,
            s3=self.aws.client("s3"),
            bucket=bucket,
            cloudfront=self.aws.global_client("cloudfront"),
            distribution_id=stack.output("DistributionId"),
            store=store,
            caller_reference=f"portal-deploy-{release_id}",
            log=self.out,
        )
        self.out(f"Deployed release {release_id} to {stack.outputs.get('SiteUrl', bucket)} ({result.uploaded} uploads)")
        return 0

    def _store_entries(self, store: CloudFrontKeyValueStore | None) -> dict[str, str]:
        if store is None:
            return {}
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return store.entries()
        except (BotoCoreError, ClientError) as error:
            if not self.options.dry_run:
                raise
            self.out(f"The key value store cannot be read ({error}); showing every entry as a put")
            return {}

    @staticmethod
    def _require(aws: Aws | None) -> Aws:
        if aws is None:
            raise DeployError("AWS is out of reach")
        return aws


def deploy(options: Options, repo: Path, work_dir: Path, out: Callable[[str], None] = print) -> int:
    """Run one deploy; see ``Deployment``."""
    return Deployment(options, repo, work_dir, out).run()
