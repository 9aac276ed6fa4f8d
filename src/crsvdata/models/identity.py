"""Identity data: who the survivor is. Held by the organisation that met them; never in case data.

An ``IdentityRecord`` is linked to case data only through ``survivor_ref``. It leaves its organisation
only in an identified referral the survivor consented to (the ``referral`` export profile).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from crsvdata import rules
from crsvdata.geography import KatotthCode, UaSubdivisionCode
from crsvdata.identifiers import (
    ForeignPassportNumber,
    IdCardNumber,
    PassportBookletNumber,
    PhoneNumberE164,
    Rnokpp,
    Unzr,
)
from crsvdata.models._base import CrsvModel
from crsvdata.models._types import (
    NonEmptyList,
    NoNull,
    OrganisationCode,
    PseudonymousRef,
    ShortText,
    Timestamp,
    codelist,
    document_marker,
)
from crsvdata.models.extensions import Extensions

NamePart = Annotated[str, Field(min_length=1, max_length=100)]
EmailAddress = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$",
        description="An e-mail address (ASCII form).",
        examples=["synthetic.person@example.org"],
    ),
]


class PersonName(CrsvModel):
    """A name as the person gives it, in Ukrainian order (family name, given name, patronymic)."""

    family_name: Annotated[NamePart | None, NoNull] = Field(
        default=None, description="Family name (прізвище)."
    )
    given_name: Annotated[NamePart | None, NoNull] = Field(default=None, description="Given name (ім'я).")
    patronymic: Annotated[NamePart | None, NoNull] = Field(
        default=None, description="Patronymic (по батькові)."
    )


class RnokppDocument(CrsvModel):
    """Individual taxpayer number (RNOKPP, formerly IPN)."""

    type: Literal["rnokpp"] = Field(description="The document type: RNOKPP.")
    number: Rnokpp

    json_rule = rules.identity_document_rules


class UnzrDocument(CrsvModel):
    """Record number in the Unified State Demographic Register (UNZR)."""

    type: Literal["unzr"] = Field(description="The document type: UNZR.")
    number: Unzr

    json_rule = rules.identity_document_rules


class PassportBookletDocument(CrsvModel):
    """Internal passport booklet (1994 model): two Cyrillic letters and six digits."""

    type: Literal["passport_booklet"] = Field(description="The document type: passport booklet.")
    number: PassportBookletNumber

    json_rule = rules.identity_document_rules


class IdCardDocument(CrsvModel):
    """ID-card passport (since 2016): nine digits."""

    type: Literal["id_card"] = Field(description="The document type: ID card.")
    number: IdCardNumber

    json_rule = rules.identity_document_rules


class ForeignPassportDocument(CrsvModel):
    """Passport for travel abroad: two Latin letters and six digits."""

    type: Literal["foreign_passport"] = Field(description="The document type: passport for travel abroad.")
    number: ForeignPassportNumber

    json_rule = rules.identity_document_rules


IdentityDocument = Annotated[
    RnokppDocument | UnzrDocument | PassportBookletDocument | IdCardDocument | ForeignPassportDocument,
    Field(discriminator="type"),
]


class Address(CrsvModel):
    """Where the survivor can be reached; every part is optional."""

    subdivision: Annotated[UaSubdivisionCode | None, NoNull] = codelist(
        "ua_subdivision", "Oblast, Crimea, Kyiv or Sevastopol (ISO 3166-2:UA).", default=None
    )
    katotth: Annotated[KatotthCode | None, NoNull] = None
    settlement: Annotated[ShortText | None, NoNull] = Field(
        default=None, description="City, town or village name."
    )
    street_address: Annotated[ShortText | None, NoNull] = Field(
        default=None, description="Street, building and flat, as free text."
    )

    json_rule = rules.address_rules


class IdentityRecord(CrsvModel):
    """Who the survivor is, linked to case data only by ``survivor_ref``."""

    document_type: Literal["identity-record"] = document_marker("identity-record")
    survivor_ref: PseudonymousRef
    extensions: Annotated[Extensions | None, NoNull] = Field(
        default=None, description="Identity values from another system that no field here holds."
    )
    holder_organisation: OrganisationCode
    recorded_at: Timestamp = Field(description="When the identity data was recorded (with a UTC offset).")
    name: Annotated[PersonName | None, NoNull] = None
    other_names: Annotated[NonEmptyList[PersonName] | None, NoNull] = Field(
        default=None, description="Other names the person is known by (maiden name, spelling variants)."
    )
    date_of_birth: Annotated[date | None, NoNull] = Field(default=None, description="Date of birth.")
    documents: Annotated[NonEmptyList[IdentityDocument] | None, NoNull] = Field(
        default=None, description="Identity documents and registry numbers, each with its type."
    )
    phones: Annotated[NonEmptyList[PhoneNumberE164] | None, NoNull] = Field(
        default=None, description="Phone numbers in E.164 form (+380...)."
    )
    emails: Annotated[NonEmptyList[EmailAddress] | None, NoNull] = Field(
        default=None, description="E-mail addresses."
    )
    address: Annotated[Address | None, NoNull] = None

    json_rule = rules.identity_record_rules
