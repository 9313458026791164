"""The steps of the reseller application and the forms each one sends.

One definition per form: the step pages are drawn from these models (``site_builder/applications``)
and the API validates with them, so a label, a limit or a choice is written once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator

from portal.catalog import Catalog
from portal.errors import FieldProblem, InvalidFields
from portal.fields import PHONE_PATTERN, DeliverableEmail, MultiLine, OneLine, WebAddress, number_between


@dataclass(frozen=True)
class Step:
    """One step of the application, as the progress indicator shows it."""

    id: str
    number: int
    title: str
    page: str  # the step page's path on the site


STEPS = (
    Step("categories", 1, "Category Selection", "/apply/categories/"),
    Step("user-information", 2, "User Information", "/apply/user-information/"),
    Step("product-information", 3, "Product Information", "/apply/product-information/"),
    Step("complete", 4, "Complete", "/apply/review/"),
)
SAVED_STEPS = tuple(s.id for s in STEPS[:3])  # step 4 submits rather than saves
STEP_BY_ID = {s.id: s for s in STEPS}

TABS = (("you", "You"), ("company", "Company"), ("people", "People"), ("sales", "Sales"))
TITLES = ("Mr.", "Ms.", "Mrs.", "Mx.", "Dr.")
REVENUE_BANDS = ("Under $1 million", "$1-5 million", "$5-25 million", "$25-100 million", "Over $100 million")
CUSTOMER_SEGMENTS = (
    "Corporate",
    "Education",
    "Government",
    "Healthcare",
    "Retail and hospitality",
    "Small business",
    "Other",
)
MAX_CATEGORIES = 15


def _one_of(choices: tuple[str, ...]) -> Callable[[str], str]:
    def check(value: str) -> str:
        if not value:
            raise ValueError("is required: choose one of the listed choices")
        if value not in choices:
            raise ValueError("must be one of the listed choices")
        return value

    return check


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"yes", "no", "true", "false"}:
        return value.strip().lower() in {"yes", "true"}
    raise ValueError("is required: choose Yes or No")


def _category_list(value: Any) -> list[str]:
    """A list of category slugs, each once, in the order given (whether they exist is checked later)."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("must be a list of product categories")
    chosen = list(dict.fromkeys(v.strip() for v in value if v.strip()))
    if not chosen:
        raise ValueError("is required: choose at least one product category")
    if len(chosen) > MAX_CATEGORIES or any(len(v) > 60 for v in chosen):
        raise ValueError(f"must be at most {MAX_CATEGORIES} of the listed categories")
    return chosen


def _answer_shape(value: Any) -> Any:
    """``{category: {question id: answer}}`` of a sane size; the answers themselves are checked later."""
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise ValueError("must list the answers of each product category")
    if len(value) > MAX_CATEGORIES or any(len(v) > 200 for v in value.values()):
        raise ValueError("has more entries than the application has questions")
    return value


def _tab(name: str, **extra: Any) -> dict[str, Any]:
    return {"tab": name, **extra}


Count = Annotated[int, number_between(0, 1_000_000)]
CategoryList = Annotated[list[str], BeforeValidator(_category_list)]
YesNo = Annotated[bool, BeforeValidator(_yes_no)]
Phone = Annotated[OneLine, Field(min_length=1, max_length=25, pattern=PHONE_PATTERN)]


class UserInformation(BaseModel):
    """Step 2: the tabs You, Company, People and Sales."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: Annotated[
        OneLine,
        Field(title="Title", max_length=10, json_schema_extra=_tab("you", choices=TITLES)),
        AfterValidator(_one_of(TITLES)),
    ]
    first_name: Annotated[
        OneLine, Field(title="First name", min_length=1, max_length=80, json_schema_extra=_tab("you"))
    ]
    last_name: Annotated[OneLine, Field(title="Last name", min_length=1, max_length=80, json_schema_extra=_tab("you"))]
    phone: Annotated[Phone, Field(title="Phone", json_schema_extra=_tab("you"))]
    company_name: Annotated[
        OneLine, Field(title="Company name", min_length=1, max_length=150, json_schema_extra=_tab("company"))
    ]
    street: Annotated[
        OneLine, Field(title="Street address", min_length=1, max_length=150, json_schema_extra=_tab("company"))
    ]
    city: Annotated[OneLine, Field(title="City", min_length=1, max_length=80, json_schema_extra=_tab("company"))]
    state: Annotated[
        OneLine, Field(title="State or province", min_length=1, max_length=80, json_schema_extra=_tab("company"))
    ]
    postal_code: Annotated[
        OneLine, Field(title="Postal code", min_length=1, max_length=20, json_schema_extra=_tab("company"))
    ]
    country: Annotated[OneLine, Field(title="Country", min_length=1, max_length=80, json_schema_extra=_tab("company"))]
    company_phone: Annotated[Phone, Field(title="Company phone", json_schema_extra=_tab("company"))]
    website: Annotated[WebAddress, Field(title="Website", max_length=200, json_schema_extra=_tab("company"))] = ""
    years_in_business: Annotated[
        Annotated[int, number_between(0, 500)],
        Field(title="Years in business", json_schema_extra=_tab("people", kind="number", min=0, max=500)),
    ]
    employees: Annotated[
        Annotated[int, number_between(1, 1_000_000)],
        Field(title="Number of employees", json_schema_extra=_tab("people", kind="number", min=1, max=1_000_000)),
    ]
    sales_staff: Annotated[
        Count, Field(title="Sales staff", json_schema_extra=_tab("people", kind="number", min=0, max=1_000_000))
    ]
    technical_staff: Annotated[
        Count,
        Field(
            title="Technical and service staff", json_schema_extra=_tab("people", kind="number", min=0, max=1_000_000)
        ),
    ]
    annual_revenue: Annotated[
        OneLine,
        Field(title="Annual revenue", max_length=40, json_schema_extra=_tab("sales", choices=REVENUE_BANDS)),
        AfterValidator(_one_of(REVENUE_BANDS)),
    ]
    customer_segment: Annotated[
        OneLine,
        Field(title="Main customer segment", max_length=40, json_schema_extra=_tab("sales", choices=CUSTOMER_SEGMENTS)),
        AfterValidator(_one_of(CUSTOMER_SEGMENTS)),
    ]
    referred: Annotated[
        YesNo, Field(title="Did a sales representative refer you?", json_schema_extra=_tab("sales", kind="yes-no"))
    ]
    representative_name: Annotated[
        OneLine,
        Field(
            title="Sales representative's name", max_length=100, validate_default=True, json_schema_extra=_tab("sales")
        ),
    ] = ""

    @field_validator("sales_staff", "technical_staff")
    @classmethod
    def _within_the_staff(cls, value: int, info: ValidationInfo) -> int:
        employees = info.data.get("employees")
        if employees is not None and value > employees:
            raise ValueError("cannot be more than the number of employees")
        return value

    @field_validator("representative_name")
    @classmethod
    def _named_when_referred(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("referred") and not value:
            raise ValueError("is required when a sales representative referred you")
        return value if info.data.get("referred") else ""


class Versioned(BaseModel):
    """Every save names the version of the application it was made from (stale copies are refused)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    version: Annotated[int, Field(title="Version", ge=1, le=1_000_000_000)]


class NewResellerApplication(UserInformation):
    """The first save of a new company: step 1's categories, the login email and step 2."""

    categories: Annotated[CategoryList, Field(title="Product categories")]
    email: Annotated[DeliverableEmail, Field(title="Email", max_length=254, json_schema_extra={"tab": "login"})]


class CategorySelection(BaseModel):
    """Step 1 of a company that is already in the portal (a new application for more categories)."""

    model_config = ConfigDict(extra="forbid")

    categories: Annotated[CategoryList, Field(title="Product categories")]


class CategoriesSave(Versioned):
    """Step 1 saved again."""

    categories: Annotated[CategoryList, Field(title="Product categories")]


class UserInformationSave(UserInformation, Versioned):
    """Step 2 saved by a signed-in applicant."""


class ProductInformationSave(Versioned):
    """Step 3: ``answers[category][question id]``; checked against the content data's questions."""

    answers: Annotated[dict[str, dict[str, Any]], BeforeValidator(_answer_shape), Field(title="Answers")]


class SubmitApplication(Versioned):
    """Step 4: accept the program guidelines and submit."""

    accept_guidelines: Annotated[bool, Field(title="Program guidelines")]

    @field_validator("accept_guidelines")
    @classmethod
    def _accepted(cls, value: bool) -> bool:
        if value is not True:
            raise ValueError("must be accepted before you submit: tick the box")
        return value


class Decision(Versioned):
    """The channel team's decision on one category of an application."""

    category: Annotated[OneLine, Field(title="Product category", min_length=1, max_length=60)]
    decision: Annotated[str, Field(title="Decision", max_length=10), AfterValidator(_one_of(("approve", "decline")))]
    note: Annotated[MultiLine, Field(title="Note to the applicant", max_length=2000, validate_default=True)] = ""

    @field_validator("note")
    @classmethod
    def _reason_for_declining(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("decision") == "decline" and not value:
            raise ValueError("is required when you decline: tell the applicant why")
        return value


FORMS = (NewResellerApplication, CategorySelection, CategoriesSave, UserInformationSave)
FORMS += (ProductInformationSave, SubmitApplication, Decision)


def check_known(catalog: Catalog, categories: list[str] | tuple[str, ...]) -> None:
    """Refuse a category that is not in ``content/data/categories.yml``.

    Raises:
        InvalidFields: on the field ``categories``.
    """
    unknown = [s for s in categories if not catalog.category(s)]
    if unknown:
        message = f'"{unknown[0][:60]}" is not one of the product categories; choose from the list.'
        raise InvalidFields([FieldProblem("categories", message)])
