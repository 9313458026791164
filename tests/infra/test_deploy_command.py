"""``portal deploy --dry-run`` on the real repository: it builds the site and prints the plan, changing nothing."""

from __future__ import annotations

import pytest

from infra.cli import main
from infra.deploy.stack import StackInfo
from infra.deploy.steps import Aws


@pytest.fixture
def no_aws(monkeypatch, tmp_path):
    """A machine with no AWS credentials at all (a fresh clone)."""
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SECURITY_TOKEN",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def test_a_dry_run_without_aws_prints_the_whole_plan_with_placeholders(no_aws, capsys):
    assert main(["deploy", "--stack", "portal-prod", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "AWS is out of reach" in out
    assert "Content-Security-Policy: default-src 'self'; script-src 'self' 'sha256-" in out
    assert "SSM SecureString /portal-prod/access-key would be created" in out
    assert "sam deploy --template-file" in out and "--stack-name portal-prod" in out
    assert "put access-key = <the access key>" in out
    assert "Upload " in out and "s3://<SiteBucketName of portal-prod>/" in out
    assert "Cache-Control: public, max-age=31536000, immutable" in out
    assert "Invalidate CloudFront <DistributionId of portal-prod>: /*" in out
    assert out.rstrip().endswith("Dry run: nothing was changed.")


def test_a_dry_run_against_a_deployed_stack_shows_only_what_changed(capsys, monkeypatch):
    """moto plays the deployed stack's SSM key and bucket; the stack's outputs are given."""
    from moto import mock_aws

    with mock_aws():
        import boto3

        boto3.client("s3").create_bucket(Bucket="portal-site")
        boto3.client("ssm").put_parameter(
            Name="/portal-prod/access-key", Value=bytes(range(32)).hex(), Type="SecureString"
        )
        outputs = {
            "SiteUrl": "https://partners.example.com/",
            "SiteBucketName": "portal-site",
            "DistributionId": "E123EXAMPLE",
            "KeyValueStoreArn": "arn:aws:cloudfront::123456789012:key-value-store/abc",
        }
        # moto's CloudFormation needs heavy extras; the stack's answer is all the deploy reads from it.
        monkeypatch.setattr(Aws, "stack", lambda self, name: StackInfo(name, True, outputs))
        boto3.client("s3").put_object(Bucket="portal-site", Key="old-page/index.html", Body=b"old")
        assert main(["deploy", "--stack", "portal-prod", "--dry-run", "--region", "us-east-1"]) == 0
        out = capsys.readouterr().out
        keys = {o["Key"] for o in boto3.client("s3").list_objects_v2(Bucket="portal-site")["Contents"]}
    assert "Stack portal-prod: exists" in out
    assert "Built the site for https://partners.example.com/" in out
    assert "SSM SecureString /portal-prod/access-key exists (version 1)" in out
    assert "s3://portal-site/" in out and "Invalidate CloudFront E123EXAMPLE" in out
    assert "Delete 1 files the new release no longer has:\n  old-page/index.html" in out
    # A dry run changes nothing.
    assert keys == {"old-page/index.html"}


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("bad name!", "the stack name 'bad name!' contains ' ', '!'; use only letters, digits and hyphens"),
        ("", "the stack name is empty; give one, e.g. reseller-portal-prod"),
        ("2024-portal", "the stack name '2024-portal' starts with '2'; it must start with a letter"),
        ("portal_prod", "the stack name 'portal_prod' contains '_'"),
        ("p" * 129, "the stack name is 129 characters long; CloudFormation allows at most 128"),
    ],
)
@pytest.mark.parametrize("dry_run", [["--dry-run"], []])
def test_a_bad_stack_name_stops_the_deploy_before_any_step(no_aws, capsys, monkeypatch, name, problem, dry_run):
    def deploy(*args, **kwargs):
        raise AssertionError("the deploy ran")

    monkeypatch.setattr("infra.deploy.deployment.deploy", deploy)
    with pytest.raises(SystemExit) as stopped:
        main(["deploy", "--stack", name, *dry_run])
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    assert f"portal deploy: error: argument --stack: {problem}" in captured.err
    assert captured.out == ""


def test_a_stack_name_of_128_letters_digits_and_hyphens_is_accepted():
    from infra.cli import build_parser

    name = "Portal-2-" + "x" * 119
    assert build_parser().parse_args(["deploy", "--stack", name]).stack == name
