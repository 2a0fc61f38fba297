"""The directory's HTML pages: the same policy as the services, forms that keep input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from hamseda.core.models import AuditEvent
from hamseda.core.policy import Role
from hamseda.directory.models import Agency, Council, Person

pytestmark = pytest.mark.django_db


def test_every_directory_page_renders_for_each_persona(client, world):
    pages = [
        reverse("directory:province_list"),
        reverse("directory:province_detail", args=["isfahan"]),
        reverse("directory:agency_list"),
        reverse("directory:agency_detail", args=[world.member_office.agency_id]),
        reverse("directory:office_detail", args=[world.member_office.pk]),
        reverse("directory:council_list"),
        reverse("directory:council_detail", args=[world.isfahan_council.pk]),
    ]
    for persona in [
        world.chair,
        world.secretary,
        world.staff,
        world.partner,
        world.evaluator,
        world.ministry,
        world.admin,
    ]:
        client.force_login(persona)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, (persona.username, url)
            assert 'dir="rtl"' in response.content.decode()


def test_agency_search_answers_htmx_with_the_results_partial_only(client, world):
    client.force_login(world.staff)
    response = client.get(
        reverse("directory:agency_list"), {"q": "راه اهن"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="agency-results"' in html
    assert "اداره کل راه‌آهن منطقه اصفهان" in html
    assert "استانداری اصفهان" not in html


def test_council_edit_refuses_an_impossible_jalali_date_and_keeps_the_input(client, world):
    # given the chair on the council's edit form
    client.force_login(world.chair)
    url = reverse("directory:council_edit", args=[world.isfahan_council.pk])
    # when 1404/12/30 is sent (1404 is not a leap year)
    response = client.post(
        url, {"name": "شورای تازه‌نام", "established_on": "۱۴۰۴/۱۲/۳۰", "description": "متن آزمایشی"}
    )
    html = response.content.decode()
    # then the form comes back with the error beside the field and everything typed
    assert response.status_code == 200
    assert "is-invalid" in html
    assert 'value="۱۴۰۴/۱۲/۳۰"' in html
    assert 'value="شورای تازه‌نام"' in html
    assert "متن آزمایشی" in html
    assert Council.objects.get(pk=world.isfahan_council.pk).established_on is None
    # and the page still names the council as stored, not as typed
    assert f">{world.isfahan_council.name}</a>" in html


def test_council_edit_stores_the_gregorian_date_of_a_jalali_input(client, world):
    client.force_login(world.chair)
    url = reverse("directory:council_edit", args=[world.isfahan_council.pk])
    response = client.post(
        url,
        {
            "name": world.isfahan_council.name,
            "established_on": "1403/12/30",
            "secretary": world.secretary.pk,
        },
    )
    assert response.status_code == 302
    council = Council.objects.get(pk=world.isfahan_council.pk)
    assert council.established_on == dt.date(2025, 3, 20)
    assert council.secretary == world.secretary
    page = client.get(council.get_absolute_url()).content.decode()
    assert "۳۰ اسفند ۱۴۰۳" in page
    # and the change shows in the record's history, with Persian field names
    assert "سابقه تغییرات" in page
    assert "تاریخ تشکیل" in page


def test_history_is_hidden_from_those_who_may_not_see_it(client, world):
    from hamseda.directory import services

    services.office_update(actor=world.chair, office=world.member_office, phone="031-1")
    client.force_login(world.member_staff)
    assert "سابقه تغییرات" in client.get(world.member_office.get_absolute_url()).content.decode()
    client.force_login(world.staff)  # staff of another office of the same province
    assert (
        "سابقه تغییرات" not in client.get(world.member_office.get_absolute_url()).content.decode()
    )


def test_staff_cannot_open_the_edit_page_of_another_office(client, world):
    client.force_login(world.member_staff)
    assert (
        client.get(reverse("directory:office_edit", args=[world.chair_office.pk])).status_code
        == 403
    )
    assert (
        client.get(reverse("directory:office_edit", args=[world.member_office.pk])).status_code
        == 200
    )


def test_agency_create_form_keeps_input_on_a_duplicate_name(client, world):
    client.force_login(world.chair)
    response = client.post(
        reverse("directory:agency_create"),
        {
            "name": "اداره كل راه آهن منطقه اصفهان",
            "kind": "provincial_directorate",
            "province": world.member_office.agency.province_id,
            "aliases": "قطار اصفهان",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "دستگاهی با همین نام" in html
    assert "قطار اصفهان" in html
    assert Agency.objects.filter(province_id=world.member_office.agency.province_id).count() == 3


def test_chair_creates_an_agency_only_in_their_province(client, world):
    client.force_login(world.chair)
    form = client.get(reverse("directory:agency_create")).content.decode()
    assert "فارس" not in form  # the province list offers Isfahan only
    response = client.post(
        reverse("directory:agency_create"),
        {
            "name": "شرکت عمران شهر جدید مجلسی",
            "kind": "subsidiary_company",
            "province": world.member_office.agency.province_id,
        },
    )
    agency = Agency.objects.get(name="شرکت عمران شهر جدید مجلسی")
    assert response.status_code == 302
    assert response.url == agency.get_absolute_url()


def test_chair_adds_a_person_with_an_allowed_role_only(client, world):
    client.force_login(world.chair)
    url = reverse("directory:person_create")
    form = client.get(url).content.decode()
    assert 'value="ministry_centre"' not in form
    data = {
        "username": "new-staff",
        "first_name": "پریسا",
        "last_name": "نیک‌نام",
        "office": world.member_office.pk,
        "role": Role.OFFICE_STAFF,
        "password1": "a-good-pass-1404",
        "password2": "a-good-pass-1404x",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "دو گذرواژه یکسان نیستند" in response.content.decode()
    data["password2"] = data["password1"]
    response = client.post(url, data)
    person = Person.objects.get(username="new-staff")
    assert response.status_code == 302
    assert person.office == world.member_office
    assert AuditEvent.objects.filter(event="person_created", actor=world.chair).exists()


def test_people_of_another_province_are_404_for_a_chair(client, world):
    client.force_login(world.chair)
    assert client.get(world.fars_chair.get_absolute_url()).status_code == 404
    listing = client.get(reverse("directory:person_list")).content.decode()
    assert world.fars_chair.display_name not in listing
    assert world.member_staff.display_name in listing


def test_council_member_add_and_remove_through_the_page(client, world):
    from hamseda.directory.tests.factories import AgencyFactory, OfficeFactory, province

    office = OfficeFactory(
        agency=AgencyFactory(name="اداره کل هواشناسی استان اصفهان", province=province("isfahan"))
    )
    client.force_login(world.secretary)
    council = world.isfahan_council
    response = client.post(
        reverse("directory:council_member_add", args=[council.pk]),
        {"office": office.pk, "role": "member", "position": 5},
    )
    assert response.status_code == 302
    membership = council.memberships.get(office=office)
    response = client.post(
        reverse("directory:council_member_remove", args=[council.pk, membership.pk])
    )
    assert response.status_code == 302
    assert not council.memberships.filter(office=office).exists()


def test_deactivate_button_only_for_those_allowed(client, world):
    client.force_login(world.secretary)
    page = client.get(world.member_staff.get_absolute_url()).content.decode()
    assert "غیرفعال کردن" not in page
    client.force_login(world.chair)
    url = reverse("directory:person_set_active", args=[world.member_staff.pk])
    assert client.post(url, {"active": "0"}).status_code == 302
    world.member_staff.refresh_from_db()
    assert not world.member_staff.is_active


def test_a_weak_password_is_shown_beside_the_password_field(client, world):
    client.force_login(world.chair)
    response = client.post(
        reverse("directory:person_create"),
        {
            "username": "weak",
            "first_name": "آرش",
            "last_name": "کمانگیر",
            "office": world.member_office.pk,
            "role": Role.OFFICE_STAFF,
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors["password1"]
    assert "__all__" not in form.errors
    assert not Person.objects.filter(username="weak").exists()
