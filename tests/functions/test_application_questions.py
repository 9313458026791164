"""Step 3's questions: the content data's rules, and how each type of answer is checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO


def question(**fields):
    from portal.application_questions import Question

    return Question.model_validate({"id": "q", "label": "A question?", **fields})


@pytest.mark.parametrize(
    ("fields", "given", "kept", "problem"),
    [
        ({"type": "text"}, "  Acme  ", "Acme", None),
        ({"type": "text"}, "x" * 201, None, "Use at most 200 characters (this answer has 201)."),
        ({"type": "text", "max_length": 5}, "abcdef", None, "Use at most 5 characters"),
        ({"type": "text"}, "two\nlines", None, "single line"),
        ({"type": "text"}, 12, None, "Answer with text."),
        ({"type": "textarea"}, "two\nlines", "two\nlines", None),
        ({"type": "number", "min": 0, "max": 10}, "7", 7, None),
        ({"type": "number", "min": 0, "max": 10}, 11, None, "Enter a number of at most 10."),
        ({"type": "number", "min": 0, "max": 5000}, "99999999999", None, "Enter a number of at most 5,000."),
        ({"type": "number", "min": 0}, "-3", None, "Enter a number of 0 or more."),
        ({"type": "number", "min": 0}, "twelve", None, "Enter a whole number, digits only (for example 12)."),
        ({"type": "number", "min": 1}, "0", None, "Enter a number of 1 or more."),
        ({"type": "number"}, "1.5", None, "whole number"),
        ({"type": "number"}, True, None, "whole number"),
        ({"type": "number"}, 10**40, None, "Enter a number of at most 999,999,999,999."),
        ({"type": "number"}, 1e300, None, "Enter a number of at most 999,999,999,999."),
        ({"type": "number"}, -(10**13), None, "Enter a number of -999,999,999,999 or more."),
        ({"type": "number"}, float("inf"), None, "Enter a whole number, digits only"),
        ({"type": "number"}, 999_999_999_999, 999_999_999_999, None),
        ({"type": "select", "choices": ["A", "B"]}, "B", "B", None),
        ({"type": "select", "choices": ["A", "B"]}, "C", None, "Choose one of the listed answers."),
        ({"type": "multi-select", "choices": ["A", "B", "C"]}, ["C", "A"], ["A", "C"], None),
        ({"type": "multi-select", "choices": ["A", "B"]}, ["A", "Z"], None, "Choose only from the listed answers."),
        ({"type": "multi-select", "choices": ["A", "B", "C"], "max_choices": 1}, ["A", "B"], None, "at most 1"),
        ({"type": "multi-select", "choices": ["A", "B"]}, "A", None, "Choose from the listed answers."),
        ({"type": "yes-no"}, "no", False, None),
        ({"type": "yes-no"}, True, True, None),
        ({"type": "yes-no"}, "perhaps", None, "Answer Yes or No."),
        ({"type": "text"}, "", None, "A question? is required."),
        ({"type": "text", "required": False}, "", None, None),
        ({"type": "multi-select", "choices": ["A", "B"]}, [], None, "A question? is required."),
    ],
)
def test_each_type_of_answer_is_checked(fields, given, kept, problem):
    value, message = question(**fields).check(given)
    assert value == kept
    assert (message is None) if problem is None else (problem in message)


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"type": "select"}, "choices", "needs at least two choices"),
        ({"type": "number", "choices": ["A", "B"]}, "choices", "only for select and multi-select"),
        ({"type": "select", "choices": ["A", "A"]}, "choices", "listed twice"),
        ({"type": "number", "max_length": 3}, "max_length", "only for text and textarea"),
        ({"type": "text", "max_length": 900}, "max_length", "at most 500"),
        ({"type": "text", "min_length": 9, "max_length": 3}, "max_length", "smaller than min_length"),
        ({"type": "text", "min": 1}, "min", "only for number questions"),
        ({"type": "number", "min": 5, "max": 1}, "max", "smaller than min"),
        ({"type": "yes-no", "max_choices": 2}, "max_choices", "only for multi-select"),
        ({"type": "dropdown"}, "type", "Input should be"),
        ({"type": "text", "colour": "red"}, "colour", "Extra inputs"),
    ],
)
def test_a_question_that_does_not_fit_its_type_is_refused_naming_the_field(fields, field, words):
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as refused:
        question(**fields)
    errors = {str(e["loc"][0]): e["msg"] for e in refused.value.errors()}
    assert words in errors[field], errors


def copy_questions(tmp_path: Path) -> Path:
    import shutil

    content = tmp_path / "content"
    shutil.copytree(REPO / "content" / "data", content / "data")
    return content


def test_every_category_has_its_questions(catalog):
    from portal.application_questions import load_application_questions

    questions = load_application_questions(REPO / "content", catalog)
    assert set(questions) == {c.slug for c in catalog.categories}
    assert all(questions.values())


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda folder: (folder / "pos.yml").unlink(), ["pos.yml", "the file is missing"]),
        (
            lambda folder: (folder / "scaners.yml").write_text("- id: a\n  label: Abc\n  type: text\n"),
            ["scaners.yml", "not a category slug"],
        ),
        (lambda folder: (folder / "pos.yml").write_text("[]\n"), ["pos.yml", "has no questions"]),
        (lambda folder: (folder / "pos.yml").write_text("id: x\n"), ["pos.yml", "should be a list"]),
        (
            lambda folder: (folder / "pos.yml").write_text(
                "- id: a\n  label: Abc\n  type: text\n- id: a\n  label: Def\n  type: yes-no\n"
            ),
            ["pos.yml", "entry 2", "is used by an earlier entry"],
        ),
        (
            lambda folder: (folder / "pos.yml").write_text(
                "- id: a\n  label: Abc\n  type: number\n  choices: [x, y]\n"
            ),
            ["pos.yml", 'entry 1 ("a")', "field choices", "only for select and multi-select"],
        ),
    ],
    ids=["missing", "unknown-file", "empty", "not-a-list", "duplicate-id", "bad-field"],
)
def test_bad_question_files_are_refused_naming_the_file_entry_and_field(tmp_path, catalog, change, words):
    from portal.application_questions import load_application_questions
    from portal.catalog import ContentError

    content = copy_questions(tmp_path)
    change(content / "data" / "application_questions")
    with pytest.raises(ContentError) as refused:
        load_application_questions(content, catalog)
    message = str(refused.value)
    assert all(w in message for w in words), message
