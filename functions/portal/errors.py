"""Typed domain errors. Each maps to one HTTP status, once, in ``portal.web``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one field, worded for the person filling the form."""

    field: str
    message: str
    # For a page that adds its own advice (links) to this kind of problem; most problems have none.
    code: str | None = None


class PortalError(Exception):
    """Base class of the errors the API answers with a 4xx."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidFields(PortalError):
    """One or more fields hold values the portal cannot accept."""

    status = 422

    def __init__(self, problems: list[FieldProblem], message: str = "Please correct the highlighted fields."):
        super().__init__(message)
        self.problems = problems


class Conflict(PortalError):
    """The request clashes with what is already stored (a stale copy, a reused key)."""

    status = 409


class NotFound(PortalError):
    """The thing asked for does not exist (or is not yours to see)."""

    status = 404
