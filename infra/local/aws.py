"""The emulated AWS account: moto in-process, the template's tables and queues, the portal's SES sender.

Nothing here ever talks to real AWS: credentials are fake, the user's AWS config files are
ignored, and any request moto does not answer fails instead of going out to the network.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import yaml

from infra.local.state import State, StateFileError
from infra.local.template import REGION, QueueDefinition, TableDefinition

logger = logging.getLogger("portal.local")

# Set before any client exists so boto3 can never find real credentials or endpoints.
FAKE_AWS_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}
# Variables that could point boto3 at a real account or a real endpoint.
_REMOVED_VARIABLES = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI")


class LocalAwsError(RuntimeError):
    """A request reached past the emulator; the local stack refuses to contact real AWS."""


@contextmanager
def patched_environment(values: dict[str, str], remove: tuple[str, ...] = ()) -> Iterator[None]:
    """Set ``values`` (and drop ``remove``) in ``os.environ``, putting back the old values afterwards.

    Only the named variables are touched, never the whole environment, because other threads of
    the server keep running while a handler's variables are in place.
    """
    endpoint_overrides = tuple(name for name in os.environ if name.startswith("AWS_ENDPOINT_URL"))
    names = {*values, *remove, *endpoint_overrides}
    saved = {name: os.environ.get(name) for name in names}
    try:
        for name in (*remove, *endpoint_overrides):
            os.environ.pop(name, None)
        os.environ.update(values)
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _refuse_network(endpoint: Any, request: Any) -> Any:
    """Stands in for botocore's network send while the stack runs: moto answers, or nobody does."""
    raise LocalAwsError(f"{request.method} {request.url} is not emulated by moto; the local stack never calls real AWS")


def create_table(dynamodb: Any, table: TableDefinition) -> None:
    """Create one template table (indexes included) and switch on its TTL."""
    arguments: dict[str, Any] = {
        "TableName": table.name,
        "KeySchema": table.key_schema,
        "AttributeDefinitions": table.attribute_definitions,
        "BillingMode": "PAY_PER_REQUEST",
    }
    if table.global_secondary_indexes:
        arguments["GlobalSecondaryIndexes"] = [
            {key: value for key, value in index.items() if key != "ProvisionedThroughput"}
            for index in table.global_secondary_indexes
        ]
    if table.local_secondary_indexes:
        arguments["LocalSecondaryIndexes"] = table.local_secondary_indexes
    dynamodb.create_table(**arguments)
    if table.ttl_attribute:
        dynamodb.update_time_to_live(
            TableName=table.name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": table.ttl_attribute},
        )


def create_queues(sqs: Any, queues: tuple[QueueDefinition, ...]) -> dict[str, str]:
    """Create the template's queues (dead-letter queues first, so a redrive finds them); name -> URL."""
    urls: dict[str, str] = {}
    for queue in sorted(queues, key=lambda queue: queue.dead_letter_queue is not None):
        attributes = {
            "VisibilityTimeout": str(queue.visibility_timeout_s),
            "MessageRetentionPeriod": str(queue.retention_s),
        }
        if queue.dead_letter_queue:
            target = QueueDefinition(queue.dead_letter_queue).arn
            attributes["RedrivePolicy"] = json.dumps(
                {"deadLetterTargetArn": target, "maxReceiveCount": queue.max_receive_count}
            )
        urls[queue.name] = sqs.create_queue(QueueName=queue.name, Attributes=attributes)["QueueUrl"]
    return urls


class EmulatedAws:
    """moto's ``mock_aws`` started in this process, with the portal's resources created."""

    def __init__(
        self, tables: tuple[TableDefinition, ...], contacts_file: Path, queues: tuple[QueueDefinition, ...] = ()
    ) -> None:
        self.tables = tables
        self.queues = queues
        self.contacts_file = contacts_file
        self._stack: list[Any] = []
        self._clients: dict[str, Any] = {}

    def start(self) -> None:
        """Start moto and create the tables, the queues and the SES identities."""
        from moto import mock_aws

        environment = patched_environment(FAKE_AWS_ENVIRONMENT, _REMOVED_VARIABLES)
        environment.__enter__()
        self._stack.append(environment)
        network_guard = mock.patch("botocore.endpoint.Endpoint._send", _refuse_network)
        network_guard.start()
        self._stack.append(network_guard)
        emulator = mock_aws()
        emulator.start()
        self._stack.append(emulator)
        for table in self.tables:
            self._create_table(table)
        create_queues(self.client("sqs"), self.queues)
        self._verify_sender()

    def stop(self) -> None:
        """Stop moto (dropping its data) and restore the environment, newest first."""
        self._clients.clear()
        while self._stack:
            layer = self._stack.pop()
            if hasattr(layer, "__exit__"):
                layer.__exit__(None, None, None)
            else:
                layer.stop()

    def client(self, service: str) -> Any:
        """A boto3 client for ``service`` inside the emulated account (made once: clients are slow to create)."""
        import boto3

        if service not in self._clients:
            self._clients[service] = boto3.session.Session(region_name=REGION).client(service)
        return self._clients[service]

    def _create_table(self, table: TableDefinition) -> None:
        create_table(self.client("dynamodb"), table)

    def _verify_sender(self) -> None:
        """Verify the portal's sender address and its domain, so any sender there can send."""
        try:
            contacts = yaml.safe_load(self.contacts_file.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as error:
            logger.warning("No SES sender verified: cannot read %s (%s)", self.contacts_file, error)
            return
        sender = contacts.get("mail_sender") if isinstance(contacts, dict) else None
        if not isinstance(sender, str) or "@" not in sender:
            logger.warning("No SES sender verified: %s has no mail_sender address", self.contacts_file)
            return
        ses = self.client("ses")
        ses.verify_email_identity(EmailAddress=sender)
        ses.verify_domain_identity(Domain=sender.rsplit("@", 1)[1])

    def restore(self, state: State, source: Path) -> None:
        """Put the saved items back into the tables (tables no longer in the template are skipped).

        Raises:
            StateFileError: an item does not fit its table any more (e.g. the key schema changed).
        """
        from botocore.exceptions import ClientError

        dynamodb = self.client("dynamodb")
        known = {table.name for table in self.tables}
        for name, items in state.tables.items():
            if name not in known:
                logger.warning("State file has items of table %s, which the template no longer has", name)
                continue
            for number, item in enumerate(items, start=1):
                try:
                    dynamodb.put_item(TableName=name, Item=item)
                except ClientError as error:
                    raise StateFileError(
                        f"{source}: item {number} of table {name} cannot be restored "
                        f"({error.response['Error'].get('Message', error)}); delete the file to start fresh"
                    ) from error

    def restore_queues(self, state: State) -> None:
        """Queue again the messages that were waiting when the state was saved."""
        known = {queue.name for queue in self.queues}
        sqs = self.client("sqs")
        for name, bodies in state.queues.items():
            if name not in known:
                logger.warning("State file has messages of queue %s, which the template no longer has", name)
                continue
            for body in bodies:
                sqs.send_message(QueueUrl=QueueDefinition(name).url, MessageBody=body)

    def snapshot_queues(self) -> dict[str, list[str]]:
        """The bodies of every message still on a queue, waiting or in flight (moto's own records)."""
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.sqs.models import sqs_backends

        backend = sqs_backends[DEFAULT_ACCOUNT_ID][REGION]
        snapshot = {}
        for queue in self.queues:
            emulated = backend.queues.get(queue.name)
            bodies = [message.body for message in getattr(emulated, "_messages", [])]
            if bodies:
                snapshot[queue.name] = bodies
        return snapshot

    def snapshot_tables(self) -> dict[str, list[dict[str, Any]]]:
        """Every item of every table, in attribute-value form."""
        dynamodb = self.client("dynamodb")
        paginator = dynamodb.get_paginator("scan")
        return {
            table.name: [item for page in paginator.paginate(TableName=table.name) for item in page["Items"]]
            for table in self.tables
        }
