"""The forms of My Account (content/pages/account/), drawn from the account API's own models.

portal-my-account.js fills the forms that edit a record and portal-forms.js sends every one.
``site_builder.forms`` adds these to ``FORMS``; import that module, not this one.
"""

from __future__ import annotations

from portal.catalog import Catalog

from site_builder.forms import FormSpec


def _titles(catalog: Catalog) -> list[tuple[str, str]]:
    from portal.application_steps import TITLES

    return [(t, t) for t in TITLES]


def _company_choices(catalog: Catalog) -> dict[str, list[tuple[str, str]]]:
    from portal.company_admin import CHOICES

    return {name: [(c, c) for c in options] for name, options in CHOICES.items()}


_PERSON_KINDS = {"title": "select", "phone": "tel"}
_PERSON_AUTOCOMPLETE = {
    "title": "honorific-prefix",
    "first_name": "given-name",
    "last_name": "family-name",
    "phone": "tel",
}
# My Account (content/pages/account/): filled and sent by portal-my-account.js and portal-forms.js.
MY_ACCOUNT_FORMS = [
    FormSpec(
        name="profile",
        action="/api/account/profile",
        method="PATCH",
        submit="Save my profile",
        model="portal.profile:ProfileForm",
        kinds=_PERSON_KINDS,
        autocomplete=_PERSON_AUTOCOMPLETE,
        attributes={"data-keep-values": ""},
        choices=lambda catalog: {"title": _titles(catalog)},
    ),
    FormSpec(
        name="email-change",
        action="/api/account/email",
        submit="Send a confirmation link",
        model="portal.profile:EmailChangeForm",
        kinds={"new_email": "email", "current_password": "password"},
        autocomplete={"new_email": "email", "current_password": "current-password"},
        hints={
            "new_email": "We email this address a link; your email changes when you open it and select CONFIRM.",
            "current_password": "The password you sign in with today.",
        },
    ),
    FormSpec(
        name="confirm-email",
        action="/api/account/email/confirm",
        submit="CONFIRM",
        model="portal.profile:EmailConfirmForm",
        kinds={"user_id": "hidden", "token": "hidden"},
        attributes={"data-success-show": "email-confirmed"},
        # Shown once the page has read the link.
        starts_hidden=True,
    ),
    FormSpec(
        name="company",
        action="/api/account/company",
        method="PATCH",
        submit="Save company information",
        model="portal.company_admin:CompanyForm",
        kinds={
            "company_phone": "tel",
            "website": "url",
            "years_in_business": "number",
            "employees": "number",
            "sales_staff": "number",
            "technical_staff": "number",
            "annual_revenue": "select",
            "customer_segment": "select",
        },
        autocomplete={
            "street": "street-address",
            "city": "address-level2",
            "state": "address-level1",
            "postal_code": "postal-code",
            "country": "country-name",
            "company_phone": "tel",
            "website": "url",
        },
        hints={"website": "Optional. For example www.example.com."},
        attributes={"data-keep-values": ""},
        choices=_company_choices,
        starts_hidden=True,
    ),
    FormSpec(
        name="name-change",
        action="/api/account/company/name-change",
        submit="Send the request to Reseller Support",
        model="portal.company_admin:NameChangeForm",
        kinds={"reason": "textarea"},
        autocomplete={"new_name": "organization"},
    ),
    FormSpec(
        name="add-user",
        action="/api/account/users",
        submit="Save",
        model="portal.user_management:NewUserForm",
        kinds={**_PERSON_KINDS, "email": "email", "role": "select"},
        autocomplete={**_PERSON_AUTOCOMPLETE, "email": "off"},
        hints={"email": "Their username: we email them an invitation to set a password."},
        choices=lambda catalog: {
            "title": _titles(catalog),
            "role": [("account_user", "Account User"), ("reseller_admin", "Reseller Admin")],
        },
        # Shown by ADD RESELLER ACCOUNT USER / ADMIN, which also choose the role.
        starts_hidden=True,
    ),
]
