"""Email addresses as usernames: one normalized form, whatever the person typed."""

from __future__ import annotations

import unicodedata


def normalize_email(value: str) -> str:
    """NFKC-normalize, trim and case-fold, so one address is one account however it is typed."""
    return unicodedata.normalize("NFKC", value).strip().casefold()


def mask_email(email: str) -> str:
    """``j***e@e***.com``: enough for the owner to recognize, too little for anyone else."""
    local, _, domain = email.partition("@")
    name, dot, tld = domain.rpartition(".")

    def mask(part: str) -> str:
        return part[:1] + "***" + (part[-1:] if len(part) > 2 else "")

    return f"{mask(local)}@{mask(name)}{dot}{tld}" if name else f"{mask(local)}@{mask(domain)}"
