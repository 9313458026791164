"""The ``/_outbox/`` page and ``/_outbox.json``: the sent emails, readable and clickable."""

from __future__ import annotations

import json
import re
from html import escape
from urllib.parse import quote

from infra.local.outbox import SentEmail

HEADING = "Outbox — emails the portal has sent"

# An envelope, inline: without an icon the browser asks for /favicon.ico, which the site has not.
_ICON = "data:image/svg+xml," + quote(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
    '<rect x="1" y="3" width="14" height="10" rx="1.5" fill="#1a3fb0"/>'
    '<path d="M2 4.5l6 4.5 6-4.5" fill="none" stroke="#fff" stroke-width="1.5"/></svg>'
)

# Matched on escaped text, so "&amp;" inside a URL stays part of it and "<" can never appear.
_URL = re.compile(r"https?://[^\s<>\"']+")
_TRAILING_PUNCTUATION = ".,;:!?)]'"

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem;
       color: #1a1a1a; line-height: 1.5; }
article { border-top: 1px solid #888; padding: 1rem 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 1rem; margin: 0 0 1rem; }
dt { font-weight: bold; }
dd { margin: 0; }
pre { white-space: pre-wrap; word-break: break-word; background: #f4f4f4; padding: 1rem; }
a { color: #1a3fb0; }
"""


def message_anchor(message: SentEmail) -> str:
    """The fragment id of one message on the page (``#message-<id>``)."""
    return "message-" + re.sub(r"[^A-Za-z0-9_-]", "-", message.id)


def linkify(text: str) -> str:
    """``text`` escaped for HTML, with every http(s) URL turned into a link."""
    escaped = escape(text, quote=True)

    def link(found: re.Match[str]) -> str:
        url = found.group(0)
        trailing = ""
        while url and url[-1] in _TRAILING_PUNCTUATION:
            url, trailing = url[:-1], url[-1] + trailing
        return f'<a href="{url}">{url}</a>{trailing}'

    return _URL.sub(link, escaped)


def render_outbox_html(messages: list[SentEmail]) -> str:
    """The outbox page: one article per email, newest first."""
    if messages:
        items = "\n".join(_render_message(message) for message in messages)
        summary = f"<p>{len(messages)} email{'s' if len(messages) != 1 else ''}, newest first.</p>"
        listing = f'<ol class="messages" reversed>\n{items}\n</ol>'
    else:
        summary = "<p>No emails have been sent yet.</p>"
        listing = ""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Outbox · local portal</title>
<link rel="icon" href="{_ICON}">
<style>{_STYLE}</style>
</head>
<body>
<main>
<h1>{escape(HEADING)}</h1>
<p>Only the local server has this page: nothing here was really delivered.
<a href="/">Back to the portal</a> · <a href="/_outbox.json">JSON</a></p>
{summary}
{listing}
</main>
</body>
</html>
"""


def _render_message(message: SentEmail) -> str:
    """One email: subject as a heading, the headers as a description list, then the text."""
    anchor = message_anchor(message)
    rows = [("From", message.sender), ("To", message.to), ("Reply-To", message.reply_to), ("Date", message.date)]
    fields = "\n".join(f"<dt>{name}</dt><dd>{escape(value)}</dd>" for name, value in rows if value)
    subject = escape(message.subject) or "(no subject)"
    return f"""<li>
<article id="{anchor}" aria-labelledby="{anchor}-subject">
<h2 id="{anchor}-subject"><a href="#{anchor}">{subject}</a></h2>
<dl>
{fields}
</dl>
<pre>{linkify(message.text)}</pre>
</article>
</li>"""


def render_outbox_json(messages: list[SentEmail]) -> str:
    """The outbox as a JSON list, newest first."""
    return json.dumps([message.as_json() for message in messages], indent=1, ensure_ascii=False)
