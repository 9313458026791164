"""The password-reset queue's worker: each SQS message is one Request New Password request.

Lambda hands it batches (``BatchSize`` in the template) and, with ``ReportBatchItemFailures``,
deletes only the messages this handler does not list as failed. A failed message (the mail
service is down, another delivery holds its claim, a body this portal did not write) stays on the
queue, comes back after the queue's visibility timeout, and after ``maxReceiveCount`` tries moves
to the dead-letter queue, where the DLQ alarm sees it (docs/deploy.md says what to do then).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger()
# Every failed record is listed in the answer, even when the whole batch failed.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def deliver(record: SQSRecord) -> None:
    """Mail the link of one queued request (at most once per request id)."""
    from portal.reset_requests import ResetRequest
    from portal.wiring import reset_mail

    try:
        request = ResetRequest.from_body(record.body)
        sent = reset_mail().deliver(request)
    except Exception:
        logger.exception(
            "password-reset request not delivered; it stays on the queue", extra={"message_id": record.message_id}
        )
        raise
    logger.info("password-reset request handled", extra={"request_id": request.request_id, "emailed": sent})


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=deliver, processor=processor, context=context)
