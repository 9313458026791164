"""Lambda's SQS event source mappings, locally: queued messages handed to their functions.

Every ``Type: SQS`` event of the template's functions is one mapping. ``QueuePump.drain`` receives
what waits on each mapped queue, hands it to the function as the event Lambda builds
(``Records`` of ``eventSource: aws:sqs``) in batches of the event's ``BatchSize`` (at most 10, as
one receive gives), and deletes what the function handled. With ``ReportBatchItemFailures`` the
messages it lists in ``batchItemFailures`` stay; a handler that raises keeps the whole batch.
Kept messages come back after the queue's visibility timeout, and move to the dead-letter queue
after ``maxReceiveCount`` receives (moto applies the redrive policy), as in AWS.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from infra.local.api import Functions
from infra.local.template import REGION, FunctionDefinition, QueueDefinition, SqsEvent, Template

logger = logging.getLogger("portal.local")

# Receives per mapping per drain: a handler that keeps failing cannot hold the server for long.
_MAX_BATCHES = 50


@dataclass(frozen=True)
class Mapping:
    """One event source mapping: a queue feeding a function."""

    function: FunctionDefinition
    source: SqsEvent
    queue: QueueDefinition


@dataclass
class Delivery:
    """One batch handed to a function: the messages as received, and the ids left on the queue."""

    mapping: Mapping
    messages: list[dict[str, Any]]
    failed: set[str] = field(default_factory=set)


def mappings_of(template: Template) -> list[Mapping]:
    """The template's SQS event source mappings (an event naming an unknown queue is skipped with a warning)."""
    queues = {queue.name: queue for queue in template.queues}
    found = []
    for function in template.functions:
        for source in function.sqs_events:
            if source.queue not in queues:
                logger.warning(
                    "%s reads queue %s, which the template does not declare", function.logical_id, source.queue
                )
                continue
            found.append(Mapping(function, source, queues[source.queue]))
    return found


def sqs_event(messages: list[dict[str, Any]], queue: QueueDefinition) -> dict[str, Any]:
    """The event Lambda hands a function for messages received from ``queue``."""
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": message.get("Attributes", {}),
                "messageAttributes": {
                    name: {
                        "stringValue": value.get("StringValue"),
                        "binaryValue": value.get("BinaryValue"),
                        "stringListValues": [],
                        "binaryListValues": [],
                        "dataType": value.get("DataType", "String"),
                    }
                    for name, value in (message.get("MessageAttributes") or {}).items()
                },
                "md5OfBody": message.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue.arn,
                "awsRegion": REGION,
            }
            for message in messages
        ]
    }


def failed_ids(result: Any, messages: list[dict[str, Any]], report_failures: bool) -> set[str]:
    """The messages to keep, from the handler's answer (Lambda's rules for partial batch responses)."""
    if not report_failures or not isinstance(result, dict) or not result.get("batchItemFailures"):
        return set()
    every = {message["MessageId"] for message in messages}
    failures = result["batchItemFailures"]
    ids = [item.get("itemIdentifier") if isinstance(item, dict) else None for item in failures]
    if not isinstance(failures, list) or not all(isinstance(i, str) and i in every for i in ids):
        # An empty or unknown identifier fails the whole batch, as in Lambda.
        return every
    return set(ids)


class QueuePump:
    """Delivers queued messages to the functions that the template maps to their queues."""

    def __init__(self, template: Template, functions: Functions, sqs: Any) -> None:
        self.mappings = mappings_of(template)
        self.functions = functions
        self.sqs = sqs

    def drain(self) -> list[Delivery]:
        """Hand every message waiting now to its function; returns the batches delivered."""
        deliveries = []
        for mapping in self.mappings:
            for _ in range(_MAX_BATCHES):
                received = self.sqs.receive_message(
                    QueueUrl=mapping.queue.url,
                    MaxNumberOfMessages=max(1, min(10, mapping.source.batch_size)),
                    AttributeNames=["All"],
                    MessageAttributeNames=["All"],
                    WaitTimeSeconds=0,
                )
                messages = received.get("Messages") or []
                if not messages:
                    break
                deliveries.append(self._deliver(mapping, messages))
        return deliveries

    def _deliver(self, mapping: Mapping, messages: list[dict[str, Any]]) -> Delivery:
        """One batch: invoke the function, delete what it handled."""
        delivery = Delivery(mapping, messages)
        try:
            result = self.functions.invoke(mapping.function, sqs_event(messages, mapping.queue))
            delivery.failed = failed_ids(result, messages, mapping.source.report_batch_item_failures)
        except Exception:
            logger.exception(
                "%s failed on a batch from %s; the messages stay", mapping.function.logical_id, mapping.queue.name
            )
            delivery.failed = {message["MessageId"] for message in messages}
        handled = [message for message in messages if message["MessageId"] not in delivery.failed]
        if handled:
            self.sqs.delete_message_batch(
                QueueUrl=mapping.queue.url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(handled)],
            )
        if delivery.failed:
            logger.warning(
                "%s left %d message(s) on %s; they come back after %ss",
                mapping.function.logical_id,
                len(delivery.failed),
                mapping.queue.name,
                mapping.queue.visibility_timeout_s,
            )
        return delivery
