"""The follow-ups REST API and the ministry inbox: lists and filters, progress,
closing with evidence, reassigning, and the ministry's replies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from hamseda.core import jalali
from hamseda.core.models import AuditEvent
from hamseda.directory.models import Person
from hamseda.followups.models import FollowUp, FollowUpStatus, FollowUpUpdate, Referral
from hamseda.followups.tests.factories import exe, make_followup, make_meeting, pdf

pytestmark = pytest.mark.django_db

API = "/api/v1"
UNKNOWN_FIELD = "این فیلد شناخته‌شده نیست."
FORBIDDEN = {"detail": "شما اجازه این کار را ندارید."}


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


def in_days(days: int) -> dt.date:
    return jalali.today() + dt.timedelta(days=days)


@pytest.fixture
def followup(world) -> FollowUp:
    """An Isfahan follow-up the member office (the railway) is responsible for."""
    return make_followup(
        world.isfahan_council, [world.member_office], actor=world.secretary, due_date=in_days(10)
    )


def ids(response) -> list[int]:
    assert response.status_code == 200
    return [item["id"] for item in response.json()["results"]]


# --- lists ---------------------------------------------------------------------------


def test_list_filtered_by_state_overdue_shows_only_the_followup_past_its_due_date(
    api_as, world, followup
):
    # given: one past its due date, one done although its date passed too
    late = make_followup(
        world.isfahan_council, [world.chair_office], actor=world.secretary, due_date=in_days(-3)
    )
    done = make_followup(
        world.isfahan_council, [world.chair_office], actor=world.secretary, due_date=in_days(-3)
    )
    api_as(world.chair).post(
        f"{API}/followups/{done.pk}/close/", {"note": "انجام شد"}, format="json"
    )
    client = api_as(world.staff)

    # when
    overdue = client.get(f"{API}/followups/", {"state": "overdue"})
    everything = client.get(f"{API}/followups/")

    # then
    assert ids(overdue) == [late.pk]
    assert overdue.json()["results"][0]["state"] == "overdue"
    assert overdue.json()["results"][0]["status"] == FollowUpStatus.OPEN
    states = {item["id"]: item["state"] for item in everything.json()["results"]}
    assert states == {late.pk: "overdue", done.pk: "done", followup.pk: "open"}


def test_list_filtered_by_office(api_as, world, followup):
    make_followup(
        world.isfahan_council, [world.chair_office], actor=world.secretary, due_date=in_days(5)
    )
    both = make_followup(
        world.isfahan_council,
        [world.chair_office, world.member_office],
        actor=world.secretary,
        due_date=in_days(20),
    )

    response = api_as(world.staff).get(f"{API}/followups/", {"office": world.member_office.pk})

    # soonest due first
    assert ids(response) == [followup.pk, both.pk]
    assert response.json()["count"] == 2
    assert sorted(response.json()["results"][1]["offices"]) == sorted(
        [world.chair_office.pk, world.member_office.pk]
    )


def test_followup_shows_its_resolution_meeting_and_due_date(api_as, world, followup):
    response = api_as(world.member_staff).get(f"{API}/followups/{followup.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["resolution"] == followup.resolution_id
    assert body["resolution_text"] == followup.resolution.text
    assert body["meeting"] == followup.resolution.meeting_id
    assert body["council"] == world.isfahan_council.pk
    assert body["offices"] == [world.member_office.pk]
    assert body["due_date"] == in_days(10).isoformat()
    assert body["state"] == "open"
    assert body["is_referral"] is False
    assert body["referral"] is None


def test_fars_chair_neither_lists_nor_reads_an_isfahan_followup(api_as, world, followup):
    fars = make_followup(
        world.fars_council, [world.fars_office], actor=world.fars_chair, due_date=in_days(5)
    )
    client = api_as(world.fars_chair)

    assert ids(client.get(f"{API}/followups/")) == [fars.pk]
    assert client.get(f"{API}/followups/{followup.pk}/").status_code == 404
    assert client.get(f"{API}/followups/{followup.pk}/updates/").status_code == 404


# --- progress and closing ------------------------------------------------------------


def test_responsible_office_staff_posts_an_update(api_as, world, followup):
    # when
    response = api_as(world.member_staff).post(
        f"{API}/followups/{followup.pk}/updates/",
        {"text": "عکاسی از پروژه انجام شد", "status": FollowUpStatus.IN_PROGRESS},
        format="json",
    )

    # then
    assert response.status_code == 201
    assert response.json()["id"] == followup.pk
    assert response.json()["status"] == FollowUpStatus.IN_PROGRESS
    update = FollowUpUpdate.objects.get(followup=followup, author=world.member_staff)
    assert update.text == "عکاسی از پروژه انجام شد"
    assert (update.status_from, update.status_to) == (
        FollowUpStatus.OPEN,
        FollowUpStatus.IN_PROGRESS,
    )
    history = api_as(world.staff).get(f"{API}/followups/{followup.pk}/updates/").json()
    assert [(u["author"], u["text"]) for u in history] == [
        (world.member_staff.pk, "عکاسی از پروژه انجام شد")
    ]


@pytest.mark.parametrize("persona", ["staff", "partner"])
def test_staff_of_an_office_not_responsible_cannot_post_an_update(api_as, world, followup, persona):
    response = api_as(getattr(world, persona)).post(
        f"{API}/followups/{followup.pk}/updates/", {"text": "گزارش"}, format="json"
    )

    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    assert not FollowUpUpdate.objects.filter(followup=followup).exists()


def test_update_with_an_unknown_field_is_400_naming_it(api_as, world, followup):
    response = api_as(world.member_staff).post(
        f"{API}/followups/{followup.pk}/updates/",
        {"text": "گزارش", "progress": 50},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"progress": [UNKNOWN_FIELD]}
    assert not FollowUpUpdate.objects.filter(followup=followup).exists()


def test_closing_without_a_note_or_attachment_is_400_on_note(api_as, world, followup):
    response = api_as(world.member_staff).post(
        f"{API}/followups/{followup.pk}/close/", {}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["note"]
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.OPEN


def test_closing_with_a_note_makes_it_done(api_as, world, followup):
    response = api_as(world.member_staff).post(
        f"{API}/followups/{followup.pk}/close/",
        {"note": "گزارش تصویری منتشر شد"},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == FollowUpStatus.DONE
    assert body["state"] == "done"
    assert body["close_note"] == "گزارش تصویری منتشر شد"
    assert body["closed_at"] is not None
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.DONE
    assert AuditEvent.objects.get(event="followup_closed").actor == world.member_staff


def test_closing_with_a_pdf_sent_as_multipart_stores_the_evidence(api_as, world, followup):
    # when
    response = api_as(world.member_staff).post(
        f"{API}/followups/{followup.pk}/close/",
        {"attachment": pdf("گزارش-نهایی.pdf")},
        format="multipart",
    )

    # then
    assert response.status_code == 200
    assert response.json()["status"] == FollowUpStatus.DONE
    update = FollowUpUpdate.objects.get(followup=followup, status_to=FollowUpStatus.DONE)
    stored = Path(settings.MEDIA_ROOT) / update.attachment.name
    assert stored.read_bytes().startswith(b"%PDF-")
    history = api_as(world.chair).get(f"{API}/followups/{followup.pk}/updates/").json()
    assert [u["has_attachment"] for u in history] == [True]


def test_closing_with_a_note_and_a_pdf_as_multipart(api_as, world, followup):
    response = api_as(world.member_staff).post(
        f"{API}/followups/{followup.pk}/close/",
        {"note": "نامه پیوست است", "attachment": pdf()},
        format="multipart",
    )

    assert response.status_code == 200
    assert response.json()["close_note"] == "نامه پیوست است"


def test_an_exe_attachment_is_refused_and_the_followup_stays_open(api_as, world, followup):
    response = api_as(world.member_staff).post(
        f"{API}/followups/{followup.pk}/close/",
        {"note": "انجام شد", "attachment": exe("report.pdf.exe")},
        format="multipart",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["attachment"]
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.OPEN
    assert not FollowUpUpdate.objects.filter(followup=followup).exists()


def test_a_program_named_pdf_is_refused_as_an_update_attachment(api_as, world, followup):
    response = api_as(world.member_staff).post(
        f"{API}/followups/{followup.pk}/updates/",
        {"text": "مدرک", "attachment": exe("evidence.pdf")},
        format="multipart",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["attachment"]
    assert not FollowUpUpdate.objects.filter(followup=followup).exists()


def test_staff_of_another_office_cannot_close_the_followup(api_as, world, followup):
    response = api_as(world.staff).post(
        f"{API}/followups/{followup.pk}/close/", {"note": "انجام شد"}, format="json"
    )

    assert response.status_code == 403
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.OPEN


def test_chair_cancels_and_reopens_a_followup(api_as, world, followup):
    client = api_as(world.chair)

    cancelled = client.post(
        f"{API}/followups/{followup.pk}/cancel/", {"reason": "موضوع منتفی شد"}, format="json"
    )
    reopened = client.post(f"{API}/followups/{followup.pk}/reopen/", {}, format="json")

    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == FollowUpStatus.CANCELLED
    assert reopened.status_code == 200
    assert reopened.json()["status"] == FollowUpStatus.OPEN


def test_responsible_staff_cannot_cancel_their_followup(api_as, world, followup):
    response = api_as(world.member_staff).post(
        f"{API}/followups/{followup.pk}/cancel/", {"reason": "نمی‌خواهیم"}, format="json"
    )

    assert response.status_code == 403
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.OPEN


# --- reassigning ---------------------------------------------------------------------


def test_chair_reassigns_a_followup_to_another_isfahan_office(api_as, world, followup):
    response = api_as(world.chair).patch(
        f"{API}/followups/{followup.pk}/",
        {"offices": [world.partner_office.pk], "due_date": in_days(30).isoformat()},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["offices"] == [world.partner_office.pk]
    assert response.json()["due_date"] == in_days(30).isoformat()
    followup.refresh_from_db()
    assert list(followup.offices.all()) == [world.partner_office]
    assert followup.due_date == in_days(30)


def test_reassigning_to_an_office_of_another_province_is_400_on_offices(api_as, world, followup):
    response = api_as(world.chair).patch(
        f"{API}/followups/{followup.pk}/",
        {"offices": [world.fars_office.pk], "due_date": in_days(30).isoformat()},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["offices"]
    assert world.fars_office.name in response.json()["offices"][0]
    followup.refresh_from_db()
    assert list(followup.offices.all()) == [world.member_office]
    assert followup.due_date == in_days(10)


def test_office_staff_cannot_reassign_a_followup(api_as, world, followup):
    response = api_as(world.member_staff).patch(
        f"{API}/followups/{followup.pk}/",
        {"offices": [world.chair_office.pk], "due_date": in_days(30).isoformat()},
        format="json",
    )

    assert response.status_code == 403
    assert list(followup.offices.all()) == [world.member_office]


# --- the ministry inbox --------------------------------------------------------------


@pytest.fixture
def referrals(world) -> tuple[FollowUp, FollowUp]:
    isfahan = make_followup(
        world.isfahan_council,
        [world.chair_office],
        actor=world.secretary,
        due_date=in_days(20),
        referred=True,
    )
    fars = make_followup(
        world.fars_council,
        [world.fars_office],
        actor=world.fars_chair,
        due_date=in_days(20),
        referred=True,
        text="تأمین اعتبار نمایشگاه دستاوردهای استان فارس",
    )
    return isfahan, fars


@pytest.mark.parametrize("persona", ["chair", "secretary", "member_staff", "fars_chair"])
def test_referrals_list_is_403_for_council_people(api_as, world, referrals, persona):
    response = api_as(getattr(world, persona)).get(f"{API}/referrals/")

    assert response.status_code == 403


def test_ministry_lists_the_referrals_of_both_provinces(api_as, world, referrals):
    isfahan, fars = referrals

    response = api_as(world.ministry).get(f"{API}/referrals/")

    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert {r["followup"] for r in response.json()["results"]} == {isfahan.pk, fars.pk}
    fars_only = api_as(world.ministry).get(
        f"{API}/referrals/", {"province": world.fars_council.province_id}
    )
    assert [r["followup"] for r in fars_only.json()["results"]] == [fars.pk]


def test_ministry_replies_and_the_followup_shows_the_reply(api_as, world, referrals):
    # given
    isfahan, _fars = referrals
    referral = Referral.objects.get(followup=isfahan)

    # when
    response = api_as(world.ministry).post(
        f"{API}/referrals/{referral.pk}/reply/",
        {"reply": "اعتبار از محل ردیف ۱۲ تأمین می‌شود."},
        format="json",
    )

    # then
    assert response.status_code == 200
    assert response.json()["reply"] == "اعتبار از محل ردیف ۱۲ تأمین می‌شود."
    assert response.json()["replied_by"] == world.ministry.pk
    shown = api_as(world.chair).get(f"{API}/followups/{isfahan.pk}/").json()
    assert shown["is_referral"] is True
    assert shown["referral"]["reply"] == "اعتبار از محل ردیف ۱۲ تأمین می‌شود."
    assert shown["referral"]["replied_at"] is not None
    answered = api_as(world.ministry).get(f"{API}/referrals/", {"answered": "true"})
    assert [r["id"] for r in answered.json()["results"]] == [referral.pk]


def test_an_empty_reply_is_400_on_reply(api_as, world, referrals):
    referral = Referral.objects.get(followup=referrals[0])

    response = api_as(world.ministry).post(
        f"{API}/referrals/{referral.pk}/reply/", {"reply": ""}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["reply"]
    referral.refresh_from_db()
    assert referral.reply == ""


def test_the_chair_cannot_reply_to_a_referral(api_as, world, referrals):
    referral = Referral.objects.get(followup=referrals[0])

    response = api_as(world.chair).post(
        f"{API}/referrals/{referral.pk}/reply/", {"reply": "پاسخ"}, format="json"
    )

    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.reply == ""


def test_ministry_assigns_a_referral_to_a_department(api_as, world, referrals):
    referral = Referral.objects.get(followup=referrals[1])

    response = api_as(world.ministry).post(
        f"{API}/referrals/{referral.pk}/assign/",
        {"department": "اداره کل روابط عمومی", "assignee": world.ministry.pk},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["department"] == "اداره کل روابط عمومی"
    assert response.json()["assignee"] == world.ministry.pk


# --- OpenAPI schema ------------------------------------------------------------------


def test_schema_has_the_followups_paths(api, world):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert set(paths[f"{API}/followups/"]) == {"get"}
    assert set(paths[f"{API}/followups/{{followup_id}}/"]) == {"get", "patch"}
    assert f"{API}/followups/{{followup_id}}/close/" in paths
    assert f"{API}/referrals/{{referral_id}}/reply/" in paths
    close = paths[f"{API}/followups/{{followup_id}}/close/"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in close


# --- query counts --------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 20])
def test_followup_list_runs_a_bounded_number_of_queries(
    api, world, django_assert_max_num_queries, count
):
    # given: follow-ups of both councils, some referred, from a few meetings
    meetings = [make_meeting(world.isfahan_council) for _ in range(2)]
    for n in range(count):
        make_followup(
            world.isfahan_council,
            [world.chair_office, world.member_office],
            actor=world.secretary,
            due_date=in_days(n - 5),
            referred=n % 2 == 0,
            meeting=meetings[n % 2],
        )
        make_followup(
            world.fars_council, [world.fars_office], actor=world.fars_chair, due_date=in_days(n)
        )
    api.force_login(world.ministry)

    # when / then: session, user, count, the page, the offices
    with django_assert_max_num_queries(5):
        response = api.get(f"{API}/followups/")
    assert response.json()["count"] == 2 * count
    assert len(response.json()["results"]) == 2 * count
    assert {len(f["offices"]) for f in response.json()["results"]} == {1, 2}
