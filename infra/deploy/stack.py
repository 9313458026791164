"""The stack's outputs and parameters, read with CloudFormation's ``DescribeStacks``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# The outputs of infra/template.yaml that the deploy uses.
OUTPUT_NAMES = ("SiteUrl", "SiteBucketName", "DistributionId", "KeyValueStoreArn", "AccessKeyParameterName")


class StackError(RuntimeError):
    """The stack cannot be read, or lacks an output the deploy needs."""


@dataclass(frozen=True)
class StackInfo:
    """What the deploy needs from the stack; ``exists=False`` before the first deploy."""

    name: str
    exists: bool
    outputs: dict[str, str] = field(default_factory=dict)
    parameters: dict[str, str] = field(default_factory=dict)

    def output(self, name: str) -> str:
        """An output's value.

        Raises:
            StackError: the stack does not have it (not deployed yet, or an older template).
        """
        try:
            return self.outputs[name]
        except KeyError as error:
            raise StackError(f"stack {self.name} has no output {name}; deploy the stack first") from error

    def describe(self, name: str) -> str:
        """An output's value, or a placeholder naming it (for a plan printed without AWS)."""
        return self.outputs.get(name) or f"<{name} of {self.name}>"


# CloudFormation's rule for a stack name; the name also names the SSM parameter and the SAM artifacts.
STACK_NAME_MAX = 128
_STACK_NAME = re.compile(r"[A-Za-z][-A-Za-z0-9]*")
_STACK_NAME_EXAMPLE = "e.g. reseller-portal-prod"


def stack_name_problem(name: str) -> str | None:
    """What is wrong with ``name`` as a CloudFormation stack name, or None when it is valid."""
    if not name:
        return f"the stack name is empty; give one, {_STACK_NAME_EXAMPLE}"
    if len(name) > STACK_NAME_MAX:
        return f"the stack name is {len(name)} characters long; CloudFormation allows at most {STACK_NAME_MAX}"
    if not ("A" <= name[0] <= "Z" or "a" <= name[0] <= "z"):
        return (
            f"the stack name {name!r} starts with {name[0]!r}; "
            f"it must start with a letter (A-Z or a-z), {_STACK_NAME_EXAMPLE}"
        )
    if not _STACK_NAME.fullmatch(name):
        wrong = "".join(dict.fromkeys(c for c in name if not (c == "-" or (c.isascii() and c.isalnum()))))
        return (
            f"the stack name {name!r} contains {', '.join(repr(c) for c in wrong)}; "
            f"use only letters, digits and hyphens, {_STACK_NAME_EXAMPLE}"
        )
    return None


def access_key_parameter(stack_name: str) -> str:
    """The SSM parameter holding the access-cookie key, as the template names it."""
    return f"/{stack_name}/access-key"


def read_stack(cloudformation: Any, name: str) -> StackInfo:
    """The stack's outputs and parameters; ``exists=False`` when there is no such stack.

    Raises:
        botocore.exceptions.ClientError: for any other refusal (credentials, permissions).
    """
    from botocore.exceptions import ClientError

    try:
        stacks = cloudformation.describe_stacks(StackName=name)["Stacks"]
    except ClientError as error:
        message = error.response.get("Error", {}).get("Message", "")
        if error.response.get("Error", {}).get("Code") == "ValidationError" and "does not exist" in message:
            return StackInfo(name, exists=False)
        raise
    stack = stacks[0]
    if stack.get("StackStatus", "").endswith("ROLLBACK_COMPLETE") and stack["StackStatus"].startswith("ROLLBACK"):
        # A first deploy that failed leaves a stack that can only be deleted.
        raise StackError(f"stack {name} is in {stack['StackStatus']}: delete it, then deploy again")
    return StackInfo(
        name,
        exists=True,
        outputs={o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])},
        parameters={p["ParameterKey"]: p.get("ParameterValue", "") for p in stack.get("Parameters", [])},
    )
