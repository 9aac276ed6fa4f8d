"""Hypothesis strategies for synthetic identity records.

The names are invented and meant to be recognisable as such by a Ukrainian reader: family names are
built on words like "тест" (test), "приклад" (example) and "вигадка" (invention), so that nobody could
take a fixture for a real person, while the records keep realistic Ukrainian shapes (family name, given
name, patronymic; Cyrillic; documents with valid check digits).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from hypothesis import strategies as st

from crsvdata.models import (
    Address,
    ForeignPassportDocument,
    IdCardDocument,
    IdentityDocument,
    IdentityRecord,
    PassportBookletDocument,
    PersonName,
    RnokppDocument,
    UnzrDocument,
)
from crsvdata.testing.identifiers import (
    foreign_passport_numbers,
    id_card_numbers,
    katotth_codes,
    passport_booklet_numbers,
    phone_numbers_ua,
    rnokpps,
    unzrs,
)

SYNTHETIC_FAMILY_NAMES = ("Тестенко", "Прикладенко", "Вигаданенко", "Зразкова", "Тестовий", "Макетенко")
SYNTHETIC_GIVEN_NAMES = ("Тестана", "Прикладина", "Вигадан", "Зразок", "Тестомир", "Макетина")
SYNTHETIC_PATRONYMICS = ("Тестович", "Прикладівна", "Вигаданович", "Зразківна")
SYNTHETIC_SETTLEMENTS = ("Тестове", "Прикладне", "Вигаданівка")


def person_names() -> st.SearchStrategy[PersonName]:
    """A synthetic Ukrainian name."""
    return st.builds(
        PersonName,
        family_name=st.sampled_from(SYNTHETIC_FAMILY_NAMES),
        given_name=st.sampled_from(SYNTHETIC_GIVEN_NAMES),
        patronymic=st.none() | st.sampled_from(SYNTHETIC_PATRONYMICS),
    )


def documents() -> st.SearchStrategy[IdentityDocument]:
    """One identity document of any supported type."""
    return st.one_of(
        st.builds(RnokppDocument, type=st.just("rnokpp"), number=rnokpps()),
        st.builds(UnzrDocument, type=st.just("unzr"), number=unzrs()),
        st.builds(
            PassportBookletDocument, type=st.just("passport_booklet"), number=passport_booklet_numbers()
        ),
        st.builds(IdCardDocument, type=st.just("id_card"), number=id_card_numbers()),
        st.builds(
            ForeignPassportDocument, type=st.just("foreign_passport"), number=foreign_passport_numbers()
        ),
    )


def identity_records(
    survivor_ref: str | None = None, holder: str = "unfpa"
) -> st.SearchStrategy[IdentityRecord]:
    """A synthetic identity record, linked to a case through ``survivor_ref``."""
    refs = (
        st.just(survivor_ref) if survivor_ref else st.integers(1, 999_999).map(lambda n: f"SYN-SURV-{n:06d}")
    )

    @st.composite
    def build(draw: st.DrawFn) -> IdentityRecord:
        recorded_day = draw(st.dates(date(2022, 3, 1), date(2026, 6, 30)))
        return IdentityRecord(
            survivor_ref=draw(refs),
            holder_organisation=holder,
            recorded_at=datetime.combine(recorded_day, time(9, 30), UTC),
            name=draw(person_names()),
            other_names=draw(st.none() | st.lists(person_names(), min_size=1, max_size=2)),
            date_of_birth=draw(st.none() | st.dates(date(1940, 1, 1), date(2020, 12, 31))),
            documents=draw(st.none() | st.lists(documents(), min_size=1, max_size=3)),
            phones=draw(st.none() | st.lists(phone_numbers_ua(), min_size=1, max_size=2, unique=True)),
            emails=draw(st.none() | st.integers(1, 9999).map(lambda n: [f"synthetic.person{n}@example.org"])),
            address=draw(
                st.none()
                | st.builds(
                    Address,
                    katotth=st.none() | katotth_codes(),
                    settlement=st.none() | st.sampled_from(SYNTHETIC_SETTLEMENTS),
                    street_address=st.none() | st.integers(1, 200).map(lambda n: f"вул. Тестова, {n}"),
                )
            ),
        )

    return build()
