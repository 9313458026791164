"""Step 3 of the reseller application: the product questions of each category, as content data.

Editors keep one file per category, ``content/data/application_questions/<category slug>.yml``,
each a list of questions. The site build validates them (a bad entry fails the build naming the
file, the entry and the field), the step-3 page is drawn from them, and the API checks answers
with the same ``Question`` objects, so adding a question needs no code.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from portal.catalog import SLUG_PATTERN, Catalog, ContentError, default_content_dir, parse_list
from portal.errors import FieldProblem

QUESTIONS_FOLDER = "application_questions"
_TRUE = {"yes", "true", "1", "on"}
_FALSE = {"no", "false", "0", "off"}
_DEFAULT_LENGTH = {"text": 200, "textarea": 2000}
_MAX_LENGTH = {"text": 500, "textarea": 5000}
_LARGEST_NUMBER = 999_999_999_999  # as long as a typed answer may be (12 digits)


class QuestionType(StrEnum):
    """How a question is answered."""

    TEXT = "text"
    TEXTAREA = "textarea"
    NUMBER = "number"
    SELECT = "select"
    MULTI_SELECT = "multi-select"
    YES_NO = "yes-no"


class Question(BaseModel):
    """One product question; ``check`` is the server's rule for its answer."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: str = Field(pattern=SLUG_PATTERN, max_length=60)
    label: str = Field(min_length=3, max_length=200)
    type: QuestionType
    required: bool = True
    help: str | None = Field(default=None, max_length=300)
    choices: tuple[str, ...] = Field(default=(), validate_default=True)
    min_length: int | None = Field(default=None, ge=1)
    max_length: int | None = Field(default=None, ge=1)
    min: int | None = None
    max: int | None = None
    max_choices: int | None = Field(default=None, ge=1)

    # Field validators (not one model validator) so a build error names the field to fix.
    @field_validator("choices")
    @classmethod
    def _choices_fit_the_type(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        kind = info.data.get("type")
        if kind in {QuestionType.SELECT, QuestionType.MULTI_SELECT} and len(value) < 2:
            raise ValueError(f"a {kind.value} question needs at least two choices")
        if kind not in {None, QuestionType.SELECT, QuestionType.MULTI_SELECT} and value:
            raise ValueError(f"choices are only for select and multi-select questions, not {kind.value}")
        if len(set(value)) != len(value):
            raise ValueError("a choice is listed twice")
        if any(not c or len(c) > 100 for c in value):
            raise ValueError("each choice must be 1 to 100 characters")
        return value

    @field_validator("min_length", "max_length")
    @classmethod
    def _length_fits_the_type(cls, value: int | None, info: ValidationInfo) -> int | None:
        kind = info.data.get("type")
        if kind is None:
            return value
        if kind.value not in _MAX_LENGTH:
            raise ValueError("is only for text and textarea questions")
        if value is not None and value > _MAX_LENGTH[kind.value]:
            raise ValueError(f"of a {kind.value} question is at most {_MAX_LENGTH[kind.value]}")
        low = info.data.get("min_length")
        if info.field_name == "max_length" and value is not None and low is not None and low > value:
            raise ValueError("is smaller than min_length")
        return value

    @field_validator("min", "max")
    @classmethod
    def _bounds_fit_the_type(cls, value: int | None, info: ValidationInfo) -> int | None:
        if info.data.get("type") not in {None, QuestionType.NUMBER}:
            raise ValueError("is only for number questions")
        low = info.data.get("min")
        if info.field_name == "max" and value is not None and low is not None and low > value:
            raise ValueError("is smaller than min")
        return value

    @field_validator("max_choices")
    @classmethod
    def _max_choices_fit(cls, value: int | None, info: ValidationInfo) -> int | None:
        if info.data.get("type") not in {None, QuestionType.MULTI_SELECT}:
            raise ValueError("is only for multi-select questions")
        return value

    @property
    def limit_length(self) -> int | None:
        """The longest text answer accepted (text and textarea questions)."""
        return self.max_length or _DEFAULT_LENGTH.get(self.type.value)

    def check(self, value: Any) -> tuple[Any, str | None]:
        """The cleaned answer and None, or None and what is wrong, worded for the applicant."""
        if value is None or value == "" or value == []:
            return None, (f"{self.label} is required." if self.required else None)
        checker = {
            QuestionType.TEXT: self._text,
            QuestionType.TEXTAREA: self._text,
            QuestionType.NUMBER: self._number,
            QuestionType.SELECT: self._select,
            QuestionType.MULTI_SELECT: self._multi,
            QuestionType.YES_NO: self._yes_no,
        }[self.type]
        return checker(value)

    def _text(self, value: Any) -> tuple[Any, str | None]:
        from portal.fields import _no_control_chars, _one_line

        if not isinstance(value, str):
            return None, "Answer with text."
        text = value.strip()
        if not text:
            return None, (f"{self.label} is required." if self.required else None)
        limit = self.limit_length or 0
        if len(text) > limit:
            return None, f"Use at most {limit} characters (this answer has {len(text)})."
        if self.min_length and len(text) < self.min_length:
            return None, f"Use at least {self.min_length} characters."
        try:
            (_one_line if self.type == QuestionType.TEXT else _no_control_chars)(text)
        except ValueError as e:
            return None, f"This answer {e}."
        return text, None

    def _number(self, value: Any) -> tuple[Any, str | None]:
        if isinstance(value, bool):
            return None, "Answer with a whole number."
        if isinstance(value, str):
            value = value.strip()
            if not value.lstrip("-").isdigit() or len(value) > len(str(_LARGEST_NUMBER)):
                return None, "Answer with a whole number, digits only (for example 12)."
            value = int(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int):
            return None, "Answer with a whole number."
        if self.min is not None and value < self.min:
            return None, f"Enter a number of {self.min} or more."
        if self.max is not None and value > self.max:
            return None, f"Enter a number of {self.max} or less."
        if abs(value) > _LARGEST_NUMBER:
            # A question without max: the store keeps 38 digits at most, and no answer needs more than 12.
            return None, f"Enter a whole number of at most {len(str(_LARGEST_NUMBER))} digits."
        return value, None

    def _select(self, value: Any) -> tuple[Any, str | None]:
        if value not in self.choices:
            return None, "Choose one of the listed answers."
        return value, None

    def _multi(self, value: Any) -> tuple[Any, str | None]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None, "Choose from the listed answers."
        chosen = [c for c in self.choices if c in value]  # the listed order, each once
        if len(chosen) != len(set(value)):
            return None, "Choose only from the listed answers."
        if self.max_choices and len(chosen) > self.max_choices:
            return None, f"Choose at most {self.max_choices}."
        return chosen, None

    def _yes_no(self, value: Any) -> tuple[Any, str | None]:
        if isinstance(value, bool):
            return value, None
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE, None
        return None, "Answer Yes or No."

    def shown(self, value: Any) -> str:
        """The stored answer as a person reads it (the review step, the staff view)."""
        if value is None or value == [] or value == "":
            return "—"
        if self.type == QuestionType.YES_NO:
            return "Yes" if value else "No"
        if isinstance(value, list):
            return ", ".join(value)
        return str(value)


Questions = dict[str, tuple[Question, ...]]
"""Category slug -> its questions, in the order the file lists them."""


def load_application_questions(content_dir: Path | None, catalog: Catalog) -> Questions:
    """Read and check every category's question file.

    Raises:
        ContentError: a file is missing, unknown, empty or has a bad entry (naming file, entry, field).
    """
    folder = (content_dir or default_content_dir()) / "data" / QUESTIONS_FOLDER
    slugs = [c.slug for c in catalog.categories]
    found = {path.stem: path for path in sorted(folder.glob("*.yml"))} if folder.is_dir() else {}
    problems: list[ContentError] = []
    for stem, path in found.items():
        if stem not in slugs:
            problems.append(ContentError(path, [f'"{stem}" is not a category slug of categories.yml; rename the file']))
    questions: Questions = {}
    for slug in slugs:
        path = folder / f"{slug}.yml"
        if slug not in found:
            problems.append(ContentError(path, ["the file is missing: every category needs its step-3 questions"]))
            continue
        try:
            entries = parse_list(path, Question, key="id")
        except ContentError as e:
            problems.append(e)
            continue
        if not entries:
            problems.append(ContentError(path, ["has no questions; list at least one"]))
        questions[slug] = entries
    if problems:
        raise ContentError(
            problems[0].file if len(problems) == 1 else folder,
            [f"{p.file}: {line}" if len(problems) > 1 else line for p in problems for line in p.problems],
        )
    return questions


@lru_cache(maxsize=4)
def cached_questions(content_dir: str | None = None) -> Questions:
    """The questions, read once per process (a Lambda container keeps them warm)."""
    from portal.catalog import cached_catalog

    return load_application_questions(Path(content_dir) if content_dir else None, cached_catalog(content_dir))


def check_answers(
    slugs: tuple[str, ...], questions: Questions, answers: dict[str, dict[str, Any]]
) -> tuple[dict[str, dict[str, Any]], list[FieldProblem]]:
    """Check step 3's answers for the application's categories.

    Returns the cleaned answers (only known questions, empty optional answers left out) and one
    problem per wrong answer, on the field ``answers.<category>.<question id>`` the page shows it next to.
    """
    problems: list[FieldProblem] = []
    for slug in answers:
        if slug not in slugs:
            problems.append(FieldProblem("answers", f'"{slug[:60]}" is not a product category of this application.'))
    clean: dict[str, dict[str, Any]] = {}
    for slug in slugs:
        given = answers.get(slug, {})
        known = {q.id: q for q in questions.get(slug, ())}
        unknown = [qid for qid in given if qid not in known]
        if unknown:
            problems.append(
                FieldProblem(f"answers.{slug}", f'"{unknown[0][:60]}" is not one of the questions of this category.')
            )
        clean[slug] = {}
        for question in known.values():
            value, problem = question.check(given.get(question.id))
            if problem:
                problems.append(FieldProblem(f"answers.{slug}.{question.id}", problem))
            elif value is not None:
                clean[slug][question.id] = value
    return clean, problems
