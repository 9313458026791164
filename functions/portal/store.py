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

    def put_new(
        self, item: dict[str, Any], replace_if: str | None = None, values: dict[str, Any] | None = None
    ) -> None:
        """Write an item that must not exist yet, or (with ``replace_if``) one whose stored item meets it.

        Args:
            replace_if: A condition on the stored item under which it may be replaced
                (e.g. ``expires_at <= :now``: it has expired but TTL has not removed it yet).
            values: The ``:placeholders`` that ``replace_if`` uses.

        Raises:
            ItemExists: an item with the same key is already stored (and does not meet ``replace_if``).
        """
        kwargs: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(pk)"}
        if replace_if:
            kwargs["ConditionExpression"] += f" OR ({replace_if})"
            if values:
                kwargs["ExpressionAttributeValues"] = values
        self._conditional(self.table.put_item, Item=item, **kwargs)

    def update(
        self,
        pk: str,
        sk: str,
        values: dict[str, Any],
        condition: str | None = None,
        condition_values: dict[str, Any] | None = None,
        condition_names: dict[str, str] | None = None,
    ) -> None:
        """Set attributes on an existing item, optionally only when ``condition`` holds.

        Args:
            condition_names: ``#name`` placeholders the condition uses (for reserved words like ``status``).

        Raises:
            ItemExists: the condition did not hold (the item changed meanwhile).
        """
        names = {**(condition_names or {}), **{f"#a{i}": name for i, name in enumerate(values)}}
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

    def put_all_new(self, items: list[dict[str, Any]]) -> None:
        """Write several items that must all be new, all or none (one transaction).

        Raises:
            ItemExists: any of them exists already; nothing was written.
        """
        # The resource's client converts Python values itself (like Table.put_item does).
        actions = [
            {
                "Put": {
                    "TableName": self.table.name,
                    "Item": item,
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
            for item in items
        ]
        try:
            self.table.meta.client.transact_write_items(TransactItems=actions)
        except ClientError as e:
            reasons = [r.get("Code") for r in e.response.get("CancellationReasons", [])]
            if e.response["Error"]["Code"] == "TransactionCanceledException" and "ConditionalCheckFailed" in reasons:
                raise ItemExists("One of the items exists already.") from e
            raise

    def transact(self, actions: list[dict[str, Any]]) -> None:
        """Apply several writes all or none (one DynamoDB transaction, at most 100 actions).

        Build the actions with ``put_new_action``, ``update_action`` and ``delete_action``.

        Raises:
            ItemExists: a condition of any action did not hold; nothing was written.
        """
        try:
            self.table.meta.client.transact_write_items(TransactItems=actions)
        except ClientError as e:
            reasons = [r.get("Code") for r in e.response.get("CancellationReasons", [])]
            if e.response["Error"]["Code"] == "TransactionCanceledException" and "ConditionalCheckFailed" in reasons:
                raise ItemExists("The items changed meanwhile; nothing was written.") from e
            raise

    def put_new_action(self, item: dict[str, Any]) -> dict[str, Any]:
        """A ``transact`` action writing an item that must not exist yet."""
        return {"Put": {"TableName": self.table.name, "Item": item, "ConditionExpression": "attribute_not_exists(pk)"}}

    def update_action(
        self,
        pk: str,
        sk: str,
        values: dict[str, Any],
        condition: str | None = None,
        condition_values: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A ``transact`` action setting attributes of an existing item (like ``update``)."""
        names = {f"#a{i}": name for i, name in enumerate(values)}
        expr_values = {f":v{i}": value for i, value in enumerate(values.values())}
        assignments = ", ".join(f"#a{i} = :v{i}" for i in range(len(values)))
        return {
            "Update": {
                "TableName": self.table.name,
                "Key": {"pk": pk, "sk": sk},
                "UpdateExpression": f"SET {assignments}",
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": {**expr_values, **(condition_values or {})},
                "ConditionExpression": "attribute_exists(pk)" + (f" AND ({condition})" if condition else ""),
            }
        }

    def delete_action(
        self, pk: str, sk: str, condition: str | None = None, values: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """A ``transact`` action deleting an item; with ``condition``, only if it holds."""
        action: dict[str, Any] = {"TableName": self.table.name, "Key": {"pk": pk, "sk": sk}}
        if condition:
            action["ConditionExpression"] = condition
            if values:
                action["ExpressionAttributeValues"] = values
        return {"Delete": action}

    def query_page(
        self, pk: str, sk_prefix: str, limit: int, newest_first: bool = True, after: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of a partition's items whose sort key starts with ``sk_prefix``.

        Args:
            after: The sort key of the last item of the previous page (``None`` for the first).

        Returns:
            The items, and the sort key to pass as ``after`` for the next page (``None`` at the end).
        """
        from boto3.dynamodb.conditions import Key

        kwargs: dict[str, Any] = {
            "KeyConditionExpression": Key("pk").eq(pk) & Key("sk").begins_with(sk_prefix),
            "ConsistentRead": True,
            "ScanIndexForward": not newest_first,
            "Limit": limit,
        }
        if after is not None:
            kwargs["ExclusiveStartKey"] = {"pk": pk, "sk": after}
        page = self.table.query(**kwargs)
        last = page.get("LastEvaluatedKey")
        return page.get("Items", []), (last["sk"] if last else None)

    def put(self, item: dict[str, Any]) -> None:
        """Write an item, replacing any item with the same key."""
        self.table.put_item(Item=item)

    def delete(self, pk: str, sk: str, condition: str | None = None, values: dict[str, Any] | None = None) -> None:
        """Delete an item; with ``condition``, only if it holds.

        Raises:
            ItemExists: the condition did not hold (someone else changed or removed the item first).
        """
        kwargs: dict[str, Any] = {"Key": {"pk": pk, "sk": sk}}
        if condition:
            kwargs["ConditionExpression"] = condition
            if values:
                kwargs["ExpressionAttributeValues"] = values
        self._conditional(self.table.delete_item, **kwargs)

    def query(self, pk: str, sk_prefix: str = "", sk_from: str | None = None, count_only: bool = False) -> Any:
        """Items of one partition whose sort key starts with ``sk_prefix`` (or is >= ``sk_from``).

        Returns the list of items, or their number when ``count_only``.
        """
        from boto3.dynamodb.conditions import Key

        condition = Key("pk").eq(pk)
        if sk_from is not None:
            condition = condition & Key("sk").gte(sk_from)
        elif sk_prefix:
            condition = condition & Key("sk").begins_with(sk_prefix)
        kwargs: dict[str, Any] = {"KeyConditionExpression": condition, "ConsistentRead": True}
        if count_only:
            kwargs["Select"] = "COUNT"
        items: list[dict[str, Any]] = []
        total = 0
        while True:
            page = self.table.query(**kwargs)
            total += page.get("Count", 0)
            items += page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return total if count_only else items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def query_index(self, index: str, pk_attribute: str, value: str) -> list[dict[str, Any]]:
        """Every item of a global secondary index partition."""
        from boto3.dynamodb.conditions import Key

        kwargs: dict[str, Any] = {"IndexName": index, "KeyConditionExpression": Key(pk_attribute).eq(value)}
        items: list[dict[str, Any]] = []
        while True:
            page = self.table.query(**kwargs)
            items += page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

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
