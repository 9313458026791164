"""The template ``sam deploy`` gets: ``infra/template.yaml`` with two deploy-time facts filled in.

1. Every function's ``CodeUri`` (``../functions/``) becomes the built bundle (``bundle.py``).
2. The viewer-request function's placeholder code (which answers 503 to everything) becomes
   ``infra/edge/viewer_request.js``; its key value store id is filled in by CloudFormation itself
   (``Fn::Sub`` with ``AccessKeyValueStore.Id``), so the code always names the stack's own store.

Everything else (routes, tables, policies, the CDN) is exactly as in ``infra/template.yaml``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from infra.edge import function_code
from infra.local.template import read_template_data

EDGE_FUNCTION = "ViewerRequestFunction"
KVS_RESOURCE = "AccessKeyValueStore"
SOURCE_CODE_URI = "../functions/"
# A UUID-shaped stand-in for the store id: the size check of function_code sees a real id's length.
_KVS_STAND_IN = "00000000-0000-4000-8000-00000000cafe"


def load_template(path: Path) -> dict[str, Any]:
    """The template as plain data (intrinsics in their long form), read as the local stack reads it."""
    return read_template_data(path)


def edge_function_code() -> dict[str, Any]:
    """``Fn::Sub`` of the viewer-request code, the store id taken from the stack's own store."""
    code = function_code(_KVS_STAND_IN)
    # Fn::Sub would read "${" in the code as a variable: "${!" writes a literal "${".
    escaped = code.replace("${", "${!").replace(_KVS_STAND_IN, "${KvsId}")
    return {"Fn::Sub": [escaped, {"KvsId": {"Fn::GetAtt": [KVS_RESOURCE, "Id"]}}]}


def deploy_template(template: dict[str, Any], code_uri: str) -> dict[str, Any]:
    """A copy of ``template`` with the bundle as every function's code and the real edge function.

    Raises:
        KeyError: the template has no viewer-request function to fill in.
    """
    document = json.loads(json.dumps(template))
    function_globals = document.get("Globals", {}).get("Function", {})
    if function_globals.get("CodeUri", SOURCE_CODE_URI).rstrip("/") == SOURCE_CODE_URI.rstrip("/"):
        function_globals["CodeUri"] = code_uri
    for resource in document["Resources"].values():
        properties = resource.get("Properties") or {}
        is_function = resource.get("Type") == "AWS::Serverless::Function"
        if is_function and str(properties.get("CodeUri", "")).rstrip("/") == SOURCE_CODE_URI.rstrip("/"):
            properties["CodeUri"] = code_uri
    document["Resources"][EDGE_FUNCTION]["Properties"]["FunctionCode"] = edge_function_code()
    return document


def write_deploy_template(source: Path, target: Path, code_uri: str) -> Path:
    """Write the deploy template for ``source`` as JSON to ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(deploy_template(load_template(source), code_uri), indent=1), encoding="utf-8")
    return target


def sam_deploy_command(
    template_file: Path, stack: str, parameters: dict[str, str], region: str | None, profile: str | None
) -> list[str]:
    """The ``sam deploy`` command line (``sam`` packages the bundle folder and uploads it itself)."""
    command = [
        "sam",
        "deploy",
        "--template-file",
        str(template_file),
        "--stack-name",
        stack,
        "--capabilities",
        "CAPABILITY_IAM",
        "CAPABILITY_AUTO_EXPAND",
        "--resolve-s3",
        "--no-confirm-changeset",
        "--no-fail-on-empty-changeset",
        "--parameter-overrides",
        # Quoted: values such as the CSP hold spaces and semicolons.
        *(f'{name}="{value}"' for name, value in parameters.items()),
    ]
    if region:
        command += ["--region", region]
    if profile:
        command += ["--profile", profile]
    return command
