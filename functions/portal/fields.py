"""Field types shared by the portal's forms, and the wording of their errors.

Each form is one pydantic model: the site builder renders the form from it and the API validates
with it, so a limit or a label is written once.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator
from pydantic_core import PydanticCustomError

from portal.errors import FieldProblem

_LINE_BREAKS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\u0085\u2028\u2029]")
# Text-direction overrides make "gpj.exe" look like "exe.jpg" in an email or a table.
_DIRECTION_OVERRIDES = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def _one_line(value: str) -> str:
    if _LINE_BREAKS.search(value):
        raise ValueError("must be on a single line, without line breaks or control characters")
    if _DIRECTION_OVERRIDES.search(value):
        raise ValueError("contains invisible text-direction characters; retype it without them")
    return value


def _no_control_chars(value: str) -> str:
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", value):
        raise ValueError("contains control characters; remove them and try again")
    if _DIRECTION_OVERRIDES.search(value):
        raise ValueError("contains invisible text-direction characters; retype it without them")
    return value


MAX_EMAIL_LENGTH = 254  # the longest address mail can carry (RFC 5321 path limit less the brackets)


_FORM_OF_ADDRESS = "use the form name@company.com"
# What may stand before the @-sign unquoted (RFC 5322 "atext" and the period); quoting is refused.
_MAILBOX_CHARACTER = re.compile(r"[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]")


def _is_address(value: str) -> bool:
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        return False
    return True


def _character_name(character: str) -> str:
    """'Ü' in quotes, or "a space", or "U+000A" for a character that cannot be seen."""
    if character == " ":
        return "a space"
    # Single quotes: the apostrophe may stand in an address, so it is never among the refused.
    return f"'{character}'" if character.isprintable() else f"U+{ord(character):04X}"


def _email_problem(value: str) -> str:
    """What is wrong with an address that was refused, in the portal's words (after the field's label)."""
    if _LINE_BREAKS.search(value):
        return "must be on a single line, without line breaks or control characters"
    count = value.count("@")
    if count == 0:
        return f"needs an @-sign: {_FORM_OF_ADDRESS}"
    if count > 1:
        return f"has more than one @-sign: {_FORM_OF_ADDRESS}"
    mailbox, _, domain = value.partition("@")
    if not mailbox:
        return f"needs the name before the @-sign: {_FORM_OF_ADDRESS}"
    if not domain:
        return f"needs the company's domain after the @-sign: {_FORM_OF_ADDRESS}"
    refused = sorted({c for c in mailbox if not _MAILBOX_CHARACTER.fullmatch(c)})
    if refused:
        named = ", ".join(_character_name(c) for c in refused)
        return f"has characters that are not allowed before the @-sign: {named}; retype the address without them"
    if not _is_address(f"name@{domain}"):
        if "." not in domain.strip("."):
            return "needs a domain with a period after the @-sign, as in name@company.com"
        if any(len(part) > 63 for part in domain.split(".")):
            return "has a part after the @-sign with more than 63 characters between two periods; shorten it"
        return 'has a part after the @-sign that is not a domain: write it like "company.com"'
    return f"is not a valid address: {_FORM_OF_ADDRESS}"


def _deliverable_email(value: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    if not value:
        raise ValueError("is required")
    if len(value) > MAX_EMAIL_LENGTH:
        # Said first: the address checks below would only report a symptom of the length.
        raise PydanticCustomError(
            "string_too_long", "String should have at most {max_length} characters", {"max_length": MAX_EMAIL_LENGTH}
        )
    try:
        # Our mail service (SES) cannot deliver to non-ASCII mailbox names; a non-ASCII domain is
        # fine once written in its ASCII (punycode) form.
        info = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as e:
        # Never the library's own wording: it speaks of "IDNA", "quoted" parts and the like.
        raise ValueError(_email_problem(value)) from e
    return info.ascii_email or info.normalized


NOT_A_NUMBER = "Enter a whole number, digits only (for example 12)."
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")
_LARGEST_NUMBER = 999_999_999_999  # where no smaller limit is set


def whole_number(value: Any, low: int | None = None, high: int | None = None) -> tuple[int | None, str | None]:
    """A whole number from a form (text or a JSON number) and None, or None and what is wrong with it.

    One wording for every number field of the portal, so a person is told the real problem: not a
    number at all, too small ("Enter a number of 0 or more.") or too big ("Enter a number of at most
    1,000,000."), never "digits only" for a number that is merely out of range.
    """
    if isinstance(value, bool):
        return None, NOT_A_NUMBER
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        if not _WHOLE_NUMBER.fullmatch(text):
            return None, NOT_A_NUMBER
        digits = text.lstrip("-").lstrip("0")
        # A very long number is out of range whatever it is; int() of thousands of digits is refused.
        value = int(text) if len(digits) <= 18 else (-1 if text.startswith("-") else 1) * 10**18
    if not isinstance(value, int):
        return None, NOT_A_NUMBER
    low = -_LARGEST_NUMBER if low is None else low
    high = _LARGEST_NUMBER if high is None else high
    if value < low:
        return None, f"Enter a number of {low:,} or more."
    if value > high:
        return None, f"Enter a number of at most {high:,}."
    return value, None


def number_between(low: int, high: int) -> BeforeValidator:
    """A model field's check for a whole number from ``low`` to ``high`` (the page sends text)."""

    def parse(value: Any) -> int:
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ValueError("is required")
        number, problem = whole_number(value, low, high)
        if problem:
            # Its own error type: ``field_message`` puts the field's label in front of it.
            raise PydanticCustomError("portal_number", problem)
        return number  # type: ignore[return-value]

    return BeforeValidator(parse)


_EXPLICIT_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*)://", re.IGNORECASE)
# "mailto:x", "javascript:x", but not "example.ch:8080" (a port after a bare domain).
_OTHER_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:(?![0-9])", re.IGNORECASE)
_DOMAIN = re.compile(r"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9\-]{0,61}[a-z0-9]$")
_NOT_A_WEB_ADDRESS = "is not a web address: write it like www.example.com or https://www.example.com"


def _web_address(value: str) -> str:
    """A company's website: "example.ch" becomes "https://example.ch"; other kinds of links are refused."""
    text = value.strip()
    if not text:
        return ""
    scheme = _EXPLICIT_SCHEME.match(text)
    if scheme and scheme.group(1).lower() not in {"http", "https"}:
        raise ValueError(f'must be a web address starting with https:// or http://, not "{scheme.group(1)[:20]}://"')
    if not scheme:
        if _OTHER_SCHEME.match(text):
            raise ValueError("must be a web address such as www.example.com; other kinds of links are not accepted")
        text = "https://" + text
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as e:
        raise ValueError(_NOT_A_WEB_ADDRESS) from e
    host = (parts.hostname or "").rstrip(".")
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()  # "bücher.ch" -> "xn--bcher-kva.ch"
    except UnicodeError:
        ascii_host = ""
    if re.search(r"\s", text) or parts.username or parts.password or not _DOMAIN.match(ascii_host):
        raise ValueError(_NOT_A_WEB_ADDRESS)
    if port == 0:
        raise ValueError(_NOT_A_WEB_ADDRESS)
    return text


OneLine = Annotated[str, AfterValidator(_one_line)]
"""Text that ends up next to email headers or in a table cell: no line breaks at all."""

MultiLine = Annotated[str, AfterValidator(_no_control_chars)]
"""Free text such as a message: line breaks allowed, other control characters not."""

PHONE_PATTERN = r"^\+?[0-9][0-9 ()\-.]{6,24}$"

WebAddress = Annotated[OneLine, AfterValidator(_web_address)]
"""A website: a bare domain ("example.ch") gains https://; only http(s) addresses of a real-looking host pass."""

DeliverableEmail = Annotated[str, AfterValidator(_deliverable_email)]
"""An email address our mail service can deliver to, in its ASCII form (IDN domains as punycode)."""


def field_titles(*models: type[BaseModel]) -> dict[str, str]:
    """Field name -> the label a person sees, for every field of ``models``."""
    return {
        name: info.title or name.replace("_", " ").capitalize()
        for model in models
        for name, info in model.model_fields.items()
    }


def choice_label(value: object) -> str:
    """The label a person sees for a choice: the enum's own ``label``, else its value in words."""
    label = getattr(value, "label", None)
    return label if isinstance(label, str) else str(getattr(value, "value", value)).replace("_", " ").capitalize()


def field_choices(*models: type[BaseModel]) -> dict[str, tuple[str, ...]]:
    """Field name -> the labels of the choices a person may pick, for every enum field of ``models``.

    A field may offer fewer values than its enum holds by listing them under ``enum`` in its
    ``json_schema_extra`` (the role an admin can give is never the channel team's).
    """
    choices: dict[str, tuple[str, ...]] = {}
    for model in models:
        for name, info in model.model_fields.items():
            kind = info.annotation
            if isinstance(kind, type) and issubclass(kind, Enum):
                extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
                offered = extra.get("enum")
                choices[name] = tuple(
                    choice_label(m) for m in kind if not isinstance(offered, list) or m.value in offered
                )
    return choices


def _expected_labels(error: dict[str, Any], choices: tuple[str, ...] | None) -> str:
    """The choices of an enum or literal field as "A, B, C": by label, never by stored value."""
    if not choices:
        expected = str((error.get("ctx") or {}).get("expected", ""))
        choices = tuple(choice_label(v) for v in re.findall(r"'([^']*)'", expected))
    return ", ".join(choices)


def field_message(error: dict[str, Any], title: str, choices: tuple[str, ...] | None = None) -> str:
    """One pydantic error worded for a person: ``title`` (the field's label) and what to do."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in {"enum", "literal_error"}:
        return f"{title}: choose one of: {_expected_labels(error, choices)}."
    if kind == "missing" or (kind in {"string_too_short", "too_short"} and ctx.get("min_length") == 1):
        return f"{title} is required."
    # A length limit on an annotated string (``OneLine``) reports "too_long", like one on a list.
    text = kind.startswith("string_") or isinstance(error.get("input"), str)
    if kind in {"string_too_short", "too_short"} and text:
        return f"{title} must be at least {_number(ctx['min_length'])} characters."
    if kind in {"string_too_long", "too_long"} and text:
        return f"{title} must be at most {_number(ctx['max_length'])} characters; shorten it and try again."
    if kind == "too_short":
        return f"{title} needs at least {_number(ctx['min_length'])} entries."
    if kind == "too_long":
        return f"{title} can hold at most {_number(ctx['max_length'])} entries; remove some and try again."
    if kind == "string_pattern_mismatch":
        if "phone" in title.lower():
            return (
                f"{title} should be 7 to 25 digits, optionally with +, spaces, dashes, dots or parentheses "
                "(e.g. +1-555-010-0100)."
            )
        return f"{title} has characters that are not allowed."
    if kind == "portal_number":
        # "Enter a number of 0 or more." -> "Years in business: enter a number of 0 or more."
        problem = str(error.get("msg", ""))
        return f"{title}: {problem[:1].lower()}{problem[1:]}"
    if kind == "extra_forbidden":
        return "This field is not part of the form; remove it."
    if kind == "value_error":
        return f"{title} {str(error.get('msg', '')).removeprefix('Value error, ')}."
    for kinds, wording in _PLAIN_WORDING.items():
        if kind in kinds:
            return f"{title}{wording.format(**{k: _number(v) for k, v in ctx.items()})}"
    # Never pydantic's own wording ("Input should be...", "unable to parse..."): it names types
    # a person filling a form never sees.
    return f"{title} is not valid."


def _number(value: object) -> object:
    """1000000 -> "1,000,000"; anything else as it is."""
    return f"{value:,}" if isinstance(value, int | float) and not isinstance(value, bool) else value


# pydantic's error types -> what to tell the person, after the field's label.
_PLAIN_WORDING: dict[frozenset[str], str] = {
    frozenset({"int_type", "int_parsing", "int_from_float"}): ": enter a whole number.",
    frozenset({"float_type", "float_parsing", "decimal_type", "decimal_parsing"}): ": enter a number.",
    # 1e309 (infinity once read) or 1e300 for a whole number.
    frozenset({"finite_number", "int_parsing_size"}): ": that number is out of range; enter a number such as 12.",
    frozenset({"bool_type", "bool_parsing"}): ": answer true or false.",
    frozenset({"string_type", "string_unicode", "string_sub_type"}): ": enter text.",
    frozenset({"list_type", "tuple_type", "set_type", "iterable_type"}): ": send a list of values.",
    frozenset({"dict_type", "model_type", "model_attributes_type", "mapping_type"}): ": send a group of fields.",
    frozenset({"date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"}): (
        ": enter a date as YYYY-MM-DD."
    ),
    frozenset({"datetime_type", "datetime_parsing", "datetime_from_date_parsing"}): (
        ": enter a date and time such as 2026-12-03T14:30:00Z."
    ),
    frozenset({"greater_than_equal"}): " must be at least {ge}.",
    frozenset({"greater_than"}): " must be more than {gt}.",
    frozenset({"less_than_equal"}): " must be at most {le}.",
    frozenset({"less_than"}): " must be less than {lt}.",
    frozenset({"multiple_of"}): " must be a multiple of {multiple_of}.",
    frozenset({"url_type", "url_parsing", "url_scheme", "url_syntax_violation", "url_too_long"}): (
        " is not a valid web address; use the form https://www.example.com."
    ),
    frozenset({"none_required"}): " must be left empty.",
    frozenset({"bytes_type", "uuid_type", "uuid_parsing", "json_type"}): " is not valid.",
}


def field_problems(
    titles: dict[str, str],
    errors: list[dict[str, Any]],
    prefix: tuple = (),
    choices: dict[str, tuple[str, ...]] | None = None,
) -> list[FieldProblem]:
    """Turn pydantic errors into one message per field, worded for the form.

    Args:
        titles: Field name -> label, from ``field_titles``.
        errors: ``ValidationError.errors()`` (or Powertools' equivalent).
        prefix: Location parts to strip first, such as ``("body",)``.
        choices: Field name -> labels of its choices, from ``field_choices``.
    """
    problems: dict[str, FieldProblem] = {}
    for error in errors:
        error = {**error, "msg": str(error.get("msg", ""))}
        loc = tuple(error.get("loc", ()))
        if loc[: len(prefix)] == prefix:
            loc = loc[len(prefix) :]
        if error.get("type") == "json_invalid":
            problems.setdefault("form", FieldProblem("form", "The request body is not valid JSON."))
            continue
        field = str(loc[0]) if loc and isinstance(loc[0], str) else "form"
        title = titles.get(field, "The form" if field == "form" else field)
        if field == "form" and error.get("type") in {"model_attributes_type", "dict_type", "model_type"}:
            problems.setdefault(field, FieldProblem(field, "Send the form's fields as a JSON object."))
        problems.setdefault(
            field, FieldProblem(field=field, message=field_message(error, title, (choices or {}).get(field)))
        )
    return list(problems.values())


def _unicode_normalized(value: object) -> object:
    """NFKC before anything else, so "ｊａｎｅ@example.org" is checked (and matched) as "jane@example.org"."""
    import unicodedata

    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value


AccountEmail = Annotated[DeliverableEmail, BeforeValidator(_unicode_normalized)]
"""The email of an account: compatibility forms (full-width letters...) become plain ones before the check."""
