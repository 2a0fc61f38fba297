"""The directory's REST API: authentication, reads, the one permission policy on
writes, strict input, councils, the OpenAPI schema and query counts."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hamseda.conftest import PASSWORD
from hamseda.core.models import AuditEvent
from hamseda.core.policy import Role
from hamseda.directory.models import (
    Agency,
    AgencyAlias,
    AgencyKind,
    CouncilMembership,
    MembershipRole,
    Office,
    Person,
)
from hamseda.directory.tests.factories import AgencyFactory, OfficeFactory, province

API = "/api/v1"
RAILWAY = "اداره کل راه‌آهن منطقه اصفهان"  # the member office's agency in `world`
ROADS_ISFAHAN = "اداره کل راه و شهرسازی استان اصفهان"
ROADS_FARS = "اداره کل راه و شهرسازی استان فارس"
GOVERNORATE = "استانداری اصفهان"
MINISTRY = "مرکز ارتباطات و اطلاع‌رسانی وزارت راه و شهرسازی"
UNKNOWN_FIELD = "این فیلد شناخته‌شده نیست."


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def api_as(api):
    """``api_as(person)``: the API client, authenticated as that person."""

    def sign_in(person: Person) -> APIClient:
        api.force_authenticate(person)
        return api

    return sign_in


def new_agency_body(**overrides):
    body = {
        "name": "اداره کل منابع طبیعی و آبخیزداری استان اصفهان",
        "kind": AgencyKind.PROVINCIAL_DIRECTORATE,
        "province": "isfahan",
    }
    body.update(overrides)
    return body


def names(response) -> list[str]:
    return [agency["name"] for agency in response.json()["results"]]


def isfahan_office(name: str) -> Office:
    """A PR office of a new Isfahan agency that is not yet on the council."""
    return OfficeFactory(agency=AgencyFactory(name=name, province=province("isfahan")))


# --- authentication ------------------------------------------------------------------


def test_token_endpoint_returns_the_persons_token_for_a_right_password(api, world):
    # when
    response = api.post(
        f"{API}/auth/token/", {"username": "chair", "password": PASSWORD}, format="json"
    )

    # then
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=world.chair).key}


def test_token_endpoint_refuses_a_wrong_password_and_issues_no_token(api, world):
    response = api.post(
        f"{API}/auth/token/", {"username": "chair", "password": "wrong-password"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert not Token.objects.filter(user=world.chair).exists()


def test_token_endpoint_is_locked_after_repeated_failures_like_the_login_page(api, world):
    # given: as many wrong passwords as django-axes allows
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post(f"{API}/auth/token/", {"username": "chair", "password": "guess"}, format="json")

    # when: the right password comes next
    response = api.post(
        f"{API}/auth/token/", {"username": "chair", "password": PASSWORD}, format="json"
    )

    # then
    assert response.status_code == 400
    assert not Token.objects.filter(user=world.chair).exists()


def test_token_authenticates_the_me_endpoint(api, world):
    # given
    token = api.post(
        f"{API}/auth/token/", {"username": "rail", "password": PASSWORD}, format="json"
    ).json()["token"]

    # when
    response = api.get(f"{API}/me/", HTTP_AUTHORIZATION=f"Token {token}")

    # then
    assert response.status_code == 200
    me = response.json()
    assert me["id"] == world.member_staff.pk
    assert me["username"] == "rail"
    assert me["role"] == Role.OFFICE_STAFF
    assert me["office"] == world.member_office.pk
    assert "password" not in me


def test_session_from_the_login_page_authenticates_the_api(api, world):
    # given
    login = api.post("/accounts/login/", {"username": "chair", "password": PASSWORD})
    assert login.status_code == 302

    # when
    response = api.get(f"{API}/me/")

    # then
    assert response.status_code == 200
    assert response.json()["username"] == "chair"


@pytest.mark.parametrize(
    "path",
    ["/me/", "/provinces/", "/agencies/", "/offices/", "/councils/", "/people/"],
)
def test_anonymous_request_is_refused_with_403(api, world, path):
    # DRF answers 403, not 401, because its first authentication class
    # (SessionAuthentication) sends no WWW-Authenticate header.
    response = api.get(f"{API}{path}")

    assert response.status_code == 403
    assert response.json() == {"detail": "اطلاعات برای اعتبارسنجی ارسال نشده است."}


def test_anonymous_write_is_refused_and_creates_nothing(api, world):
    before = Agency.objects.count()

    response = api.post(f"{API}/agencies/", new_agency_body(), format="json")

    assert response.status_code == 403
    assert Agency.objects.count() == before


def test_unknown_token_is_refused_with_403(api, world):
    response = api.get(f"{API}/me/", HTTP_AUTHORIZATION="Token " + "0" * 40)

    assert response.status_code == 403


def test_token_of_a_deactivated_person_no_longer_authenticates(api, world):
    # given
    token = Token.objects.create(user=world.staff)
    Person.objects.filter(pk=world.staff.pk).update(is_active=False)

    # when
    response = api.get(f"{API}/me/", HTTP_AUTHORIZATION=f"Token {token.key}")

    # then
    assert response.status_code == 403


def test_session_write_without_csrf_token_is_refused(world):
    # given: a browser session, and a client that enforces CSRF like a browser
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(world.chair)

    # when
    response = browser.post(f"{API}/agencies/", new_agency_body(), format="json")

    # then
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Agency.objects.filter(name=new_agency_body()["name"]).exists()


def test_token_write_needs_no_csrf_token(world):
    # given
    token = Token.objects.create(user=world.chair)
    client = APIClient(enforce_csrf_checks=True)

    # when
    response = client.post(
        f"{API}/agencies/",
        new_agency_body(),
        format="json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )

    # then
    assert response.status_code == 201


# --- directory reads -----------------------------------------------------------------


def test_provinces_list_has_all_31_provinces_with_their_councils(api_as, world):
    response = api_as(world.staff).get(f"{API}/provinces/")

    assert response.status_code == 200
    provinces = {p["code"]: p for p in response.json()}
    assert len(response.json()) == 31
    assert len(provinces) == 31
    assert {"isfahan", "fars", "yazd", "tehran"} <= set(provinces)
    assert provinces["isfahan"]["name"] == "اصفهان"
    assert provinces["isfahan"]["council_id"] == world.isfahan_council.pk
    assert provinces["fars"]["council_id"] == world.fars_council.pk
    assert provinces["yazd"]["council_id"] is None


def test_province_detail_is_found_by_code_and_unknown_code_is_404(api_as, world):
    client = api_as(world.evaluator)

    fars = client.get(f"{API}/provinces/fars/")
    missing = client.get(f"{API}/provinces/atlantis/")

    assert fars.status_code == 200
    assert fars.json()["name"] == "فارس"
    assert fars.json()["council_id"] == world.fars_council.pk
    assert missing.status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "راه‌آهن",  # half-space, as the agency writes it
        "راه آهن",  # space
        "راهآهن",  # joined
        "راه اهن",  # space, alef without madda
        "راهاهن",
        "راه‌آهن منطقه اصفهان",
        "اداره كل راه‌آهن",  # Arabic kaf
        "  راه\u200c\u200cآهن  ",  # doubled half-space and stray spaces
    ],
)
def test_agency_search_finds_the_railway_under_any_spelling(api_as, world, query):
    response = api_as(world.staff).get(f"{API}/agencies/", {"q": query})

    assert response.status_code == 200
    assert names(response) == [RAILWAY]
    assert response.json()["count"] == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("استانداري", {GOVERNORATE}),  # Arabic yeh
        ("راه و شهرسازي", {ROADS_ISFAHAN, ROADS_FARS, MINISTRY}),
        ("شهرسازی فارس", {ROADS_FARS}),
        ("اطلاع رسانی", {MINISTRY}),
        ("مخابرات", set()),
    ],
)
def test_agency_search_needs_every_word_in_any_spelling(api_as, world, query, expected):
    response = api_as(world.staff).get(f"{API}/agencies/", {"q": query})

    assert set(names(response)) == expected


def test_agency_search_finds_an_agency_by_its_alias(api_as, world):
    # given
    client = api_as(world.chair)
    created = client.post(
        f"{API}/agencies/",
        new_agency_body(aliases=["منابع طبیعی اصفهان", "آبخیزداری"]),
        format="json",
    )
    assert created.status_code == 201

    # when
    response = client.get(f"{API}/agencies/", {"q": "منابع طبيعي"})

    # then
    assert names(response) == [new_agency_body()["name"]]
    assert sorted(response.json()["results"][0]["aliases"]) == ["آبخیزداری", "منابع طبیعی اصفهان"]


@pytest.mark.parametrize(
    ("province_code", "expected"),
    [
        ("fars", {ROADS_FARS}),
        ("isfahan", {ROADS_ISFAHAN, RAILWAY, GOVERNORATE}),
        ("national", {MINISTRY}),
        ("yazd", set()),
        ("atlantis", set()),
    ],
)
def test_agency_list_filters_by_province_code_or_national(api_as, world, province_code, expected):
    response = api_as(world.staff).get(f"{API}/agencies/", {"province": province_code})

    assert response.status_code == 200
    assert set(names(response)) == expected
    assert response.json()["count"] == len(expected)


def test_agency_list_combines_search_province_and_kind(api_as, world):
    client = api_as(world.staff)

    roads_in_isfahan = client.get(f"{API}/agencies/", {"q": "راه", "province": "isfahan"})
    governorates = client.get(f"{API}/agencies/", {"kind": AgencyKind.GOVERNORATE})

    assert set(names(roads_in_isfahan)) == {ROADS_ISFAHAN, RAILWAY}
    assert names(governorates) == [GOVERNORATE]


def test_agency_list_leaves_out_inactive_agencies(api_as, world):
    AgencyFactory(name="اداره کل منحل‌شده اصفهان", is_active=False)

    response = api_as(world.staff).get(f"{API}/agencies/", {"q": "منحل"})

    assert response.json()["count"] == 0


def test_agency_list_is_paginated_with_count_and_links(api_as, world):
    client = api_as(world.staff)

    first = client.get(f"{API}/agencies/", {"limit": 2})
    last = client.get(f"{API}/agencies/", {"limit": 2, "offset": 4})

    body = first.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert "limit=2" in body["next"]
    assert "offset=2" in body["next"]
    assert body["previous"] is None
    assert last.json()["count"] == 5
    assert len(last.json()["results"]) == 1
    assert last.json()["next"] is None
    every_name = names(first) + names(client.get(f"{API}/agencies/", {"offset": 2}))
    assert sorted(every_name) == sorted([ROADS_ISFAHAN, RAILWAY, GOVERNORATE, ROADS_FARS, MINISTRY])


def test_agency_detail_shows_its_office_and_province(api_as, world):
    agency = world.member_office.agency

    response = api_as(world.evaluator).get(f"{API}/agencies/{agency.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == RAILWAY
    assert body["province"] == "isfahan"
    assert body["office_id"] == world.member_office.pk
    assert body["kind"] == AgencyKind.PROVINCIAL_DIRECTORATE


def test_missing_agency_is_404(api_as, world):
    response = api_as(world.staff).get(f"{API}/agencies/999999/")

    assert response.status_code == 404
    assert response.json() == {"detail": "یافت نشد."}


def test_office_list_filters_by_province_id(api_as, world):
    response = api_as(world.staff).get(f"{API}/offices/", {"province": province("fars").pk})

    assert [o["id"] for o in response.json()["results"]] == [world.fars_office.pk]
    assert response.json()["results"][0]["province"] == "fars"


# --- writes obey the policy ----------------------------------------------------------


def test_isfahan_chair_creates_an_agency_in_isfahan_with_its_office_and_an_audit_row(api_as, world):
    # when
    response = api_as(world.chair).post(f"{API}/agencies/", new_agency_body(), format="json")

    # then
    assert response.status_code == 201
    body = response.json()
    agency = Agency.objects.get(pk=body["id"])
    assert agency.name == new_agency_body()["name"]
    assert agency.province.code == "isfahan"
    assert body["province"] == "isfahan"
    assert body["office_id"] == agency.office.pk
    assert agency.office.name == f"روابط عمومی {agency.name}"
    event = AuditEvent.objects.get(event="agency_created", target_id=str(agency.pk))
    assert event.actor == world.chair
    assert event.province_id == province("isfahan").pk
    assert event.changes["name"] == [None, agency.name]


def test_created_agency_name_is_stored_normalised(api_as, world):
    response = api_as(world.chair).post(
        f"{API}/agencies/",
        new_agency_body(name="  اداره كل   منابع طبيعي استان اصفهان "),
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["name"] == "اداره کل منابع طبیعی استان اصفهان"


def test_isfahan_chair_cannot_create_an_agency_in_fars(api_as, world):
    before = Agency.objects.count()

    response = api_as(world.chair).post(
        f"{API}/agencies/", new_agency_body(province="fars"), format="json"
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "شما اجازه این کار را ندارید."}
    assert Agency.objects.count() == before
    assert not AuditEvent.objects.filter(event="agency_created").exists()


def test_isfahan_chair_cannot_create_a_national_agency(api_as, world):
    response = api_as(world.chair).post(
        f"{API}/agencies/", new_agency_body(province=None), format="json"
    )

    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["staff", "member_staff", "partner", "evaluator"])
def test_office_people_cannot_create_agencies(api_as, world, persona):
    before = Agency.objects.count()

    response = api_as(getattr(world, persona)).post(
        f"{API}/agencies/", new_agency_body(), format="json"
    )

    assert response.status_code == 403
    assert Agency.objects.count() == before


def test_ministry_centre_creates_an_agency_in_any_province(api_as, world):
    response = api_as(world.ministry).post(
        f"{API}/agencies/", new_agency_body(province="fars"), format="json"
    )

    assert response.status_code == 201
    assert response.json()["province"] == "fars"


def test_staff_edits_their_own_office_and_the_change_is_audited(api_as, world):
    # when
    response = api_as(world.staff).patch(
        f"{API}/offices/{world.chair_office.pk}/",
        {"phone": "031-36270000", "email": "pr@example.ir"},
        format="json",
    )

    # then
    assert response.status_code == 200
    assert response.json()["phone"] == "031-36270000"
    world.chair_office.refresh_from_db()
    assert world.chair_office.email == "pr@example.ir"
    event = AuditEvent.objects.get(event="office_updated")
    assert event.actor == world.staff
    assert event.changes["phone"] == ["", "031-36270000"]


def test_staff_cannot_edit_the_fellow_member_office(api_as, world):
    response = api_as(world.staff).patch(
        f"{API}/offices/{world.member_office.pk}/", {"phone": "021-0"}, format="json"
    )

    assert response.status_code == 403
    world.member_office.refresh_from_db()
    assert world.member_office.phone == ""
    assert not AuditEvent.objects.filter(event="office_updated").exists()


def test_chair_edits_a_fellow_member_office_but_not_one_in_fars(api_as, world):
    client = api_as(world.chair)

    member = client.patch(
        f"{API}/offices/{world.member_office.pk}/", {"phone": "031-1"}, format="json"
    )
    fars = client.patch(f"{API}/offices/{world.fars_office.pk}/", {"phone": "071-1"}, format="json")

    assert member.status_code == 200
    assert fars.status_code == 403


def test_ministry_centre_edits_offices_agencies_and_councils_anywhere(api_as, world):
    client = api_as(world.ministry)

    office = client.patch(
        f"{API}/offices/{world.fars_office.pk}/", {"phone": "071-2"}, format="json"
    )
    agency = client.patch(
        f"{API}/agencies/{world.chair_office.agency.pk}/",
        {"short_name": "راه و شهرسازی اصفهان"},
        format="json",
    )
    council = client.patch(
        f"{API}/councils/{world.fars_council.pk}/", {"description": "جلسات ماهانه"}, format="json"
    )

    assert (office.status_code, agency.status_code, council.status_code) == (200, 200, 200)
    assert office.json()["phone"] == "071-2"
    assert agency.json()["short_name"] == "راه و شهرسازی اصفهان"
    assert council.json()["description"] == "جلسات ماهانه"


def test_chair_edits_an_isfahan_agency_but_not_a_fars_one(api_as, world):
    client = api_as(world.chair)

    isfahan = client.patch(
        f"{API}/agencies/{world.member_office.agency.pk}/",
        {"website": "https://rai.ir"},
        format="json",
    )
    fars = client.patch(
        f"{API}/agencies/{world.fars_office.agency.pk}/",
        {"website": "https://fars.ir"},
        format="json",
    )

    assert isfahan.status_code == 200
    assert isfahan.json()["website"] == "https://rai.ir"
    assert fars.status_code == 403
    assert Agency.objects.get(pk=world.fars_office.agency.pk).website == ""


def test_chair_cannot_move_an_isfahan_agency_to_fars(api_as, world):
    agency = world.member_office.agency

    response = api_as(world.chair).patch(
        f"{API}/agencies/{agency.pk}/", {"province": "fars"}, format="json"
    )

    assert response.status_code == 403
    agency.refresh_from_db()
    assert agency.province.code == "isfahan"


def test_chair_creates_staff_for_a_member_office(api_as, world):
    response = api_as(world.chair).post(
        f"{API}/people/",
        {
            "username": "rail2",
            "first_name": "مریم",
            "last_name": "کاظمی",
            "office": world.member_office.pk,
            "role": Role.OFFICE_STAFF,
            "password": "Qw3rty-Esfahan-1404",
        },
        format="json",
    )

    assert response.status_code == 201
    assert "password" not in response.json()
    person = Person.objects.get(username="rail2")
    assert person.office == world.member_office
    assert person.check_password("Qw3rty-Esfahan-1404")
    assert AuditEvent.objects.get(event="person_created").actor == world.chair


def test_chair_cannot_create_a_ministry_centre_user(api_as, world):
    response = api_as(world.chair).post(
        f"{API}/people/",
        {
            "username": "fake-ministry",
            "first_name": "علی",
            "last_name": "رضایی",
            "office": world.chair_office.pk,
            "role": Role.MINISTRY_CENTRE,
            "password": "Qw3rty-Esfahan-1404",
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["role"]
    assert not Person.objects.filter(username="fake-ministry").exists()


def test_chair_cannot_create_a_user_in_a_fars_office(api_as, world):
    response = api_as(world.chair).post(
        f"{API}/people/",
        {
            "username": "fars-staff",
            "first_name": "علی",
            "last_name": "رضایی",
            "office": world.fars_office.pk,
            "role": Role.OFFICE_STAFF,
            "password": "Qw3rty-Esfahan-1404",
        },
        format="json",
    )

    assert response.status_code == 403
    assert not Person.objects.filter(username="fars-staff").exists()


def test_chair_cannot_see_people_of_fars(api_as, world):
    client = api_as(world.chair)

    detail = client.get(f"{API}/people/{world.fars_chair.pk}/")
    listed = client.get(f"{API}/people/", {"limit": 100})

    assert detail.status_code == 404
    usernames = {p["username"] for p in listed.json()["results"]}
    assert usernames == {"chair", "secretary", "staff", "rail", "partner"}
    assert listed.json()["count"] == 5


def test_chair_sees_a_person_of_a_fellow_member_office(api_as, world):
    response = api_as(world.chair).get(f"{API}/people/{world.member_staff.pk}/")

    assert response.status_code == 200
    assert response.json()["username"] == "rail"


def test_evaluator_sees_only_the_people_of_their_own_office(api_as, world):
    client = api_as(world.evaluator)

    listed = client.get(f"{API}/people/")
    isfahan_person = client.get(f"{API}/people/{world.chair.pk}/")
    themselves = client.get(f"{API}/people/{world.evaluator.pk}/")

    assert {p["username"] for p in listed.json()["results"]} == {"evaluator", "fars-chair"}
    assert isfahan_person.status_code == 404
    assert themselves.status_code == 200


def test_ministry_centre_sees_people_of_every_province(api_as, world):
    response = api_as(world.ministry).get(f"{API}/people/", {"limit": 100})

    assert response.json()["count"] == Person.objects.count() == 9


def test_person_list_filters_by_office_and_role(api_as, world):
    client = api_as(world.chair)

    of_office = client.get(f"{API}/people/", {"office": world.chair_office.pk})
    secretaries = client.get(f"{API}/people/", {"role": Role.COUNCIL_SECRETARY})

    assert {p["username"] for p in of_office.json()["results"]} == {
        "chair",
        "secretary",
        "staff",
    }
    assert [p["username"] for p in secretaries.json()["results"]] == ["secretary"]


# --- bad input -----------------------------------------------------------------------


def test_unknown_fields_are_a_400_naming_each_unknown_field(api_as, world):
    before = Agency.objects.count()

    response = api_as(world.chair).post(
        f"{API}/agencies/",
        new_agency_body(emial="pr@example.ir", colour="blue"),
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"colour": [UNKNOWN_FIELD], "emial": [UNKNOWN_FIELD]}
    assert Agency.objects.count() == before


def test_unknown_field_in_an_office_patch_is_a_400_and_changes_nothing(api_as, world):
    response = api_as(world.staff).patch(
        f"{API}/offices/{world.chair_office.pk}/",
        {"phone": "031-5", "emial": "pr@example.ir"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"emial": [UNKNOWN_FIELD]}
    world.chair_office.refresh_from_db()
    assert world.chair_office.phone == ""


def test_password_cannot_be_set_through_a_person_patch(api_as, world):
    response = api_as(world.chair).patch(
        f"{API}/people/{world.staff.pk}/", {"password": "new-pass-1404"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"password": [UNKNOWN_FIELD]}
    world.staff.refresh_from_db()
    assert world.staff.check_password(PASSWORD)


def test_is_active_is_refused_when_creating_an_agency_instead_of_being_dropped(api_as, world):
    # A new agency is always active; silently ignoring "is_active": false would
    # let the client believe it had created an inactive one.
    response = api_as(world.chair).post(
        f"{API}/agencies/", new_agency_body(is_active=False), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"is_active": [UNKNOWN_FIELD]}
    assert not Agency.objects.filter(name=new_agency_body()["name"]).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", 5),
        ("kind", "ministry"),
        ("province", 123),
        ("province", "atlantis"),
        ("name", {"fa": "اداره"}),
        ("name", ""),
        ("parent", "x"),
        ("parent", 999999),
        ("parent", 10**20),
        ("aliases", "راه‌آهن"),
        ("website", "not a url"),
    ],
)
def test_agency_with_a_wrong_type_is_a_400_on_that_field(api_as, world, field, value):
    before = Agency.objects.count()

    response = api_as(world.chair).post(
        f"{API}/agencies/", new_agency_body(**{field: value}), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert Agency.objects.count() == before


@pytest.mark.parametrize("value", ["1404/12/30", "not-a-date", "2025-02-30", 5])
def test_council_established_on_must_be_an_iso_date(api_as, world, value):
    response = api_as(world.chair).patch(
        f"{API}/councils/{world.isfahan_council.pk}/", {"established_on": value}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["established_on"]
    world.isfahan_council.refresh_from_db()
    assert world.isfahan_council.established_on is None


def test_council_established_on_is_saved_and_shown_in_jalali(api_as, world):
    response = api_as(world.chair).patch(
        f"{API}/councils/{world.isfahan_council.pk}/",
        {"established_on": "2025-03-21"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["established_on"] == "2025-03-21"
    assert response.json()["established_on_jalali"] == "1404/01/01"


@pytest.mark.parametrize("value", ["x", 0, 1000, 2.5])
def test_membership_position_must_be_a_whole_number_from_1_to_999(api_as, world, value):
    office = isfahan_office("اداره کل میراث فرهنگی استان اصفهان")

    response = api_as(world.chair).post(
        f"{API}/councils/{world.isfahan_council.pk}/members/",
        {"office": office.pk, "role": MembershipRole.MEMBER, "position": value},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["position"]
    assert not CouncilMembership.objects.filter(office=office).exists()


def test_office_patch_with_a_bad_email_and_a_non_boolean_is_a_400_on_both(api_as, world):
    response = api_as(world.staff).patch(
        f"{API}/offices/{world.chair_office.pk}/",
        {"email": "not-an-email", "is_active": "maybe"},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"email", "is_active"}


def test_duplicate_agency_name_in_the_same_province_is_a_400_on_name(api_as, world):
    response = api_as(world.chair).post(
        f"{API}/agencies/", new_agency_body(name=RAILWAY), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"name": ["دستگاهی با همین نام در این استان ثبت شده است."]}
    assert Agency.objects.filter(name=RAILWAY).count() == 1


@pytest.mark.parametrize(
    "spelling",
    ["اداره كل راه آهن منطقه اصفهان", "اداره کل راهآهن  منطقه اصفهان"],
)
def test_duplicate_agency_name_is_caught_under_another_spelling(api_as, world, spelling):
    response = api_as(world.chair).post(
        f"{API}/agencies/", new_agency_body(name=spelling), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["name"]


def test_same_agency_name_in_another_province_is_allowed(api_as, world):
    response = api_as(world.ministry).post(
        f"{API}/agencies/", new_agency_body(name=RAILWAY, province="yazd"), format="json"
    )

    assert response.status_code == 201
    assert Agency.objects.filter(name=RAILWAY).count() == 2


def test_renaming_an_agency_onto_another_name_in_its_province_is_a_400(api_as, world):
    response = api_as(world.chair).patch(
        f"{API}/agencies/{world.partner_office.agency.pk}/", {"name": RAILWAY}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["name"]
    assert Agency.objects.get(pk=world.partner_office.agency.pk).name == GOVERNORATE


def test_malformed_json_body_is_a_400(api_as, world):
    response = api_as(world.chair).post(
        f"{API}/agencies/", data='{"name": "x",', content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


@pytest.mark.parametrize("body", ["[1, 2]", '"اداره"', "42"])
def test_json_body_that_is_not_an_object_is_a_400(api_as, world, body):
    response = api_as(world.chair).post(
        f"{API}/agencies/", data=body, content_type="application/json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


@pytest.mark.parametrize(
    ("path", "param"),
    [("/offices/", "province"), ("/people/", "office")],
)
@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "-99999999999999999999"])
def test_filter_id_that_is_not_a_usable_integer_is_a_400_not_a_500(
    api_as, world, path, param, value
):
    response = api_as(world.chair).get(f"{API}{path}", {param: value})

    assert response.status_code == 400
    assert list(response.json()) == [param]


def test_huge_id_in_the_url_is_a_404(api_as, world):
    client = api_as(world.chair)
    huge = "99999999999999999999"

    statuses = [
        client.get(f"{API}/agencies/{huge}/").status_code,
        client.get(f"{API}/people/{huge}/").status_code,
        client.delete(f"{API}/councils/{world.isfahan_council.pk}/members/{huge}/").status_code,
    ]

    assert statuses == [404, 404, 404]


def test_weak_password_for_a_new_person_is_a_400_on_password(api_as, world):
    response = api_as(world.chair).post(
        f"{API}/people/",
        {
            "username": "weak",
            "first_name": "علی",
            "last_name": "رضایی",
            "office": world.chair_office.pk,
            "role": Role.OFFICE_STAFF,
            "password": "123",
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    assert len(response.json()["password"]) >= 2  # too short, and entirely numeric
    assert not Person.objects.filter(username="weak").exists()


# --- councils ------------------------------------------------------------------------


def test_council_detail_lists_its_members_with_their_roles(api_as, world):
    response = api_as(world.member_staff).get(f"{API}/councils/{world.isfahan_council.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["province"] == "isfahan"
    members = {m["office"]: (m["role"], m["office_name"]) for m in body["members"]}
    assert members == {
        world.chair_office.pk: (MembershipRole.CHAIR, world.chair_office.name),
        world.member_office.pk: (MembershipRole.MEMBER, world.member_office.name),
        world.partner_office.pk: (MembershipRole.PARTNER, world.partner_office.name),
    }


def test_council_list_shows_both_councils(api_as, world):
    response = api_as(world.evaluator).get(f"{API}/councils/")

    assert {c["province"]: len(c["members"]) for c in response.json()} == {
        "isfahan": 3,
        "fars": 1,
    }


def test_chair_adds_an_isfahan_office_to_the_council(api_as, world):
    # given
    office = isfahan_office("اداره کل میراث فرهنگی استان اصفهان")

    # when
    response = api_as(world.chair).post(
        f"{API}/councils/{world.isfahan_council.pk}/members/",
        {"office": office.pk, "role": MembershipRole.MEMBER, "position": 4},
        format="json",
    )

    # then
    assert response.status_code == 201
    assert response.json()["office"] == office.pk
    assert response.json()["role"] == MembershipRole.MEMBER
    assert response.json()["position"] == 4
    membership = CouncilMembership.objects.get(council=world.isfahan_council, office=office)
    assert membership.role == MembershipRole.MEMBER
    event = AuditEvent.objects.get(event="council_member_added")
    assert event.actor == world.chair


def test_chair_cannot_add_an_office_of_another_province(api_as, world):
    response = api_as(world.chair).post(
        f"{API}/councils/{world.isfahan_council.pk}/members/",
        {"office": world.fars_office.pk, "role": MembershipRole.MEMBER},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["office"]
    assert not world.isfahan_council.memberships.filter(office=world.fars_office).exists()


def test_an_office_cannot_join_the_council_twice(api_as, world):
    response = api_as(world.chair).post(
        f"{API}/councils/{world.isfahan_council.pk}/members/",
        {"office": world.member_office.pk, "role": MembershipRole.PARTNER},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["office"]
    assert world.isfahan_council.memberships.get(office=world.member_office).role == "member"


def test_a_second_chair_cannot_be_added_through_the_api(api_as, world):
    office = isfahan_office("اداره کل میراث فرهنگی استان اصفهان")

    response = api_as(world.chair).post(
        f"{API}/councils/{world.isfahan_council.pk}/members/",
        {"office": office.pk, "role": MembershipRole.CHAIR},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["role"]


def test_office_staff_cannot_add_council_members(api_as, world):
    office = isfahan_office("اداره کل میراث فرهنگی استان اصفهان")

    response = api_as(world.staff).post(
        f"{API}/councils/{world.isfahan_council.pk}/members/",
        {"office": office.pk, "role": MembershipRole.MEMBER},
        format="json",
    )

    assert response.status_code == 403
    assert not CouncilMembership.objects.filter(office=office).exists()


def test_fars_chair_cannot_add_members_to_the_isfahan_council(api_as, world):
    office = isfahan_office("اداره کل میراث فرهنگی استان اصفهان")

    response = api_as(world.fars_chair).post(
        f"{API}/councils/{world.isfahan_council.pk}/members/",
        {"office": office.pk, "role": MembershipRole.MEMBER},
        format="json",
    )

    assert response.status_code == 403


def test_removing_the_chair_membership_is_refused(api_as, world):
    chair_membership = world.isfahan_council.memberships.get(role=MembershipRole.CHAIR)

    response = api_as(world.chair).delete(
        f"{API}/councils/{world.isfahan_council.pk}/members/{chair_membership.pk}/"
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["روابط عمومی رئیس شورا را نمی‌توان حذف کرد."]}
    assert CouncilMembership.objects.filter(pk=chair_membership.pk).exists()


def test_chair_removes_a_partner_membership(api_as, world):
    partner = world.isfahan_council.memberships.get(office=world.partner_office)

    response = api_as(world.chair).delete(
        f"{API}/councils/{world.isfahan_council.pk}/members/{partner.pk}/"
    )

    assert response.status_code == 204
    assert not CouncilMembership.objects.filter(pk=partner.pk).exists()
    assert AuditEvent.objects.get(event="council_member_removed").actor == world.chair


def test_membership_of_another_council_is_404_under_this_council(api_as, world):
    fars_membership = world.fars_council.memberships.get()

    response = api_as(world.ministry).delete(
        f"{API}/councils/{world.isfahan_council.pk}/members/{fars_membership.pk}/"
    )

    assert response.status_code == 404
    assert CouncilMembership.objects.filter(pk=fars_membership.pk).exists()


def test_council_secretary_from_another_province_is_a_400_on_secretary(api_as, world):
    response = api_as(world.chair).patch(
        f"{API}/councils/{world.isfahan_council.pk}/",
        {"secretary": world.evaluator.pk},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["secretary"]
    world.isfahan_council.refresh_from_db()
    assert world.isfahan_council.secretary is None


def test_chair_appoints_an_isfahan_person_as_secretary(api_as, world):
    response = api_as(world.chair).patch(
        f"{API}/councils/{world.isfahan_council.pk}/",
        {"secretary": world.secretary.pk},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["secretary"] == world.secretary.pk
    world.isfahan_council.refresh_from_db()
    assert world.isfahan_council.secretary == world.secretary
    assert AuditEvent.objects.get(event="council_updated").actor == world.chair


def test_chair_cannot_edit_the_fars_council(api_as, world):
    response = api_as(world.chair).patch(
        f"{API}/councils/{world.fars_council.pk}/", {"description": "x"}, format="json"
    )

    assert response.status_code == 403
    world.fars_council.refresh_from_db()
    assert world.fars_council.description == ""


# --- OpenAPI schema and docs ---------------------------------------------------------


def schema_of(client: APIClient) -> tuple[int, dict]:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    return response.status_code, response.json()


def test_schema_lists_the_directory_paths_for_a_signed_in_user(api_as, world):
    status, schema = schema_of(api_as(world.staff))

    assert status == 200
    assert schema["info"]["title"] == "Hamseda API"
    assert "/api/v1/agencies/" in schema["paths"]
    assert "/api/v1/people/{person_id}/" in schema["paths"]
    assert set(schema["paths"]["/api/v1/agencies/"]) == {"get", "post"}


def test_schema_is_served_to_anonymous_visitors_too(api, world):
    # SPECTACULAR_SETTINGS leaves SERVE_PERMISSIONS at AllowAny: the schema is
    # public (it describes the API, not its data).
    status, schema = schema_of(api)

    assert status == 200
    assert "/api/v1/people/{person_id}/" in schema["paths"]


def test_schema_describes_list_responses_as_the_paginated_envelope(api, world):
    _, schema = schema_of(api)

    for path in ("/api/v1/agencies/", "/api/v1/offices/", "/api/v1/people/"):
        get = schema["paths"][path]["get"]
        ref = get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        component = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert {"count", "results"} <= set(component["properties"]), path
        assert {"limit", "offset"} <= {p["name"] for p in get["parameters"]}, path


def test_schema_does_not_offer_is_active_when_creating_an_agency(api, world):
    _, schema = schema_of(api)

    post = schema["paths"]["/api/v1/agencies/"]["post"]
    ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    fields = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert "is_active" not in fields
    assert {"name", "kind", "province"} <= set(fields)


@pytest.mark.parametrize("signed_in", [True, False])
def test_api_docs_page_loads_only_local_static_files(api, world, signed_in):
    if signed_in:
        api.force_login(world.staff)

    response = api.get("/api/docs/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    links = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert any(link.endswith("swagger-ui-bundle.js") for link in links)
    assert links, "the page should load its script and styles"
    for link in links:
        assert link.startswith("/"), link
        assert not link.startswith("//"), link
    assert "http://" not in html
    assert "https://" not in html
    assert "/api/schema/" in html


# --- query counts --------------------------------------------------------------------


def make_agencies(count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        agency = AgencyFactory(name=f"اداره کل آزمون شماره {n}")
        OfficeFactory(agency=agency)
        AgencyAlias.objects.create(agency=agency, name=f"آزمون {n}")


def agency_list_queries(client: APIClient) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{API}/agencies/")
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("extra", [3, 30])
def test_agency_list_runs_a_bounded_number_of_queries(
    api, world, django_assert_max_num_queries, extra
):
    # given: a real session, so authentication is counted too
    make_agencies(extra)
    api.force_login(world.staff)

    # when / then: session, user, count, the page of agencies, their aliases
    with django_assert_max_num_queries(5):
        response = api.get(f"{API}/agencies/")
    assert response.json()["count"] == 5 + extra
    assert len(response.json()["results"]) == 5 + extra
    assert all(agency["office_id"] for agency in response.json()["results"])


def test_agency_list_queries_do_not_grow_with_the_number_of_agencies(api, world):
    api.force_login(world.staff)
    make_agencies(2)
    few = agency_list_queries(api)

    make_agencies(28, start=2)
    many = agency_list_queries(api)

    assert few == many


@pytest.mark.parametrize("extra", [3, 30])
def test_office_and_people_lists_run_a_bounded_number_of_queries(
    api, world, django_assert_max_num_queries, extra
):
    make_agencies(extra)
    api.force_login(world.ministry)

    # session, user, count, the page
    with django_assert_max_num_queries(4):
        offices = api.get(f"{API}/offices/")
    with django_assert_max_num_queries(4):
        people = api.get(f"{API}/people/")

    assert offices.json()["count"] == 5 + extra
    assert people.json()["count"] == 9
