"""Errors of the anonymisation layer. Messages name fields, codes and counts, never a value or a key."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crsvdata.errors import CrsvError

if TYPE_CHECKING:
    from crsvdata.anonymise.manifest import Manifest

__all__ = [
    "AnonymisationError",
    "ConsentScopeError",
    "DisclosureRiskError",
    "EmptyExportError",
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


class EmptyExportError(AnonymisationError):
    """No record may leave (all excluded by consent or suppression): nothing is written.

    ``manifest`` holds the exact counts for the operator's terminal; the message names none.
    """

    code = "anonymise.empty_export"

    def __init__(self, message: str, manifest: Manifest | None = None) -> None:
        super().__init__(message)
        self.manifest = manifest
