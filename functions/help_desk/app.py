"""``POST /api/help``: a visitor asks Reseller Support for help."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler.openapi.params import Body, Header
from aws_lambda_powertools.utilities.typing import LambdaContext
from portal.api_docs import Answer, answers
from portal.help_requests import IDEMPOTENCY_KEY_PATTERN, HelpRequestForm
from portal.web import build_resolver, json_response

logger = Logger()


class HelpRequestAccepted(Answer):
    """The reference to quote to Reseller Support, and a sentence to show."""

    reference: str
    message: str


app = build_resolver(HelpRequestForm)


@app.post(
    "/api/help",
    summary="Send a help request to Reseller Support",
    responses=answers(
        {
            201: ("Stored; Reseller Support and the sender were emailed", HelpRequestAccepted),
            200: (
                "A repeat of an earlier submission with the same key: nothing new was stored or sent",
                HelpRequestAccepted,
            ),
        },
        409,
        422,
    ),
)
def submit_help_request(
    form: Annotated[HelpRequestForm, Body()],
    idempotency_key: Annotated[
        str,
        Header(
            alias="idempotency-key",
            pattern=IDEMPOTENCY_KEY_PATTERN,
            description="A value unique to this submission (16-128 letters, digits, - or _); repeat it on retries.",
        ),
    ],
):
    from portal.wiring import help_desk

    receipt = help_desk().submit(form, idempotency_key)
    return json_response(
        200 if receipt.repeated else 201,
        {
            "reference": receipt.reference,
            "message": f"Thank you. Your request was sent to Reseller Support with the reference {receipt.reference}.",
        },
    )


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
