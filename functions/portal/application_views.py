"""What the API answers about applications: the applicant's view, the review summary, the dashboard.

Labels come from the same definitions the forms are drawn from (the step models' field titles and
the content data's questions), so the review step says exactly what the form asked.
"""

from __future__ import annotations

from typing import Any

from portal.application_questions import Questions
from portal.application_records import Application, CategoryStatus
from portal.application_steps import SAVED_STEPS, STEP_BY_ID, STEPS, TABS, UserInformation
from portal.catalog import Catalog


def next_step(application: Application) -> dict[str, Any] | None:
    """The step the applicant should open next; None once submitted."""
    if application.submitted_at:
        return None
    pending = next((s for s in SAVED_STEPS if s not in application.steps_done), "complete")
    step = STEP_BY_ID[pending]
    return {
        "id": step.id,
        "number": step.number,
        "title": step.title,
        "page": f"{step.page}?application={application.id}",
    }


def category_rows(application: Application, catalog: Catalog) -> list[dict[str, Any]]:
    names = {c.slug: c.name for c in catalog.categories}
    return [
        {
            "slug": c.slug,
            "name": names.get(c.slug, c.slug),
            "status": c.status.value,
            "status_label": c.status.label,
            "note": c.note,
            "decided_at": c.decided_at,
        }
        for c in application.categories
    ]


def review_sections(application: Application, catalog: Catalog, questions: Questions) -> list[dict[str, Any]]:
    """Everything entered, step by step, as label/value rows a person reads."""
    names = {c.slug: c.name for c in catalog.categories}
    info = application.user_information
    fields = UserInformation.model_fields
    sections = [
        {
            "step": "categories",
            "title": "Category Selection",
            "rows": [{"label": "Product categories", "value": ", ".join(names.get(s, s) for s in application.slugs)}],
        }
    ]
    for tab, tab_title in TABS:
        rows = []
        for name, field in fields.items():
            extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
            if extra.get("tab") != tab or (name == "representative_name" and not info.get("referred")):
                continue
            value = info.get(name, "")
            shown = ("Yes" if value else "No") if isinstance(value, bool) else str(value if value != "" else "—")
            rows.append({"label": field.title or name, "value": shown})
        sections.append({"step": "user-information", "title": f"User Information: {tab_title}", "rows": rows})
    for slug in application.slugs:
        answers = application.product_answers.get(slug, {})
        rows = [{"label": q.label, "value": q.shown(answers.get(q.id))} for q in questions.get(slug, ())]
        sections.append(
            {"step": "product-information", "title": f"Product Information: {names.get(slug, slug)}", "rows": rows}
        )
    return sections


def applicant_view(application: Application, catalog: Catalog, questions: Questions) -> dict[str, Any]:
    """An application as its company sees it (no audit trail, no staff-only detail)."""
    return {
        "id": application.id,
        "version": application.version,
        "state": application.state.value,
        "state_label": application.state.label,
        "created_at": application.created_at,
        "updated_at": application.updated_at,
        "submitted_at": application.submitted_at,
        "editable": not application.submitted_at,
        "steps": [
            {"id": s.id, "number": s.number, "title": s.title, "done": s.id in application.steps_done} for s in STEPS
        ],
        "next_step": next_step(application),
        "categories": category_rows(application, catalog),
        "user_information": application.user_information,
        "product_answers": application.product_answers,
        "review": review_sections(application, catalog, questions),
    }


def dashboard(authorized: tuple[str, ...], applications: list[Application], catalog: Catalog) -> dict[str, Any]:
    """MY DASHBOARD: each category in one section, from the company's authorizations and applications.

    Approved means the company holds the category now (whatever an old application says); for the
    others the newest application that names the category decides.
    """
    latest: dict[str, tuple[Application, Any]] = {}
    for application in applications:  # oldest first, so newer ones win
        for state in application.categories:
            latest[state.slug] = (application, state)
    sections: dict[str, list[dict[str, Any]]] = {
        "approved": [],
        "submitted": [],
        "incomplete": [],
        "declined": [],
        "other": [],
    }
    for category in catalog.categories:
        row: dict[str, Any] = {"slug": category.slug, "name": category.name}
        found = latest.get(category.slug)
        if category.slug in authorized:
            sections["approved"].append({**row, "status": "approved", "page": f"/products/{category.slug}/"})
            continue
        if not found or found[1].status == CategoryStatus.APPROVED:  # approved once, since withdrawn
            sections["other"].append(row)
            continue
        application, state = found
        row |= {"status": state.status.value, "status_label": state.status.label, "application_id": application.id}
        if state.status == CategoryStatus.INCOMPLETE:
            row["next_step"] = next_step(application)
        if state.status == CategoryStatus.DECLINED:
            row["reason"] = state.note
        sections[state.status.value].append(row)
    return {
        "sections": sections,
        "applications": [
            {"id": a.id, "state": a.state.value, "created_at": a.created_at, "submitted_at": a.submitted_at}
            for a in applications
        ],
    }


def queue_row(application: Application, company_name: str, catalog: Catalog) -> dict[str, Any]:
    """One line of the staff queue."""
    return {
        "id": application.id,
        "company": company_name,
        "state": application.state.value,
        "created_at": application.created_at,
        "submitted_at": application.submitted_at,
        "version": application.version,
        "categories": category_rows(application, catalog),
    }


def staff_view(
    application: Application,
    company: Any,
    contacts: list[Any],
    audit: list[Any],
    catalog: Catalog,
    questions: Questions,
) -> dict[str, Any]:
    """An application as the channel team sees it: everything entered, the company, and the audit trail.

    Categories and roles come with the names people read, so the page never shows a stored code.
    """
    from portal.accounts import Role

    names = {c.slug: c.name for c in catalog.categories}
    return {
        **applicant_view(application, catalog, questions),
        "company": {
            "id": company.id,
            "name": company.name,
            "authorized": list(company.categories),
            "authorized_categories": [{"slug": s, "name": names.get(s, s)} for s in company.categories],
        },
        "contacts": [{"name": u.display_name, "email": u.email, "phone": u.phone} for u in contacts],
        "audit": [{**entry.as_json(), "actor_role_label": Role.label_of(entry.actor.role)} for entry in audit],
    }
