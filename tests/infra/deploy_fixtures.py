"""Shared by the deploy tests: the template as SAM would hand it to CloudFormation, transformed."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from helpers import REPO

from infra.deploy.stack_template import deploy_template, load_template

TEMPLATE = REPO / "infra" / "template.yaml"
# What `sam deploy` puts in place of the bundle folder after uploading it.
PACKAGED_CODE = "s3://portal-artifacts/bundle.zip"


class _ManagedPolicies:
    """The only AWS managed policy SAM attaches by itself (logging); no IAM call needed."""

    def load(self) -> dict[str, str]:
        return {"AWSLambdaBasicExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}


def packaged_template() -> dict[str, Any]:
    """The deploy template after `sam deploy`'s packaging: code in S3, the real edge function."""
    return deploy_template(load_template(TEMPLATE), PACKAGED_CODE)


def transformed_template() -> dict[str, Any]:
    """The packaged template through the SAM transform (aws-sam-translator), as CloudFormation runs it."""
    from samtranslator.translator.transform import transform

    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    return transform(json.loads(json.dumps(packaged_template())), {}, _ManagedPolicies())


def resources_of(document: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    """The resources of one type, by logical id."""
    return {name: r for name, r in document["Resources"].items() if r["Type"] == kind}


def write_json(document: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    return path
