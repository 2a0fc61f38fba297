"""Reads of the directory: Persian search, scoping, query counts."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.http import Http404

from hamseda.core import persian
from hamseda.directory import selectors
from hamseda.directory.models import Agency, AgencyKind
from hamseda.directory.selectors import AgencyFilters, PersonFilters
from hamseda.directory.tests.factories import AgencyFactory, OfficeFactory, province

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "isfahan-council.csv"


def _names() -> list[str]:
    with REFERENCE.open(encoding="utf-8") as handle:
        return [row["name_fa"] for row in csv.DictReader(handle)]


def _variants(name: str) -> list[str]:
    return [
        name.replace("ی", "ي").replace("ک", "ك"),
        name.replace("\u200c", " "),
        name.replace("\u200c", ""),
    ]


@pytest.fixture
def isfahan_agencies(world):
    for name in _names():
        if not Agency.objects.filter(name=persian.normalize(name)).exists():
            AgencyFactory(name=name, province=province("isfahan"))
    return Agency.objects.all()


@pytest.mark.parametrize("name", _names())
def test_every_reference_agency_is_found_by_any_spelling_of_its_name(world, isfahan_agencies, name):
    target = Agency.objects.get(name=persian.normalize(name))
    for query in _variants(name):
        found = selectors.agency_list(viewer=world.staff, filters=AgencyFilters(query=query))
        assert target in found, query


def test_search_by_some_words_in_any_order_and_by_alias(world, isfahan_agencies):
    railway = Agency.objects.get(name="اداره کل راه‌آهن منطقه اصفهان")
    railway.aliases.create(name="قطار اصفهان")
    found = selectors.agency_list(viewer=world.staff, filters=AgencyFilters(query="اصفهان راه اهن"))
    assert railway in found
    assert not found.filter(kind=AgencyKind.GOVERNORATE).exists()
    by_alias = selectors.agency_list(viewer=world.staff, filters=AgencyFilters(query="قطار"))
    assert list(by_alias) == [railway]


def test_agency_list_orders_in_persian_alphabet(world):
    for name in ["گروه آزمون", "کانون آزمون", "پایگاه آزمون", "بنیاد آزمون", "یگان آزمون"]:
        AgencyFactory(name=name, province=province("yazd"))
    names = [
        a.name
        for a in selectors.agency_list(
            viewer=world.staff, filters=AgencyFilters(province_id=province("yazd").pk)
        )
    ]
    assert names == ["بنیاد آزمون", "پایگاه آزمون", "کانون آزمون", "گروه آزمون", "یگان آزمون"]


def test_national_filter_lists_agencies_without_a_province(world):
    found = selectors.agency_list(viewer=world.staff, filters=AgencyFilters(national=True))
    assert list(found) == [world.ministry_office.agency]


def test_people_of_another_province_are_hidden_from_a_chair(world):
    listed = selectors.person_list(viewer=world.chair)
    assert world.member_staff in listed
    assert world.fars_chair not in listed
    with pytest.raises(Http404):
        selectors.person_get(viewer=world.chair, person_id=world.fars_chair.pk)
    assert selectors.person_get(viewer=world.ministry, person_id=world.fars_chair.pk)


def test_an_evaluator_sees_only_their_own_office_people_but_themselves_always(world):
    listed = set(selectors.person_list(viewer=world.evaluator))
    assert listed == {world.evaluator, world.fars_chair}
    assert selectors.person_get(viewer=world.evaluator, person_id=world.evaluator.pk)


def test_person_search_matches_names_with_arabic_letters(world):
    world.member_staff.first_name = "مریم"
    world.member_staff.last_name = "کیانی"
    world.member_staff.save()
    found = selectors.person_list(viewer=world.chair, filters=PersonFilters(query="كياني"))
    assert list(found) == [world.member_staff]


@pytest.mark.parametrize("count", [5, 40])
def test_agency_list_costs_the_same_queries_for_any_size(
    world, django_assert_max_num_queries, count
):
    for _ in range(count):
        OfficeFactory(agency=AgencyFactory(province=province("yazd")))
    with django_assert_max_num_queries(2):
        rows = [
            (a.name, a.province and a.province.name, a.office.name, a.get_kind_display())
            for a in selectors.agency_list(viewer=world.staff)
        ]
    assert len(rows) >= count


def test_council_list_loads_members_without_a_query_per_council(
    world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        rows = [
            (
                c.name,
                c.province.name,
                c.member_count,
                [m.office.agency.name for m in c.memberships.all()],
            )
            for c in selectors.council_list(viewer=world.staff)
        ]
    assert len(rows) == 2
