"""infra/template.yaml passes cfn-lint and the SAM transform, and declares what the portal needs in AWS."""

from __future__ import annotations

import pytest
from deploy_fixtures import TEMPLATE, packaged_template, resources_of, transformed_template, write_json

from infra.headers import SECURITY_HEADERS, content_security_policy


@pytest.fixture(scope="module")
def transformed():
    """The packaged template after the SAM transform: the CloudFormation resources AWS would create."""
    return transformed_template()


def lint(path) -> list[str]:
    from cfnlint.api import lint_file

    return [f"{m.rule.id} {m.filename}:{m.linenumber} {m.message}" for m in lint_file(path)]


def test_the_template_passes_cfn_lint():
    assert lint(TEMPLATE) == []


def test_the_deploy_template_passes_cfn_lint(tmp_path):
    """The template sam deploy gets (bundle as code, the real edge function) is just as clean."""
    assert lint(write_json(packaged_template(), tmp_path / "template.json")) == []


def test_the_sam_transform_succeeds(transformed):
    assert "Transform" not in transformed
    functions = resources_of(transformed, "AWS::Lambda::Function")
    assert {"HelpFunction", "AuthFunction", "PasswordResetFunction"} <= set(functions)
    assert resources_of(transformed, "AWS::ApiGatewayV2::Api")


def test_every_function_has_its_own_role(transformed):
    functions = resources_of(transformed, "AWS::Lambda::Function")
    roles = [f["Properties"]["Role"]["Fn::GetAtt"][0] for f in functions.values()]
    assert len(set(roles)) == len(functions)


def _allow_statements(transformed):
    """Every Allow statement of the functions' roles: inline and the template's managed policies."""
    managed = resources_of(transformed, "AWS::IAM::ManagedPolicy")
    for role_name, role in resources_of(transformed, "AWS::IAM::Role").items():
        documents = [p["PolicyDocument"] for p in role["Properties"].get("Policies", [])]
        for arn in role["Properties"].get("ManagedPolicyArns", []):
            if isinstance(arn, dict):
                documents.append(managed[arn["Ref"]]["Properties"]["PolicyDocument"])
            else:
                assert arn.endswith("AWSLambdaBasicExecutionRole"), f"{role_name}: unexpected managed policy {arn}"
        for document in documents:
            statements = document["Statement"]
            for statement in statements if isinstance(statements, list) else [statements]:
                if statement["Effect"] == "Allow":
                    yield role_name, statement


def _listed(value):
    return value if isinstance(value, list) else [value]


def test_no_role_grants_wildcard_actions_or_resources_on_data(transformed):
    data_services = ("dynamodb:", "s3:", "ses:", "ssm:", "secretsmanager:", "kms:")
    checked = 0
    for role, statement in _allow_statements(transformed):
        actions = _listed(statement["Action"])
        for action in actions:
            assert action != "*" and not action.endswith(":*"), f"{role} grants {action}"
        if any(action.startswith(data_services) for action in actions):
            checked += 1
            for resource in _listed(statement["Resource"]):
                assert resource != "*", f"{role} grants {actions} on every resource"
    assert checked >= 3


def test_functions_use_explicit_table_actions_not_scans(transformed):
    table_actions = {
        action
        for _, statement in _allow_statements(transformed)
        for action in _listed(statement["Action"])
        if action.startswith("dynamodb:")
    }
    assert table_actions <= {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:Query",
        "dynamodb:ConditionCheckItem",
    }


def test_only_functions_that_sign_the_access_cookie_read_its_key():
    functions = resources_of(packaged_template(), "AWS::Serverless::Function")
    readers = {
        name for name, f in functions.items() if {"Ref": "AccessKeyReading"} in f["Properties"].get("Policies", [])
    }
    roles = resources_of(packaged_template(), "AWS::IAM::Role")
    readers |= {
        name for name, r in roles.items() if {"Ref": "AccessKeyReading"} in r["Properties"]["ManagedPolicyArns"]
    }
    assert readers == {"AuthFunction"}


def test_the_reset_queue_is_encrypted_redriven_and_watched():
    template = packaged_template()
    queues = resources_of(template, "AWS::SQS::Queue")
    assert set(queues) == {"ResetQueue", "ResetDeadLetterQueue"}
    assert all(q["Properties"]["SqsManagedSseEnabled"] is True for q in queues.values())
    redrive = queues["ResetQueue"]["Properties"]["RedrivePolicy"]
    assert redrive["deadLetterTargetArn"] == {"Fn::GetAtt": ["ResetDeadLetterQueue", "Arn"]}
    assert redrive["maxReceiveCount"] >= 3
    worker = resources_of(template, "AWS::Serverless::Function")["ResetMailFunction"]["Properties"]
    (event,) = worker["Events"].values()
    assert event["Type"] == "SQS"
    assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert queues["ResetQueue"]["Properties"]["VisibilityTimeout"] >= 6 * worker["Timeout"]
    watched = [
        a["Properties"]["Dimensions"][0]["Value"]
        for a in resources_of(template, "AWS::CloudWatch::Alarm").values()
        if a["Properties"]["Namespace"] == "AWS/SQS"
    ]
    assert watched == [{"Fn::GetAtt": ["ResetDeadLetterQueue", "QueueName"]}]


def test_the_reset_api_may_only_send_to_the_queue_and_the_worker_only_read_it(transformed):
    sqs = {}
    for role, statement in _allow_statements(transformed):
        for action in _listed(statement["Action"]):
            if action.startswith("sqs:"):
                sqs.setdefault(role, set()).add((action, str(statement["Resource"])))
    queue = str({"Fn::GetAtt": ["ResetQueue", "Arn"]})
    assert sqs == {
        "PasswordResetFunctionRole": {("sqs:SendMessage", queue)},
        "ResetMailRole": {(a, queue) for a in ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes")},
    }
    functions = resources_of(transformed, "AWS::Lambda::Function")
    assert functions["ResetMailFunction"]["Properties"]["Role"] == {"Fn::GetAtt": ["ResetMailRole", "Arn"]}
    mappings = resources_of(transformed, "AWS::Lambda::EventSourceMapping")
    assert [m["Properties"]["FunctionResponseTypes"] for m in mappings.values()] == [["ReportBatchItemFailures"]]


def test_every_function_has_error_and_throttle_alarms_and_logs_with_retention():
    template = packaged_template()
    alarms = resources_of(template, "AWS::CloudWatch::Alarm").values()
    watched = {
        (a["Properties"]["MetricName"], a["Properties"]["Dimensions"][0]["Value"]["Ref"])
        for a in alarms
        if a["Properties"]["Namespace"] == "AWS/Lambda"
    }
    for name in resources_of(template, "AWS::Serverless::Function"):
        for metric in ("Errors", "Throttles"):
            assert (metric, name) in watched, f"add {name}{metric}Alarm (copy HelpFunction{metric}Alarm)"
    assert template["Globals"]["Function"]["LoggingConfig"]["LogGroup"] == {"Ref": "FunctionLogGroup"}
    for group in resources_of(template, "AWS::Logs::LogGroup").values():
        assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    assert any(a["Properties"]["Namespace"] == "AWS/ApiGateway" for a in alarms)


def test_the_table_has_recovery_deletion_protection_and_ttl():
    for table in resources_of(packaged_template(), "AWS::DynamoDB::Table").values():
        properties = table["Properties"]
        assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        assert properties["DeletionProtectionEnabled"] is True
        assert properties["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
        assert table["DeletionPolicy"] == "Retain"


def test_the_site_bucket_is_private_and_read_only_by_the_distribution():
    template = packaged_template()
    bucket = template["Resources"]["SiteBucket"]["Properties"]
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    statements = template["Resources"]["SiteBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    for statement in statements:
        if statement["Effect"] == "Allow":
            assert statement["Principal"] == {"Service": "cloudfront.amazonaws.com"}
            assert "AWS:SourceArn" in statement["Condition"]["StringEquals"]
    denied = {s["Sid"] for s in statements if s["Effect"] == "Deny"}
    assert {"DeployRecordsAreNotServed", "HttpsOnly"} <= denied
    origin = template["Resources"]["Distribution"]["Properties"]["DistributionConfig"]["Origins"][0]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["SiteOriginAccessControl", "Id"]}


def test_the_distribution_gates_the_site_and_passes_the_api_through():
    config = packaged_template()["Resources"]["Distribution"]["Properties"]["DistributionConfig"]
    default = config["DefaultCacheBehavior"]
    assert default["FunctionAssociations"] == [
        {"EventType": "viewer-request", "FunctionARN": {"Fn::GetAtt": ["ViewerRequestFunction", "FunctionARN"]}}
    ]
    (api,) = config["CacheBehaviors"]
    assert api["PathPattern"] == "/api/*" and "FunctionAssociations" not in api
    assert api["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # CachingDisabled
    assert api["OriginRequestPolicyId"] == "b689b0a8-53d0-40ab-baf2-68738e2966ac"  # AllViewerExceptHostHeader
    # Only 404 is replaced: the edge function's 302s and the API's 401/403 answers pass untouched.
    assert [e["ErrorCode"] for e in config["CustomErrorResponses"]] == [404]
    assert config["CustomErrorResponses"][0]["ResponsePagePath"] == "/404.html"


def test_the_edge_function_is_the_real_one_bound_to_the_stacks_store():
    function = packaged_template()["Resources"]["ViewerRequestFunction"]["Properties"]
    code, variables = function["FunctionCode"]["Fn::Sub"]
    assert "cf.kvs('${KvsId}')" in code
    assert variables == {"KvsId": {"Fn::GetAtt": ["AccessKeyValueStore", "Id"]}}
    assert function["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"


def test_the_template_on_its_own_opens_nothing_at_the_edge():
    """Deployed without portal deploy, the placeholder function answers 503 to every request."""
    from infra.deploy.stack_template import load_template

    code = load_template(TEMPLATE)["Resources"]["ViewerRequestFunction"]["Properties"]["FunctionCode"]
    assert "statusCode: 503" in code and "return request" not in code


def _header_policy_of(headers):
    """CloudFront's SecurityHeadersConfig and custom headers for a list of (name, value) headers."""
    values = dict(headers)
    hsts = dict(
        part.strip().split("=") if "=" in part else (part.strip(), True)
        for part in values.pop("Strict-Transport-Security").split(";")
    )
    security = {
        "StrictTransportSecurity": {
            "AccessControlMaxAgeSec": int(hsts["max-age"]),
            "IncludeSubdomains": "includeSubDomains" in hsts,
            "Preload": "preload" in hsts,
            "Override": True,
        },
        "ContentTypeOptions": {"Override": True},
        "FrameOptions": {"FrameOption": values.pop("X-Frame-Options"), "Override": True},
        "ReferrerPolicy": {"ReferrerPolicy": values.pop("Referrer-Policy"), "Override": True},
        "ContentSecurityPolicy": {"ContentSecurityPolicy": {"Ref": "ContentSecurityPolicy"}, "Override": True},
    }
    assert values.pop("X-Content-Type-Options") == "nosniff"
    values.pop("Content-Security-Policy")
    custom = [{"Header": name, "Value": value, "Override": True} for name, value in values.items()]
    return security, custom


def test_the_response_headers_policy_is_the_local_servers_headers():
    template = packaged_template()
    config = template["Resources"]["SecurityHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    security, custom = _header_policy_of(SECURITY_HEADERS)
    assert config["SecurityHeadersConfig"] == security
    assert config["CustomHeadersConfig"]["Items"] == custom
    # The CSP comes from infra/headers.py: its default is the policy without hashes.
    assert template["Parameters"]["ContentSecurityPolicy"]["Default"] == content_security_policy()
    for behavior in [
        template["Resources"]["Distribution"]["Properties"]["DistributionConfig"]["DefaultCacheBehavior"],
        *template["Resources"]["Distribution"]["Properties"]["DistributionConfig"]["CacheBehaviors"],
    ]:
        assert behavior["ResponseHeadersPolicyId"] == {"Ref": "SecurityHeadersPolicy"}
