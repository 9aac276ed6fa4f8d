"""The pydantic types of the Ukrainian identifiers: their pattern, description and validator.

Imported on first use through ``crsvdata.identifiers`` (which is where to import them from): the check
functions and the rules need none of this, nor pydantic.
"""

from typing import Annotated, TypeAlias

from pydantic import Field

from crsvdata.identifiers import (
    _ERDR,
    _FOREIGN_PASSPORT,
    _ID_CARD,
    _PASSPORT_BOOKLET,
    _PHONE,
    _RNOKPP,
    _UNZR,
    ERDR_PATTERN,
    FOREIGN_PASSPORT_PATTERN,
    ID_CARD_PATTERN,
    PASSPORT_BOOKLET_PATTERN,
    PHONE_E164_PATTERN,
    RNOKPP_PATTERN,
    UNZR_PATTERN,
)

Rnokpp: TypeAlias = Annotated[
    str,
    Field(
        pattern=RNOKPP_PATTERN,
        description=(
            "RNOKPP (РНОКПП), the Ukrainian individual taxpayer registration number: 10 digits, the last a "
            "check digit (weights -1,5,7,9,4,6,10,5,7, sum mod 11 mod 10) [C]. The check digit is a rule "
            "outside this schema. A direct identifier: it encodes the date of birth and sex."
        ),
        examples=["1234567899"],
    ),
    _RNOKPP.validator(),
]

Unzr: TypeAlias = Annotated[
    str,
    Field(
        pattern=UNZR_PATTERN,
        description=(
            "UNZR (УНЗР), the record number in the Unified State Demographic Register: YYYYMMDD-NNNNC, the "
            "date of birth, a serial 0001-9999 and a check digit [C]. That the date is a real calendar date "
            "is a rule outside this schema. A direct identifier: it encodes the date of birth."
        ),
        examples=["19900417-00429"],
    ),
    _UNZR.validator(),
]

PassportBookletNumber: TypeAlias = Annotated[
    str,
    Field(
        pattern=PASSPORT_BOOKLET_PATTERN,
        description=(
            "Number of an old-style (1994 booklet) Ukrainian internal passport: 2 Cyrillic letters and 6 "
            "digits, written without a space [C, eHealth]. The letter set excludes Ё, Ъ, Ы, Э and Latin "
            "look-alikes, which eHealth admits [I]. A direct identifier."
        ),
        examples=["КВ123456"],
    ),
    _PASSPORT_BOOKLET.validator(),
]

IdCardNumber: TypeAlias = Annotated[
    str,
    Field(
        pattern=ID_CARD_PATTERN,
        description=(
            "Document number of a Ukrainian ID-card passport (since 2016): 9 digits [C]. A direct identifier."
        ),
        examples=["000123456"],
    ),
    _ID_CARD.validator(),
]

ForeignPassportNumber: TypeAlias = Annotated[
    str,
    Field(
        pattern=FOREIGN_PASSPORT_PATTERN,
        description=(
            "Number of a Ukrainian passport for travel abroad: 2 Latin capital letters and 6 digits [I]. "
            "A direct identifier."
        ),
        examples=["FA123456"],
    ),
    _FOREIGN_PASSPORT.validator(),
]

PhoneNumberE164: TypeAlias = Annotated[
    str,
    Field(
        pattern=PHONE_E164_PATTERN,
        description=(
            "A phone number in E.164 form ('+', country code and number, no spaces). Any country is "
            "allowed, since survivors may be abroad. That libphonenumber recognises it as a valid number "
            "in canonical form is a rule outside this schema [C]. A direct identifier."
        ),
        examples=["+380501234567"],
    ),
    _PHONE.validator(),
]

ErdrNumber: TypeAlias = Annotated[
    str,
    Field(
        pattern=ERDR_PATTERN,
        description=(
            "Number of a criminal proceeding in the Unified Register of Pre-trial Investigations (ЄРДР): "
            "17 digits [C], read as body digit, year of entry (from 2012, when the register started), "
            "5-digit unit and 7-digit sequence [I]. No checksum is documented. A quasi-identifier: hash "
            "or truncate it in anonymised exports."
        ),
        examples=["12023000000000001"],
    ),
    _ERDR.validator(),
]
