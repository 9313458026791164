"""Reads the SAM template: the functions with their HTTP routes and queues, the tables, the queues, the environment.

The template is the one source of truth for routes and tables; the local stack only reads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"


class TemplateError(ValueError):
    """The template cannot be read or uses something the local stack cannot emulate."""


class _CloudFormationLoader(yaml.SafeLoader):
    """A safe loader that understands CloudFormation's short-form tags (``!Ref``, ``!Sub``...)."""


def _construct_intrinsic(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    """Turn ``!Ref X`` into ``{"Ref": "X"}`` and ``!Foo v`` into ``{"Fn::Foo": v}`` (the long form)."""
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if tag_suffix == "Ref":
        return {"Ref": value}
    if tag_suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{tag_suffix}": value}


_CloudFormationLoader.add_multi_constructor("!", _construct_intrinsic)


def read_template_data(path: Path) -> dict[str, Any]:
    """The template as plain data, intrinsics in their long form (``{"Ref": ...}``, ``{"Fn::Sub": ...}``)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_CloudFormationLoader)  # noqa: S506 (safe subclass)


@dataclass(frozen=True)
class HttpEvent:
    """One ``Type: HttpApi`` event of a function: the route it answers."""

    method: str
    path: str


@dataclass(frozen=True)
class SqsEvent:
    """One ``Type: SQS`` event of a function: Lambda's event source mapping from a queue."""

    queue: str  # the queue's logical id (its local name)
    batch_size: int = 10
    report_batch_item_failures: bool = False


@dataclass(frozen=True)
class FunctionDefinition:
    """An ``AWS::Serverless::Function`` as the local stack needs it."""

    logical_id: str
    handler: str
    code_dir: Path
    timeout_s: int
    memory_mb: int
    # Raw (unresolved) variables: Globals first, then the function's own.
    environment: dict[str, Any] = field(default_factory=dict)
    http_events: tuple[HttpEvent, ...] = ()
    sqs_events: tuple[SqsEvent, ...] = ()


@dataclass(frozen=True)
class QueueDefinition:
    """An ``AWS::SQS::Queue``; locally it is named after its logical id."""

    name: str
    visibility_timeout_s: int = 30
    retention_s: int = 345600
    # The dead-letter queue's logical id and how many receives move a message there.
    dead_letter_queue: str | None = None
    max_receive_count: int = 0

    @property
    def url(self) -> str:
        """The queue's URL in the emulated account (what ``!Ref`` gives)."""
        return queue_url(self.name)

    @property
    def arn(self) -> str:
        return f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:{self.name}"


def queue_url(name: str) -> str:
    """The URL of the emulated queue ``name``."""
    return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT_ID}/{name}"


@dataclass(frozen=True)
class TableDefinition:
    """An ``AWS::DynamoDB::Table``; locally it is named after its logical id."""

    name: str
    key_schema: list[dict[str, str]]
    attribute_definitions: list[dict[str, str]]
    global_secondary_indexes: list[dict[str, Any]] = field(default_factory=list)
    local_secondary_indexes: list[dict[str, Any]] = field(default_factory=list)
    ttl_attribute: str | None = None


@dataclass(frozen=True)
class Template:
    """The parts of the SAM template the local stack emulates."""

    path: Path
    parameters: dict[str, dict[str, Any]]
    functions: tuple[FunctionDefinition, ...]
    tables: tuple[TableDefinition, ...]
    queues: tuple[QueueDefinition, ...] = ()


def load_template(path: Path) -> Template:
    """Read the SAM template at ``path``.

    Raises:
        TemplateError: the file is missing, is not YAML, or a function lacks a handler.
    """
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_CloudFormationLoader)  # noqa: S506
    except FileNotFoundError as error:
        raise TemplateError(f"{path}: the SAM template was not found") from error
    except yaml.YAMLError as error:
        raise TemplateError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("Resources"), dict):
        raise TemplateError(f"{path}: a SAM template needs a Resources mapping")
    resources: dict[str, Any] = document["Resources"]
    globals_ = (document.get("Globals") or {}).get("Function") or {}
    functions = tuple(
        _function(path, logical_id, resource.get("Properties") or {}, globals_)
        for logical_id, resource in resources.items()
        if resource.get("Type") == "AWS::Serverless::Function"
    )
    tables = tuple(
        _table(logical_id, resource.get("Properties") or {})
        for logical_id, resource in resources.items()
        if resource.get("Type") == "AWS::DynamoDB::Table"
    )
    queues = tuple(
        _queue(path, logical_id, resource.get("Properties") or {})
        for logical_id, resource in resources.items()
        if resource.get("Type") == "AWS::SQS::Queue"
    )
    return Template(path, document.get("Parameters") or {}, functions, tables, queues)


def _function(path: Path, logical_id: str, props: dict[str, Any], globals_: dict[str, Any]) -> FunctionDefinition:
    """One function, with Globals applied the way SAM applies them (function values win)."""
    merged = {**globals_, **props}
    handler = merged.get("Handler")
    if not isinstance(handler, str) or "." not in handler:
        raise TemplateError(f"{path}: {logical_id} needs a Handler like 'area.app.lambda_handler'")
    code_uri = merged.get("CodeUri", ".")
    if not isinstance(code_uri, str):
        raise TemplateError(f"{path}: {logical_id}: only a local CodeUri folder can run locally")
    environment = {
        **((globals_.get("Environment") or {}).get("Variables") or {}),
        **((props.get("Environment") or {}).get("Variables") or {}),
    }
    events = tuple(
        HttpEvent(str(event["Properties"].get("Method", "ANY")).upper(), str(event["Properties"]["Path"]))
        for event in (props.get("Events") or {}).values()
        if event.get("Type") == "HttpApi" and "Path" in (event.get("Properties") or {})
    )
    queue_events = tuple(
        _sqs_event(path, logical_id, event.get("Properties") or {})
        for event in (props.get("Events") or {}).values()
        if event.get("Type") == "SQS"
    )
    return FunctionDefinition(
        logical_id=logical_id,
        handler=handler,
        code_dir=(path.parent / code_uri).resolve(),
        timeout_s=int(merged.get("Timeout", 3)),
        memory_mb=int(merged.get("MemorySize", 128)),
        environment=environment,
        http_events=events,
        sqs_events=queue_events,
    )


def _logical_id(value: Any) -> str | None:
    """The resource a ``!GetAtt X.Arn`` or ``!Ref X`` names, or None."""
    if isinstance(value, dict) and len(value) == 1:
        ((kind, argument),) = value.items()
        if kind == "Fn::GetAtt" and isinstance(argument, list) and argument:
            return str(argument[0])
        if kind == "Ref":
            return str(argument)
    return None


def _sqs_event(path: Path, logical_id: str, props: dict[str, Any]) -> SqsEvent:
    """An SQS event source; its ``Queue`` must name a queue of this template."""
    queue = _logical_id(props.get("Queue"))
    if queue is None:
        raise TemplateError(f"{path}: {logical_id}: an SQS event's Queue must be !GetAtt <queue>.Arn of this template")
    return SqsEvent(
        queue=queue,
        batch_size=int(props.get("BatchSize", 10)),
        report_batch_item_failures="ReportBatchItemFailures" in (props.get("FunctionResponseTypes") or []),
    )


def _queue(path: Path, logical_id: str, props: dict[str, Any]) -> QueueDefinition:
    """One queue; encryption does not matter locally."""
    redrive = props.get("RedrivePolicy") or {}
    dead_letter_queue = _logical_id(redrive.get("deadLetterTargetArn")) if redrive else None
    if redrive and dead_letter_queue is None:
        raise TemplateError(f"{path}: {logical_id}: deadLetterTargetArn must be !GetAtt <queue>.Arn of this template")
    return QueueDefinition(
        name=logical_id,
        visibility_timeout_s=int(props.get("VisibilityTimeout", 30)),
        retention_s=int(props.get("MessageRetentionPeriod", 345600)),
        dead_letter_queue=dead_letter_queue,
        max_receive_count=int(redrive.get("maxReceiveCount", 0)) if redrive else 0,
    )


def _table(logical_id: str, props: dict[str, Any]) -> TableDefinition:
    """One table; billing, recovery and deletion settings do not matter locally."""
    ttl = props.get("TimeToLiveSpecification") or {}
    return TableDefinition(
        name=logical_id,
        key_schema=props.get("KeySchema") or [],
        attribute_definitions=props.get("AttributeDefinitions") or [],
        global_secondary_indexes=props.get("GlobalSecondaryIndexes") or [],
        local_secondary_indexes=props.get("LocalSecondaryIndexes") or [],
        ttl_attribute=ttl.get("AttributeName") if ttl.get("Enabled", True) else None,
    )


def resolve_environment(
    template: Template, function: FunctionDefinition, local_parameters: dict[str, str]
) -> dict[str, str]:
    """The function's environment variables with ``!Ref``/``!Sub``/``!GetAtt`` resolved locally.

    A table resolves to its local name (its logical id); a parameter to ``local_parameters``, else its
    Default.

    Raises:
        TemplateError: a parameter has neither a local value nor a Default, or an intrinsic is unknown.
    """
    resolver = _Resolver(template, local_parameters)
    return {
        name: resolver.resolve(value, f"{function.logical_id}.{name}") for name, value in function.environment.items()
    }


@dataclass
class _Resolver:
    """Resolves intrinsic functions against local stand-ins for the stack's values."""

    template: Template
    local_parameters: dict[str, str]

    def resolve(self, value: Any, where: str) -> str:
        """The local string value of ``value``."""
        if isinstance(value, str | int | float | bool):
            return str(value).lower() if isinstance(value, bool) else str(value)
        if isinstance(value, dict) and len(value) == 1:
            ((kind, argument),) = value.items()
            if kind == "Ref":
                return self.ref(str(argument), where)
            if kind == "Fn::GetAtt":
                return self.get_att(list(argument), where)
            if kind == "Fn::Sub":
                return self.sub(argument, where)
        raise TemplateError(f"{where}: {value!r} cannot be resolved by the local stack")

    def ref(self, name: str, where: str) -> str:
        """``!Ref name``: a parameter's value, a resource's local name, or a pseudo parameter."""
        pseudo = {"AWS::Region": REGION, "AWS::AccountId": ACCOUNT_ID, "AWS::StackName": "portal-local"}
        if name in pseudo:
            return pseudo[name]
        if name in self.local_parameters:
            return self.local_parameters[name]
        if name in self.template.parameters:
            default = self.template.parameters[name].get("Default")
            if default is None:
                raise TemplateError(
                    f"{where}: parameter {name} has no Default and no local value "
                    "(add one to LOCAL_PARAMETERS in infra/local/stack.py)"
                )
            return str(default)
        if name in self._queues:
            return queue_url(name)
        # Resources are named after their logical id locally (tables included).
        return name

    @property
    def _queues(self) -> set[str]:
        return {queue.name for queue in self.template.queues}

    def get_att(self, argument: list[str], where: str) -> str:
        """``!GetAtt Resource.Attribute``: only ARNs have a sensible local value."""
        resource, attribute = argument[0], argument[1] if len(argument) > 1 else ""
        if resource in self._queues and attribute in {"Arn", "QueueName", "QueueUrl"}:
            queue = QueueDefinition(resource)
            return {"Arn": queue.arn, "QueueName": queue.name, "QueueUrl": queue.url}[attribute]
        if attribute in {"Arn", "StreamArn"}:
            return f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/{resource}"
        raise TemplateError(f"{where}: !GetAtt {resource}.{attribute} has no local value")

    def sub(self, argument: Any, where: str) -> str:
        """``!Sub "text ${Name}"`` or ``!Sub ["text ${X}", {X: ...}]``."""
        text, variables = (argument, {}) if isinstance(argument, str) else (argument[0], argument[1])

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in variables:
                return self.resolve(variables[name], where)
            if "." in name:
                return self.get_att(name.split(".", 1), where)
            return self.ref(name, where)

        return re.sub(r"\$\{([^}]+)\}", replace, text)
