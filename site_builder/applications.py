"""The reseller application's pages: the progress indicator and the step forms, drawn from the definitions.

Markers, each on its own line in a page under ``content/pages/apply/``:

* ``<!-- portal:application-steps current=N -->``: the four steps, step N marked ``aria-current``.
* ``<!-- portal:application-form STEP -->``: the form of ``categories``, ``user-information``,
  ``product-information`` or ``review``.

Step 2 is drawn from ``portal.application_steps.UserInformation`` (labels, limits, choices, tabs)
and step 3 from the content data's questions, the same definitions the API validates with.
``assets/javascripts/portal-application.js`` loads, saves and submits the forms.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
from portal.application_questions import Questions, load_application_questions
from portal.application_steps import CUSTOMER_SEGMENTS, REVENUE_BANDS, STEPS, TABS, TITLES, UserInformation
from portal.catalog import Catalog

from site_builder.forms import FormSpec, spec_fields

STEPS_MARKER = re.compile(r"<!-- portal:application-steps current=([1-4]) -->")
FORM_MARKER = re.compile(r"<!-- portal:application-form ([a-z-]+) -->")
STEP_FORMS = ("categories", "user-information", "product-information", "review")

USER_INFORMATION = FormSpec(
    name="application-user-information",
    action="",
    submit="SAVE AND CONTINUE",
    model="portal.application_steps:UserInformation",
    kinds={
        "title": "select",
        "phone": "tel",
        "company_phone": "tel",
        "website": "url",
        "annual_revenue": "select",
        "customer_segment": "select",
    },
    autocomplete={
        "title": "honorific-prefix",
        "first_name": "given-name",
        "last_name": "family-name",
        "phone": "tel",
        "company_name": "organization",
        "street": "street-address",
        "city": "address-level2",
        "state": "address-level1",
        "postal_code": "postal-code",
        "country": "country-name",
        "website": "url",
    },
    hints={
        "phone": "Your direct line, e.g. +1-555-010-0100.",
        "website": "Optional. For example www.example.com.",
        "company_name": "The company's legal name. It cannot be changed here after the first save.",
        "representative_name": "Who referred you.",
    },
    choices=lambda catalog: {
        "title": [(t, t) for t in TITLES],
        "annual_revenue": [(r, r) for r in REVENUE_BANDS],
        "customer_segment": [(s, s) for s in CUSTOMER_SEGMENTS],
    },
)


def load_questions(content_dir: Path, catalog: Catalog) -> Questions:
    """The step-3 questions, checked (a ContentError names the file, the entry and the field)."""
    return load_application_questions(content_dir, catalog)


def user_information_tabs(catalog: Catalog) -> list[dict[str, Any]]:
    """Step 2's fields grouped into the tabs You, Company, People and Sales."""
    fields = spec_fields(USER_INFORMATION, catalog)
    tabs = []
    for tab, title in TABS:
        members = []
        for f in fields:
            extra = UserInformation.model_fields[f.name].json_schema_extra
            extra = extra if isinstance(extra, dict) else {}
            if extra.get("tab") != tab:
                continue
            members.append(
                {"field": f, "kind": extra.get("kind", f.kind), "min": extra.get("min"), "max": extra.get("max")}
            )
        tabs.append({"id": tab, "title": title, "fields": members})
    return tabs


class ApplicationPages:
    """Renders the application markers of a page."""

    def __init__(self, templates: jinja2.Environment, catalog: Catalog, questions: Questions):
        self.templates = templates
        self.catalog = catalog
        self.questions = questions

    def render(self, markdown: str) -> str:
        """Replace every application marker in ``markdown``.

        Raises:
            KeyError: a form marker names an unknown step (the message lists the known ones).
        """
        if "portal:application-" not in markdown:
            return markdown
        markdown = STEPS_MARKER.sub(
            lambda m: self._html("application_steps.html.j2", current=int(m.group(1))), markdown
        )
        return FORM_MARKER.sub(lambda m: self._form(m.group(1)), markdown)

    def _form(self, step: str) -> str:
        if step not in STEP_FORMS:
            raise KeyError(f'there is no application form "{step}"; known: {", ".join(STEP_FORMS)}')
        return self._html(
            "application_form.html.j2",
            step=step,
            categories=self.catalog.categories,
            tabs=user_information_tabs(self.catalog) if step == "user-information" else [],
            questions=self.questions,
        )

    def _html(self, template: str, **context: Any) -> str:
        html = self.templates.get_template(template).render(steps=STEPS, **context)
        # No blank lines inside, so Markdown leaves the block alone as one raw HTML block.
        return "\n".join(line for line in html.splitlines() if line.strip())
