"""DynamoDB access for the portal's single table (``pk``/``sk`` keys, ``expires_at`` TTL).

Botocore ``ClientError`` codes become domain errors here, so callers never look at them.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from portal.errors import Conflict


class ItemExists(Conflict):
    """A conditional write found the item already there (or not in the expected state)."""


class Store:
    """A thin wrapper over one DynamoDB table resource."""

    def __init__(self, table: Any):
        self.table = table

    def get(self, pk: str, sk: str, consistent: bool = True) -> dict[str, Any] | None:
        response = self.table.get_item(Key={"pk": pk, "sk": sk}, ConsistentRead=consistent)
        return response.get("Item")

    def put_new(self, item: dict[str, Any]) -> None:
        """Write an item that must not exist yet.

        Raises:
            ItemExists: an item with the same key is already stored.
        """
        self._conditional(
            self.table.put_item,
            Item=item,
            ConditionExpression="attribute_not_exists(pk)",
        )

    def update(
        self,
        pk: str,
        sk: str,
        values: dict[str, Any],
        condition: str | None = None,
        condition_values: dict[str, Any] | None = None,
    ) -> None:
        """Set attributes on an existing item, optionally only when ``condition`` holds.

        Raises:
            ItemExists: the condition did not hold (the item changed meanwhile).
        """
        names = {f"#a{i}": name for i, name in enumerate(values)}
        expr_values = {f":v{i}": value for i, value in enumerate(values.values())}
        assignments = ", ".join(f"#a{i} = :v{i}" for i in range(len(values)))
        kwargs: dict[str, Any] = {
            "Key": {"pk": pk, "sk": sk},
            "UpdateExpression": f"SET {assignments}",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": {**expr_values, **(condition_values or {})},
        }
        kwargs["ConditionExpression"] = "attribute_exists(pk)" + (f" AND ({condition})" if condition else "")
        self._conditional(self.table.update_item, **kwargs)

    @staticmethod
    def _conditional(call: Any, **kwargs: Any) -> None:
        try:
            call(**kwargs)
        except ClientError as e:
            if e.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise ItemExists("The item was changed by another request.") from e
            raise


def portal_store() -> Store:
    """The store for this process's configured table."""
    import boto3

    from portal.settings import settings

    return Store(boto3.resource("dynamodb").Table(settings().table_name))
