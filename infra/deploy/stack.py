"""The stack's outputs and parameters, read with CloudFormation's ``DescribeStacks``."""

from __future__ import annotations

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
