"""Field types shared by the models, each with the JSON Schema that accepts exactly what it accepts.

Nothing here normalises a value: a validator either accepts the input as it is or rejects it, so that the
Python model and the published JSON Schema agree on every document (see engineering-anchors.md section 4).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Final, TypeVar

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field, ValidationInfo, WithJsonSchema
from pydantic_core import PydanticCustomError

from crsvdata._context import inert_on_valid_json
from crsvdata.dates import DAY_PATTERN, MONTH_PATTERN, YEAR_PATTERN, partial_date_precision

T = TypeVar("T")


@inert_on_valid_json
def _reject_null(value: object) -> object:
    # A mapping in JSON form is judged as its JSON text is: null is refused in both modes. Only a keyword
    # argument of a model's constructor may be None, meaning "absent" (CrsvModel.__init__ leaves it out).
    if value is None:
        raise PydanticCustomError("null_not_allowed", "null is not allowed here: leave the field out instead")
    return value


NoNull: Final = AfterValidator(_reject_null)
"""Put on every optional field: in JSON, an absent field and a ``null`` would otherwise mean the same thing,
and the standard has one way to say "not recorded" (leave the field out)."""

NonEmptyList = Annotated[list[T], Field(min_length=1, max_length=1000)]
"""A list that, when present, has at least one item: an empty list and an absent one would mean the same."""


def _whole_float_to_int(value: object) -> object:
    # JSON Schema counts 3.0 as an integer; accept it too, so both validators agree.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


AcceptWholeFloat: Final = BeforeValidator(_whole_float_to_int)
"""Put on integer fields, after their bounds: ``Annotated[int, Field(ge=0, le=120), AcceptWholeFloat]``.

Bounds belong inside the ``Annotated`` next to ``int``: on an optional field pydantic could not place them
and would write them into the schema as keywords no validator knows.
"""

LOCAL_ID_PATTERN: Final = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
LocalId = Annotated[
    str,
    Field(
        pattern=LOCAL_ID_PATTERN,
        description="An identifier that is unique within its record (letters, digits, '.', '_', ':', '-').",
        examples=["inc-1"],
    ),
]

REF_PATTERN: Final = r"^[A-Za-z][A-Za-z0-9._:-]{2,63}$"
PseudonymousRef = Annotated[
    str,
    Field(
        pattern=REF_PATTERN,
        description=(
            "A pseudonymous reference chosen by the organisation that holds the identity data. It starts "
            "with a letter, so that a bare tax number, phone or document number can never be used as one."
        ),
        examples=["SYN-SURV-000001"],
    ),
]

ORGANISATION_PATTERN: Final = r"^[a-z][a-z0-9_]{1,63}$"
OrganisationCode = Annotated[
    str,
    Field(
        pattern=ORGANISATION_PATTERN,
        description="An organisation code from the open 'organisation' code list, or a partner's own slug.",
        examples=["unfpa"],
        json_schema_extra={"openCodelist": "organisation"},
    ),
]

_PARTIAL_DATE_SCHEMA: Final = {
    "type": "string",
    "anyOf": [
        {"pattern": YEAR_PATTERN},
        {"pattern": MONTH_PATTERN},
        {"pattern": DAY_PATTERN, "format": "date"},
    ],
    "description": "A year (YYYY), a month (YYYY-MM) or a day (YYYY-MM-DD), years 1900 to 2099.",
    "examples": ["2022", "2022-03", "2022-03-14"],
}


@inert_on_valid_json
def _check_partial_date(value: str) -> str:
    if partial_date_precision(value) is None:
        raise PydanticCustomError(
            "partial_date", "expected a year (YYYY), a month (YYYY-MM) or a real day (YYYY-MM-DD)"
        )
    return value


@inert_on_valid_json
def _day_as_partial_date(value: object, info: ValidationInfo) -> object:
    # A day known exactly may be given as a ``date`` in Python, as every other date field takes one.
    if info.mode == "python" and isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    return value


PartialDate = Annotated[
    str,
    BeforeValidator(_day_as_partial_date),
    AfterValidator(_check_partial_date),
    WithJsonSchema(_PARTIAL_DATE_SCHEMA),
]

DECIMAL_PATTERN: Final = r"^(0|[1-9][0-9]{0,11})(\.[0-9]{1,4})?$"
DecimalAmount = Annotated[
    str,
    Field(
        pattern=DECIMAL_PATTERN,
        description=(
            "An amount written as a decimal string (up to 12 integer digits and 4 decimals, '.' as the "
            "separator), so that no binary floating point ever touches money."
        ),
        examples=["3000.00"],
    ),
]

RFC3339_DATE_TIME: Final = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"
)


def _rfc3339_date_time(value: object) -> object:
    # pydantic alone accepts date-times JSON Schema's format "date-time" (RFC 3339) rejects: no seconds,
    # a space for "T", "+0200". Check the text strictly and hand pydantic a datetime, so both agree.
    if isinstance(value, str):
        # fullmatch: Python's "$" would also match before a final newline, ECMA-262's does not.
        if not RFC3339_DATE_TIME.fullmatch(value):
            raise PydanticCustomError(
                "datetime_parsing", "expected an RFC 3339 date-time with seconds and a UTC offset"
            )
        try:
            return datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
        except ValueError:
            raise PydanticCustomError("datetime_parsing", "not a real date-time") from None
    return value


Timestamp = Annotated[AwareDatetime, BeforeValidator(_rfc3339_date_time)]
"""A moment with its UTC offset, written as RFC 3339 (``2024-05-01T10:00:00+03:00``)."""

ShortText = Annotated[str, Field(min_length=1, max_length=500)]
Narrative = Annotated[
    str,
    Field(
        min_length=1,
        max_length=20000,
        description=(
            "Confidential free text. It may contain identifying details, so every export profile redacts "
            "or removes it."
        ),
    ),
]


def codelist(name: str, description: str, **kwargs: Any) -> Any:
    """A ``Field`` whose published schema names the code list its values come from."""
    extra = dict(kwargs.pop("json_schema_extra", {}) or {})
    extra["codelist"] = name
    return Field(description=description, json_schema_extra=extra, **kwargs)


def document_marker(name: str) -> Any:
    """The ``document_type`` field of a document model: the constant ``name``, written on every dump.

    Optional on input (documents of standard 1.0 have no marker); its default makes every model crsvdata
    writes carry it, so an integrator can tell the kinds apart by one member (``const`` in the schema).
    """
    return Field(
        default=name,
        description=(
            f"The kind of document: always '{name}'. Optional on input (1.0 documents lack it); "
            "crsvdata writes it on every document, so readers can dispatch on it."
        ),
    )
