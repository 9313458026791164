"""The store's conditional writes (really rejected by the emulator) and safe mail headers."""

from __future__ import annotations

import pytest


def test_a_conditional_put_really_rejects_an_existing_item(aws):
    from portal.store import ItemExists, Store

    store = Store(aws["table"])
    store.put_new({"pk": "HELP#1", "sk": "REQUEST", "message": "first"})
    with pytest.raises(ItemExists):
        store.put_new({"pk": "HELP#1", "sk": "REQUEST", "message": "second"})
    assert store.get("HELP#1", "REQUEST")["message"] == "first"


def test_a_conditional_update_rejects_when_the_condition_fails(aws):
    from portal.store import ItemExists, Store

    store = Store(aws["table"])
    store.put_new({"pk": "X", "sk": "Y", "version": 2})
    with pytest.raises(ItemExists):
        store.update("X", "Y", {"version": 3}, condition="version = :v", condition_values={":v": 1})
    with pytest.raises(ItemExists):
        store.update("missing", "Y", {"version": 1})
    assert store.get("X", "Y")["version"] == 2


@pytest.mark.parametrize(
    "value",
    ["Hello\r\nBcc: victim@example.net", "Hello\nBcc: victim@example.net", "Hello\rBcc: x", "Hi\u2028Bcc: x", "A\x00B"],
    ids=["crlf", "lf", "cr", "line-separator", "nul"],
)
def test_no_control_character_reaches_an_email_header(value):
    from portal.mail import Mailer, OutgoingEmail

    message = Mailer(client=None, sender="portal-noreply@example.com").build(
        OutgoingEmail(to="jane@example.org", subject=value, body="Body", reply_to="jane@example.org", to_name=value)
    )
    raw = message.as_string()
    headers = raw.split("\n\n", 1)[0]
    assert "Bcc:" not in [line.split(" ", 1)[0] for line in headers.splitlines()]
    assert all(ord(ch) >= 32 for ch in str(message["Subject"]))
    assert message["Bcc"] is None
