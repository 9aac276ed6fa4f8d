"""Errors of the anonymisation layer. Messages name fields, codes and counts, never a value or a key."""

from __future__ import annotations

from crsvdata.errors import CrsvError

__all__ = [
    "AnonymisationError",
    "ConsentScopeError",
    "DisclosureRiskError",
    "InvalidInputError",
    "KeyMaterialError",
    "ProfileError",
]


class AnonymisationError(CrsvError):
    """Base class: something stopped an export. Nothing was written."""

    code = "anonymise.error"


class KeyMaterialError(AnonymisationError):
    """No usable pseudonymisation key: missing, too short, malformed or unknown key id.

    The message may name the key id and the source (file or environment variable), never key bytes.
    """

    code = "anonymise.key"


class ProfileError(AnonymisationError):
    """An export profile file is malformed or asks for a transform the field does not support."""

    code = "anonymise.profile"


class ConsentScopeError(AnonymisationError):
    """The export cannot be evaluated against consent (e.g. a referral without a named recipient)."""

    code = "anonymise.consent_scope"


class DisclosureRiskError(AnonymisationError):
    """The output would not meet the profile's thresholds (k, l, global risk, suppression budget)."""

    code = "anonymise.disclosure_risk"


class InvalidInputError(AnonymisationError):
    """An input record is not a valid crsvdata document; the message gives the line and issue codes."""

    code = "anonymise.invalid_input"
