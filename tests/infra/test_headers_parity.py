"""The local server sends exactly the security headers CloudFront's response headers policy adds.

tests/infra/test_deploy_template.py keeps the template's policy equal to infra/headers.py, and
tests/infra/test_security_headers.py checks the local server against infra/headers.py. This test
closes the loop end to end: it reads the policy from infra/template.yaml as CloudFront would
apply it (the CSP being the parameter ``portal deploy`` passes for the built site), and compares
it with what a running local stack answers, for a page, an asset, a 404, and the API.
"""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from helpers import REPO

from infra.deploy.stack_template import load_template
from infra.headers import content_security_policy, inline_script_hashes

POLICY = "AWS::CloudFront::ResponseHeadersPolicy"


def cloudfront_headers(policy: dict, csp: str) -> dict[str, str]:
    """The headers a ResponseHeadersPolicyConfig adds to every answer, as CloudFront writes them."""
    security = policy.get("SecurityHeadersConfig", {})
    headers: dict[str, str] = {}
    if "StrictTransportSecurity" in security:
        hsts = security["StrictTransportSecurity"]
        headers["Strict-Transport-Security"] = (
            f"max-age={hsts['AccessControlMaxAgeSec']}"
            + ("; includeSubDomains" if hsts.get("IncludeSubdomains") else "")
            + ("; preload" if hsts.get("Preload") else "")
        )
    if "ContentTypeOptions" in security:
        headers["X-Content-Type-Options"] = "nosniff"
    if "FrameOptions" in security:
        headers["X-Frame-Options"] = security["FrameOptions"]["FrameOption"]
    if "ReferrerPolicy" in security:
        headers["Referrer-Policy"] = security["ReferrerPolicy"]["ReferrerPolicy"]
    if "XSSProtection" in security:
        pytest.fail("X-XSS-Protection is deprecated; the local server does not send it")
    if "ContentSecurityPolicy" in security:
        value = security["ContentSecurityPolicy"]["ContentSecurityPolicy"]
        headers["Content-Security-Policy"] = csp if value == {"Ref": "ContentSecurityPolicy"} else value
    for item in policy.get("CustomHeadersConfig", {}).get("Items", []):
        headers[item["Header"]] = item["Value"]
    return headers


def distribution_policies(template: dict) -> list[str]:
    """The policy each cache behavior of each distribution names; fails on a behavior without one."""
    names = []
    for name, resource in template["Resources"].items():
        if resource["Type"] != "AWS::CloudFront::Distribution":
            continue
        config = resource["Properties"]["DistributionConfig"]
        for behavior in [config["DefaultCacheBehavior"], *config.get("CacheBehaviors", [])]:
            policy = behavior.get("ResponseHeadersPolicyId")
            assert policy, f"{name}: a cache behavior ({behavior.get('PathPattern', 'default')}) has no headers policy"
            assert isinstance(policy, dict) and "Ref" in policy, f"{name}: the headers policy must be the template's"
            names.append(policy["Ref"])
    return names


def answer_headers(url: str) -> dict[str, str]:
    try:
        with urllib.request.urlopen(url) as response:  # noqa: S310 (the local stack)
            return dict(response.headers)
    except urllib.error.HTTPError as error:
        return dict(error.headers)


def test_every_behavior_of_every_distribution_uses_a_headers_policy():
    template = load_template(REPO / "infra" / "template.yaml")
    policies = distribution_policies(template)
    assert policies, "the template has no CloudFront distribution"
    for name in policies:
        assert template["Resources"][name]["Type"] == POLICY


@pytest.mark.parametrize("path", ["", "assets/stylesheets/portal.css", "no-such-page/", "api/session"])
def test_the_local_server_sends_what_cloudfront_adds(portal, built_site, path):
    template = load_template(REPO / "infra" / "template.yaml")
    csp = content_security_policy(inline_script_hashes(built_site))
    sent = answer_headers(portal.url + path)
    for name in set(distribution_policies(template)):
        expected = cloudfront_headers(template["Resources"][name]["Properties"]["ResponseHeadersPolicyConfig"], csp)
        assert {header: sent.get(header) for header in expected} == expected, path or "/"
