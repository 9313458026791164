"""Forms rendered from the same pydantic models the API validates with.

A field's label, whether it is required, its length limit and its choices come from the model
(and the catalog for choices), so the page and the server can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jinja2
from portal.catalog import Catalog
from pydantic import BaseModel


@dataclass
class FormField:
    """One input as the template draws it."""

    name: str
    label: str
    kind: str  # text, email, tel, select, textarea, honeypot
    required: bool
    max_length: int | None = None
    min_length: int | None = None
    hint: str | None = None
    autocomplete: str | None = None
    choices: list[tuple[str, str]] = field(default_factory=list)


def _limits(info: Any) -> tuple[int | None, int | None]:
    low = high = None
    for item in info.metadata:
        low = getattr(item, "min_length", None) or low
        high = getattr(item, "max_length", None) or high
    return low, high


def form_fields(model: type[BaseModel], kinds: dict[str, str], choices: dict[str, list[tuple[str, str]]]) -> list:
    """Describe every field of ``model`` for the form template."""
    autocomplete = {"name": "name", "email": "email", "company": "organization", "phone": "tel"}
    fields = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        low, high = _limits(info)
        fields.append(
            FormField(
                name=name,
                label=info.title or name,
                kind="honeypot" if extra.get("honeypot") else kinds.get(name, "text"),
                required=info.is_required(),
                max_length=high,
                min_length=low if low and low > 1 else None,
                hint=info.description,
                autocomplete=autocomplete.get(name),
                choices=choices.get(name, []),
            )
        )
    return fields


def render_help_form(templates: jinja2.Environment, catalog: Catalog) -> str:
    """The Contact Us form's HTML."""
    from portal.help_requests import HelpRequestForm

    fields = form_fields(
        HelpRequestForm,
        kinds={"email": "email", "phone": "tel", "topic": "select", "category": "select", "message": "textarea"},
        choices={
            "topic": [(t.id, t.label) for t in catalog.help_topics],
            "category": [(c.slug, c.name) for c in catalog.categories],
        },
    )
    html = templates.get_template("help_form.html.j2").render(fields=fields, action="/api/help")
    # Markdown must leave the block alone: no blank lines inside, so it stays one raw HTML block.
    return "\n".join(line for line in html.splitlines() if line.strip())
