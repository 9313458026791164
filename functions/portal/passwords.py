"""Password rules and hashing: argon2id, 15-128 characters, no composition rules, no common passwords.

Passwords are NFKC-normalized before they are checked or hashed, so the same password typed on
two keyboards (composed or decomposed accents, full-width digits) is the same password. Nothing
is ever truncated: a 128-character password is hashed whole.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MIN_LENGTH = 15
MAX_LENGTH = 128
# OWASP's argon2id baseline: 19 MiB of memory, 2 passes, 1 lane.
ARGON2_MEMORY_KIB = 19456
ARGON2_TIME_COST = 2
ARGON2_PARALLELISM = 1
_MIN_SCORE = 3  # zxcvbn scores 0-4; below 3 means guessable with a dictionary attack


@lru_cache(maxsize=1)
def _hasher():
    from argon2 import PasswordHasher, Type

    return PasswordHasher(
        time_cost=ARGON2_TIME_COST,
        memory_cost=ARGON2_MEMORY_KIB,
        parallelism=ARGON2_PARALLELISM,
        type=Type.ID,
    )


def normalize_password(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


def password_problem(password: str, personal: list[str] | None = None) -> str | None:
    """Why ``password`` can't be used, in words for the person choosing it; None when it is fine.

    Args:
        password: The password as typed.
        personal: The user's own details (email, names, company): passwords built from them are refused.
    """
    normalized = normalize_password(password)
    length = len(normalized)
    if length < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters (this one has {length}). A few unrelated words work well."
    if length > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters (this one has {length})."
    from zxcvbn import zxcvbn

    if _mostly_personal(normalized, personal or []):
        return (
            "This password is built mostly from your own name, email or company, so it is too easy to guess. "
            "Choose a phrase of unrelated words."
        )
    # zxcvbn counts a space as a random character, so "password password" would score well:
    # judge the words run together too, and the person's details word by word as well as whole.
    words = [w for p in personal or [] for w in re.split(r"[^\w]+", p.casefold()) if len(w) > 2]
    inputs = [p for p in personal or [] if p] + words
    joined = re.sub(r"\s+", "", normalized)
    verdicts = [zxcvbn(candidate, user_inputs=inputs, max_length=MAX_LENGTH) for candidate in {normalized, joined}]
    verdict = min(verdicts, key=lambda v: v["score"])
    if verdict["score"] < _MIN_SCORE:
        reason = verdict["feedback"].get("warning") or "It is too easy to guess"
        return (
            f"This password is common or too easy to guess ({reason.rstrip('.')}). "
            "Choose a longer phrase of unrelated words."
        )
    return None


def _mostly_personal(password: str, personal: list[str]) -> bool:
    """True when taking the person's own details out of the password leaves fewer than 8 letters or digits."""
    rest = re.sub(r"[\W_]+", "", password.casefold())
    tokens = {re.sub(r"[\W_]+", "", t) for p in personal for t in [p.casefold(), *re.split(r"[\W_]+", p.casefold())]}
    for token in sorted((t for t in tokens if len(t) >= 3), key=len, reverse=True):
        rest = rest.replace(token, "")
    return len(rest) < 8


def hash_password(password: str) -> str:
    """An argon2id hash of the normalized password."""
    return _hasher().hash(normalize_password(password))


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches; a malformed hash is a mismatch, never an error."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(password_hash, normalize_password(password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher().check_needs_rehash(password_hash)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password("not a real password, only here to spend time")


def spend_verification_time(password: str) -> None:
    """Do the work of a real check, so an unknown email answers as slowly as a wrong password."""
    verify_password(_dummy_hash(), password)
