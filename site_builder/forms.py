"""Forms rendered from the same pydantic models the API validates with.

A field's label, whether it is required, its length limit and its choices come from the model
(and the catalog for choices), so the page and the server can never disagree. Every form of the
portal is listed in ``FORMS``; a page places one with ``<!-- portal:form NAME -->`` on its own line,
and ``assets/javascripts/portal-forms.js`` sends it as JSON, driven by the ``data-*`` attributes
listed in ``FormSpec.attributes``.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jinja2
from portal.catalog import Catalog
from pydantic import BaseModel

FORM_MARKER = re.compile(r"<!-- portal:form ([a-z0-9-]+) -->")
# The Contact Us page's older marker, kept working.
HELP_FORM_MARKER = "<!-- portal:help-form -->"


@dataclass
class FormField:
    """One input as the template draws it."""

    name: str
    label: str
    kind: str  # text, email, tel, password, select, textarea, hidden, honeypot
    required: bool
    max_length: int | None = None
    min_length: int | None = None
    hint: str | None = None
    autocomplete: str | None = None
    choices: list[tuple[str, str]] = field(default_factory=list)
    # Drawn hidden and disabled; the page's script shows it when it applies (then it is required).
    optional_until_shown: bool = False


@dataclass(frozen=True)
class FormSpec:
    """One form: the model it is drawn from and how the page sends it.

    ``attributes`` become ``data-*`` attributes of the ``<form>`` that portal-forms.js reads:
    ``data-success-redirect`` (go there after success), ``data-next-param`` (prefer the safe
    same-site path in that query parameter), ``data-success-flash`` (show the API's message on the
    next page), ``data-success-show`` (reveal the element with that id and hide the form) and
    ``data-prefill`` (fields filled from same-named query parameters).
    """

    name: str
    action: str
    submit: str
    model: str | None = None  # "module:Class", imported at build time from functions/
    method: str = "POST"
    kinds: dict[str, str] = field(default_factory=dict)
    autocomplete: dict[str, str] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)
    order: tuple[str, ...] = ()
    optional_until_shown: frozenset[str] = frozenset()
    attributes: dict[str, str] = field(default_factory=dict)
    starts_hidden: bool = False
    reveal_passwords: bool = False
    choices: Callable[[Catalog], dict[str, list[tuple[str, str]]]] = lambda catalog: {}

    def shows_note(self, fields: list[FormField]) -> bool:
        """Whether the "fields marked * are required" note applies (some visible field is required)."""
        return any(f.required and f.kind not in {"hidden", "honeypot"} for f in fields)


PASSWORD_RULES = (
    "15 to 128 characters. Any characters are fine, spaces too: a few unrelated words make a good "
    "password. Common or easily guessed passwords are refused."
)


# Late, because those forms are FormSpecs too: this module is fully defined above this line.
from site_builder.account_forms import MY_ACCOUNT_FORMS  # noqa: E402

FORMS: dict[str, FormSpec] = {
    spec.name: spec
    for spec in [
        FormSpec(
            name="help",
            action="/api/help",
            submit="Send to Reseller Support",
            model="portal.help_requests:HelpRequestForm",
            kinds={"email": "email", "phone": "tel", "topic": "select", "category": "select", "message": "textarea"},
            autocomplete={"name": "name", "email": "email", "company": "organization", "phone": "tel"},
            choices=lambda catalog: {
                "topic": [(t.id, t.label) for t in catalog.help_topics],
                "category": [(c.slug, c.name) for c in catalog.categories],
            },
        ),
        FormSpec(
            name="sign-in",
            action="/api/session",
            submit="Sign in",
            model="auth.app:SignInForm",
            kinds={"email": "email", "password": "password"},
            autocomplete={"email": "username", "password": "current-password"},
            attributes={"data-success-redirect": "/", "data-next-param": "next"},
        ),
        FormSpec(
            name="forgot-password",
            action="/api/password-reset",
            submit="Email me a link",
            model="password_reset.app:ResetRequestForm",
            kinds={"email": "email"},
            autocomplete={"email": "username"},
            hints={"email": "The address you sign in with."},
            attributes={"data-prefill": "email"},
        ),
        FormSpec(
            name="one-time-login",
            action="/api/one-time-login",
            submit="LOG IN",
            model="password_reset.app:OneTimeLinkForm",
            kinds={"user_id": "hidden", "token": "hidden"},
            attributes={"data-success-redirect": "/account/set-password/"},
            # Shown once the page has checked the link.
            starts_hidden=True,
        ),
        FormSpec(
            name="set-password",
            action="/api/password",
            method="PUT",
            submit="Save new password",
            model="auth.app:NewPasswordForm",
            order=("current_password", "new_password"),
            kinds={"current_password": "password", "new_password": "password"},
            autocomplete={"current_password": "current-password", "new_password": "new-password"},
            hints={"new_password": PASSWORD_RULES, "current_password": "The password you sign in with today."},
            optional_until_shown=frozenset({"current_password"}),
            # My Profile links here with ?next=/account/profile/ (only same-site paths are followed).
            attributes={"data-success-redirect": "/", "data-success-flash": "", "data-next-param": "next"},
            reveal_passwords=True,
            # Shown once the page knows which kind of session this is.
            starts_hidden=True,
        ),
        FormSpec(
            name="sign-out",
            action="/api/session",
            method="DELETE",
            submit="Sign out",
            attributes={"data-success-show": "signed-out"},
        ),
        *MY_ACCOUNT_FORMS,
    ]
}


def _limits(info: Any) -> tuple[int | None, int | None]:
    low = high = None
    for item in info.metadata:
        low = getattr(item, "min_length", None) or low
        high = getattr(item, "max_length", None) or high
    return low, high


def _model(path: str) -> type[BaseModel]:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def spec_fields(spec: FormSpec, catalog: Catalog) -> list[FormField]:
    """Describe every field of the spec's model for the form template, in the spec's order."""
    if spec.model is None:
        return []
    model = _model(spec.model)
    names = [*spec.order, *(n for n in model.model_fields if n not in spec.order)]
    choices = spec.choices(catalog)
    fields = []
    for name in names:
        info = model.model_fields[name]
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        low, high = _limits(info)
        fields.append(
            FormField(
                name=name,
                label=info.title or name,
                kind="honeypot" if extra.get("honeypot") else spec.kinds.get(name, "text"),
                required=info.is_required(),
                max_length=high,
                min_length=low if low and low > 1 else None,
                hint=spec.hints.get(name, info.description),
                autocomplete=spec.autocomplete.get(name),
                choices=choices.get(name, []),
                optional_until_shown=name in spec.optional_until_shown,
            )
        )
    return fields


def render_form(templates: jinja2.Environment, catalog: Catalog, name: str) -> str:
    """The HTML of the form called ``name`` in ``FORMS``.

    Raises:
        KeyError: no form has that name.
    """
    spec = FORMS[name]
    html = templates.get_template("form.html.j2").render(form=spec, fields=spec_fields(spec, catalog))
    # Markdown must leave the block alone: no blank lines inside, so it stays one raw HTML block.
    return "\n".join(line for line in html.splitlines() if line.strip())


def render_help_form(templates: jinja2.Environment, catalog: Catalog) -> str:
    """The Contact Us form's HTML."""
    return render_form(templates, catalog, "help")


def place_forms(markdown: str, templates: jinja2.Environment, catalog: Catalog) -> str:
    """Replace every form marker in a page with its form.

    Raises:
        KeyError: a marker names a form that does not exist (the message lists the known ones).
    """
    markdown = markdown.replace(HELP_FORM_MARKER, "<!-- portal:form help -->")

    def form(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in FORMS:
            raise KeyError(f'there is no form "{name}"; known forms: {", ".join(sorted(FORMS))}')
        return render_form(templates, catalog, name)

    return FORM_MARKER.sub(form, markdown)
