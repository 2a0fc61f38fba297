"""The meetings REST API: meetings, agenda, member reports, attendance,
resolutions, minutes and search, under the same policy and rules as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from hamseda.core.jalali import TEHRAN
from hamseda.core.models import AuditEvent
from hamseda.directory.models import Person
from hamseda.followups.models import FollowUp, FollowUpStatus, Referral
from hamseda.meetings.models import (
    Acknowledgement,
    AgendaItem,
    AgendaKind,
    Attendance,
    AttendanceStatus,
    Decision,
    Meeting,
    MeetingStatus,
    MemberReport,
    Minutes,
    ReportItem,
    ReportItemKind,
    ReportStatus,
    Resolution,
)
from hamseda.meetings.tests.factories import MeetingFactory, MemberReportFactory
from hamseda.meetings.tests.minutes_factories import MEETING_START
from hamseda.meetings.tests.minutes_factories import meeting as held_meeting

pytestmark = pytest.mark.django_db

API = "/api/v1"
UNKNOWN_FIELD = "این فیلد شناخته‌شده نیست."
FORBIDDEN = {"detail": "شما اجازه این کار را ندارید."}
NOT_FOUND = {"detail": "یافت نشد."}
MEETING_DAY = MEETING_START.date()  # of `held_meeting`: 2025-10-07


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


def soon(days: int = 7, hour: int = 10) -> dt.datetime:
    day = timezone.now().astimezone(TEHRAN).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=TEHRAN)


def meeting_body(world, **overrides):
    body = {
        "council": world.isfahan_council.pk,
        "starts_at": soon().isoformat(),
        "place": "سالن جلسات اداره کل راه و شهرسازی",
    }
    body.update(overrides)
    return body


def with_office_emails(world) -> None:
    for office in (world.chair_office, world.member_office, world.partner_office):
        office.email = f"pr-{office.pk}@example.ir"
        office.save()


def calendar_recipients(outbox) -> list[str]:
    return sorted(
        message.to[0]
        for message in outbox
        for _name, _content, mimetype in message.attachments
        if mimetype.startswith("text/calendar")
    )


# --- meetings ------------------------------------------------------------------------


def test_secretary_creates_meetings_numbered_one_then_two_with_the_automatic_agenda(api_as, world):
    # given
    client = api_as(world.secretary)

    # when
    first = client.post(
        f"{API}/meetings/", meeting_body(world, title="جلسه هماهنگی نوروز"), format="json"
    )
    second = client.post(
        f"{API}/meetings/", meeting_body(world, starts_at=soon(14).isoformat()), format="json"
    )

    # then
    assert first.status_code == 201
    assert second.status_code == 201
    assert (first.json()["number"], second.json()["number"]) == (1, 2)
    body = first.json()
    assert body["council"] == world.isfahan_council.pk
    assert body["council_name"] == world.isfahan_council.name
    assert body["title"] == "جلسه هماهنگی نوروز"
    assert body["status"] == MeetingStatus.PLANNED
    assert body["duration_minutes"] == 90
    assert parse_datetime(body["starts_at"]) == soon()
    meeting = Meeting.objects.get(pk=body["id"])
    assert list(meeting.agenda_items.order_by("position").values_list("position", "kind")) == [
        (1, AgendaKind.FOLLOWUP_REVIEW),
        (2, AgendaKind.REPORTS),
    ]
    agenda = client.get(f"{API}/meetings/{meeting.pk}/agenda/").json()
    assert [item["kind"] for item in agenda] == [AgendaKind.FOLLOWUP_REVIEW, AgendaKind.REPORTS]
    assert AuditEvent.objects.filter(event="meeting_created", actor=world.secretary).count() == 2


@pytest.mark.parametrize("persona", ["staff", "member_staff", "partner", "ministry"])
def test_people_who_do_not_run_the_council_cannot_create_a_meeting(api_as, world, persona):
    response = api_as(getattr(world, persona)).post(
        f"{API}/meetings/", meeting_body(world), format="json"
    )

    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    assert not Meeting.objects.exists()


def test_fars_chair_cannot_create_a_meeting_of_the_isfahan_council(api_as, world):
    response = api_as(world.fars_chair).post(f"{API}/meetings/", meeting_body(world), format="json")

    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_meeting_in_the_past_is_400_on_starts_at(api_as, world):
    response = api_as(world.secretary).post(
        f"{API}/meetings/", meeting_body(world, starts_at=soon(-1).isoformat()), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["starts_at"]
    assert not Meeting.objects.exists()


def test_meeting_with_an_unknown_field_is_400_naming_it(api_as, world):
    response = api_as(world.secretary).post(
        f"{API}/meetings/", meeting_body(world, number=7), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"number": [UNKNOWN_FIELD]}
    assert not Meeting.objects.exists()


def test_fars_chair_gets_404_on_an_isfahan_meeting_and_does_not_list_it(api_as, world):
    # given
    isfahan = MeetingFactory(council=world.isfahan_council)
    fars = MeetingFactory(council=world.fars_council)
    client = api_as(world.fars_chair)

    # when
    detail = client.get(f"{API}/meetings/{isfahan.pk}/")
    patch = client.patch(f"{API}/meetings/{isfahan.pk}/", {"place": "شیراز"}, format="json")
    agenda = client.get(f"{API}/meetings/{isfahan.pk}/agenda/")
    listed = client.get(f"{API}/meetings/")

    # then
    assert detail.status_code == 404
    assert detail.json() == NOT_FOUND
    assert patch.status_code == 404
    assert agenda.status_code == 404
    assert [m["id"] for m in listed.json()["results"]] == [fars.pk]
    isfahan.refresh_from_db()
    assert isfahan.place != "شیراز"


def test_ministry_centre_lists_the_meetings_of_both_councils(api_as, world):
    isfahan = MeetingFactory(council=world.isfahan_council, starts_at=soon(3))
    fars = MeetingFactory(council=world.fars_council, starts_at=soon(5))

    response = api_as(world.ministry).get(f"{API}/meetings/")

    assert response.status_code == 200
    assert response.json()["count"] == 2
    # newest first
    assert [m["id"] for m in response.json()["results"]] == [fars.pk, isfahan.pk]


def test_meeting_list_filters_by_council_and_status(api_as, world):
    planned = MeetingFactory(council=world.isfahan_council)
    cancelled = MeetingFactory(council=world.isfahan_council, status=MeetingStatus.CANCELLED)
    MeetingFactory(council=world.fars_council)
    client = api_as(world.ministry)

    isfahan = client.get(f"{API}/meetings/", {"council": world.isfahan_council.pk})
    only_cancelled = client.get(f"{API}/meetings/", {"status": MeetingStatus.CANCELLED})

    assert {m["id"] for m in isfahan.json()["results"]} == {planned.pk, cancelled.pk}
    assert [m["id"] for m in only_cancelled.json()["results"]] == [cancelled.pk]


def test_chair_reschedules_a_meeting_with_patch(api_as, world):
    # given
    meeting = MeetingFactory(council=world.isfahan_council, starts_at=soon(7))

    # when
    response = api_as(world.chair).patch(
        f"{API}/meetings/{meeting.pk}/",
        {"starts_at": soon(9, 12).isoformat(), "place": "سالن شهید رجایی"},
        format="json",
    )

    # then
    assert response.status_code == 200
    assert parse_datetime(response.json()["starts_at"]) == soon(9, 12)
    assert response.json()["place"] == "سالن شهید رجایی"
    meeting.refresh_from_db()
    assert meeting.starts_at == soon(9, 12)
    event = AuditEvent.objects.get(event="meeting_rescheduled")
    assert event.actor == world.chair


def test_office_staff_cannot_reschedule_a_meeting(api_as, world):
    meeting = MeetingFactory(council=world.isfahan_council, starts_at=soon(7))

    response = api_as(world.staff).patch(
        f"{API}/meetings/{meeting.pk}/", {"starts_at": soon(9).isoformat()}, format="json"
    )

    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.starts_at == soon(7)


def test_secretary_cancels_a_meeting_with_a_reason(api_as, world):
    meeting = MeetingFactory(council=world.isfahan_council)

    response = api_as(world.secretary).post(
        f"{API}/meetings/{meeting.pk}/cancel/", {"reason": "تعطیلی رسمی"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == MeetingStatus.CANCELLED
    assert response.json()["cancel_reason"] == "تعطیلی رسمی"
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.cancel_reason == "تعطیلی رسمی"


def test_cancelling_without_a_reason_is_400_and_the_meeting_stays_planned(api_as, world):
    meeting = MeetingFactory(council=world.isfahan_council)

    missing = api_as(world.secretary).post(
        f"{API}/meetings/{meeting.pk}/cancel/", {}, format="json"
    )
    blank = api_as(world.secretary).post(
        f"{API}/meetings/{meeting.pk}/cancel/", {"reason": ""}, format="json"
    )

    assert missing.status_code == 400
    assert list(missing.json()) == ["reason"]
    assert blank.status_code == 400
    assert list(blank.json()) == ["reason"]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


def test_invite_returns_the_count_and_mails_each_office_a_calendar(
    api_as, world, django_capture_on_commit_callbacks
):
    # given
    with_office_emails(world)
    meeting = MeetingFactory(council=world.isfahan_council)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(world.secretary).post(f"{API}/meetings/{meeting.pk}/invite/")

    # then: the five people of the three Isfahan offices, and one calendar per office
    assert response.status_code == 200
    assert response.json() == {"invited": 5}
    assert calendar_recipients(mail.outbox) == sorted(
        f"pr-{office.pk}@example.ir"
        for office in (world.chair_office, world.member_office, world.partner_office)
    )
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at is not None

    # when the invitations are sent again for the same time
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = api_as(world.secretary).post(f"{API}/meetings/{meeting.pk}/invite/")

    # then nobody hears twice
    assert again.json() == {"invited": 0}
    assert mail.outbox == []


def test_invite_for_a_cancelled_meeting_is_400(api_as, world):
    meeting = MeetingFactory(council=world.isfahan_council, status=MeetingStatus.CANCELLED)

    response = api_as(world.secretary).post(f"{API}/meetings/{meeting.pk}/invite/")

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


def test_meeting_list_is_paginated_with_count_and_links(api_as, world):
    for days in range(1, 6):
        MeetingFactory(council=world.isfahan_council, starts_at=soon(days))
    client = api_as(world.staff)

    first = client.get(f"{API}/meetings/", {"limit": 2})
    last = client.get(f"{API}/meetings/", {"limit": 2, "offset": 4})

    body = first.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert "limit=2" in body["next"]
    assert "offset=2" in body["next"]
    assert body["previous"] is None
    assert len(last.json()["results"]) == 1
    assert last.json()["next"] is None
    assert [m["number"] for m in body["results"]] == [5, 4]


# --- agenda --------------------------------------------------------------------------


def test_secretary_adds_patches_and_deletes_an_agenda_item(api_as, world):
    # given
    meeting = MeetingFactory(council=world.isfahan_council)
    client = api_as(world.secretary)
    url = f"{API}/meetings/{meeting.pk}/agenda/"

    # when an item is added
    added = client.post(
        url,
        {
            "title": "برنامه‌های هفته ملی مسکن",
            "presenting_office": world.member_office.pk,
            "minutes_allotted": 15,
        },
        format="json",
    )

    # then
    assert added.status_code == 201
    item = added.json()
    assert item["kind"] == AgendaKind.TOPIC
    assert item["presenting_office"] == world.member_office.pk
    assert item["minutes_allotted"] == 15

    # when it is changed
    patched = client.patch(
        f"{url}{item['id']}/", {"title": "هفته ملی مسکن", "minutes_allotted": 25}, format="json"
    )

    # then
    assert patched.status_code == 200
    assert patched.json()["title"] == "هفته ملی مسکن"
    assert patched.json()["minutes_allotted"] == 25
    assert patched.json()["presenting_office"] == world.member_office.pk
    stored = AgendaItem.objects.get(pk=item["id"])
    assert (stored.title, stored.minutes_allotted) == ("هفته ملی مسکن", 25)

    # when it is removed
    deleted = client.delete(f"{url}{item['id']}/")

    # then
    assert deleted.status_code == 204
    assert not AgendaItem.objects.filter(pk=item["id"]).exists()
    assert [
        e.event for e in AuditEvent.objects.filter(event__startswith="agenda_item").order_by("pk")
    ] == ["agenda_item_added", "agenda_item_updated", "agenda_item_removed"]


def test_agenda_item_with_an_unknown_field_is_400_naming_it(api_as, world):
    meeting = MeetingFactory(council=world.isfahan_council)
    item = AgendaItem.objects.create(meeting=meeting, title="موضوع", position=3)
    client = api_as(world.secretary)

    added = client.post(
        f"{API}/meetings/{meeting.pk}/agenda/", {"title": "موضوع", "speaker": "x"}, format="json"
    )
    patched = client.patch(
        f"{API}/meetings/{meeting.pk}/agenda/{item.pk}/", {"kind": "reports"}, format="json"
    )

    assert added.status_code == 400
    assert added.json() == {"speaker": [UNKNOWN_FIELD]}
    assert patched.status_code == 400
    assert patched.json() == {"kind": [UNKNOWN_FIELD]}
    assert meeting.agenda_items.count() == 1
    item.refresh_from_db()
    assert item.kind == AgendaKind.TOPIC


def test_minutes_allotted_that_is_not_a_number_is_400(api_as, world):
    meeting = MeetingFactory(council=world.isfahan_council)

    response = api_as(world.secretary).post(
        f"{API}/meetings/{meeting.pk}/agenda/",
        {"title": "موضوع", "minutes_allotted": "x"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["minutes_allotted"]
    assert not meeting.agenda_items.exists()


def test_an_automatic_agenda_item_cannot_be_deleted(api_as, world):
    client = api_as(world.secretary)
    meeting_id = client.post(f"{API}/meetings/", meeting_body(world), format="json").json()["id"]
    review = AgendaItem.objects.get(meeting_id=meeting_id, kind=AgendaKind.FOLLOWUP_REVIEW)

    response = client.delete(f"{API}/meetings/{meeting_id}/agenda/{review.pk}/")

    assert response.status_code == 400
    assert AgendaItem.objects.filter(pk=review.pk).exists()


def test_office_staff_cannot_add_to_the_agenda(api_as, world):
    meeting = MeetingFactory(council=world.isfahan_council)

    response = api_as(world.member_staff).post(
        f"{API}/meetings/{meeting.pk}/agenda/", {"title": "موضوع"}, format="json"
    )

    assert response.status_code == 403
    assert not meeting.agenda_items.exists()


def test_agenda_item_of_another_meeting_is_404(api_as, world):
    meeting = MeetingFactory(council=world.isfahan_council)
    other = AgendaItem.objects.create(
        meeting=MeetingFactory(council=world.isfahan_council), title="موضوع", position=3
    )

    response = api_as(world.secretary).delete(f"{API}/meetings/{meeting.pk}/agenda/{other.pk}/")

    assert response.status_code == 404
    assert AgendaItem.objects.filter(pk=other.pk).exists()


# --- member reports ------------------------------------------------------------------


def report_body(**overrides):
    body = {
        "summary": "خلاصه عملکرد روابط عمومی راه‌آهن در مهر",
        "items": [
            {
                "kind": ReportItemKind.ACTION,
                "text": "پوشش خبری افتتاح ایستگاه جدید",
                "figure_label": "خبر منتشرشده",
                "figure_value": "42",
            },
            {"kind": ReportItemKind.PROBLEM, "text": "کمبود خودرو برای تصویربرداری"},
            {"kind": ReportItemKind.SUGGESTION, "text": "برگزاری نشست خبری مشترک"},
        ],
        "submit": True,
    }
    body.update(overrides)
    return body


def test_member_staff_submits_its_office_report_with_items(api_as, world):
    # given
    meeting = MeetingFactory(council=world.isfahan_council)

    # when
    response = api_as(world.member_staff).put(
        f"{API}/meetings/{meeting.pk}/reports/{world.member_office.pk}/",
        report_body(),
        format="json",
    )

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["office"] == world.member_office.pk
    assert body["status"] == ReportStatus.SUBMITTED
    assert body["submitted_at"] is not None
    assert sorted((i["kind"], i["figure_value"]) for i in body["items"]) == [
        (ReportItemKind.ACTION, "42.00"),
        (ReportItemKind.PROBLEM, None),
        (ReportItemKind.SUGGESTION, None),
    ]
    report = MemberReport.objects.get(meeting=meeting, office=world.member_office)
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == world.member_staff
    assert report.summary == "خلاصه عملکرد روابط عمومی راه‌آهن در مهر"
    action = report.items.get(kind=ReportItemKind.ACTION)
    assert (action.figure_label, action.figure_value) == ("خبر منتشرشده", Decimal("42.00"))
    assert report.items.count() == 3


def test_saving_the_report_again_replaces_its_items(api_as, world):
    meeting = MeetingFactory(council=world.isfahan_council)
    client = api_as(world.member_staff)
    url = f"{API}/meetings/{meeting.pk}/reports/{world.member_office.pk}/"
    client.put(url, report_body(submit=False), format="json")

    response = client.put(
        url,
        report_body(items=[{"kind": ReportItemKind.VIEWPOINT, "text": "نظر"}], submit=False),
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["status"] == ReportStatus.DRAFT
    assert list(ReportItem.objects.values_list("kind", flat=True)) == [ReportItemKind.VIEWPOINT]


def test_member_staff_cannot_put_the_report_of_another_office_of_the_council(api_as, world):
    meeting = MeetingFactory(council=world.isfahan_council)

    response = api_as(world.member_staff).put(
        f"{API}/meetings/{meeting.pk}/reports/{world.chair_office.pk}/",
        report_body(),
        format="json",
    )

    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    assert not MemberReport.objects.exists()
    assert not ReportItem.objects.exists()


def test_report_of_an_office_outside_the_council_is_404(api_as, world):
    meeting = MeetingFactory(council=world.isfahan_council)

    response = api_as(world.evaluator).put(
        f"{API}/meetings/{meeting.pk}/reports/{world.fars_office.pk}/",
        report_body(),
        format="json",
    )

    assert response.status_code == 404
    assert not MemberReport.objects.exists()


def test_report_item_of_an_unknown_kind_is_400_and_nothing_is_stored(api_as, world):
    meeting = MeetingFactory(council=world.isfahan_council)
    items = [
        {"kind": ReportItemKind.ACTION, "text": "اقدام"},
        {"kind": "rumour", "text": "شایعه"},
    ]

    response = api_as(world.member_staff).put(
        f"{API}/meetings/{meeting.pk}/reports/{world.member_office.pk}/",
        report_body(items=items),
        format="json",
    )

    assert response.status_code == 400
    # the error names the second item (index "1") and its field
    assert response.json() == {"items": {"1": {"kind": ['"rumour" یک انتخاب معتبر نیست.']}}}
    assert not MemberReport.objects.exists()


def test_a_figure_on_a_problem_is_400_on_items(api_as, world):
    meeting = MeetingFactory(council=world.isfahan_council)
    items = [
        {
            "kind": ReportItemKind.PROBLEM,
            "text": "کمبود",
            "figure_label": "خودرو",
            "figure_value": "2",
        }
    ]

    response = api_as(world.member_staff).put(
        f"{API}/meetings/{meeting.pk}/reports/{world.member_office.pk}/",
        report_body(items=items),
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["items"]
    assert not MemberReport.objects.exists()


def test_report_list_shows_drafts_only_to_their_office_and_to_those_who_run_the_meeting(
    api_as, world
):
    # given: the member office's draft and the partner's submitted report
    meeting = MeetingFactory(council=world.isfahan_council)
    draft = MemberReportFactory(
        meeting=meeting,
        office=world.member_office,
        status=ReportStatus.DRAFT,
        submitted_at=None,
        summary="پیش‌نویس محرمانه",
    )
    submitted = MemberReportFactory(meeting=meeting, office=world.partner_office)
    url = f"{API}/meetings/{meeting.pk}/reports/"

    def listed(person) -> set[int]:
        response = api_as(person).get(url)
        assert response.status_code == 200
        return {report["id"] for report in response.json()}

    # then
    assert listed(world.staff) == {submitted.pk}
    assert listed(world.ministry) == {submitted.pk}
    assert listed(world.member_staff) == {draft.pk, submitted.pk}
    assert listed(world.secretary) == {draft.pk, submitted.pk}
    assert api_as(world.fars_chair).get(url).status_code == 404


# --- attendance ----------------------------------------------------------------------


def test_secretary_records_the_attendance_of_the_council_offices(api_as, world):
    meeting = MeetingFactory(council=world.isfahan_council)
    entries = [
        {"office": world.chair_office.pk, "status": AttendanceStatus.PRESENT},
        {
            "office": world.member_office.pk,
            "status": AttendanceStatus.REPRESENTED,
            "attendee_name": "مهندس کریمی",
            "attendee_title": "معاون",
        },
        {"office": world.partner_office.pk, "status": AttendanceStatus.ABSENT},
    ]

    response = api_as(world.secretary).put(
        f"{API}/meetings/{meeting.pk}/attendance/", {"entries": entries}, format="json"
    )

    assert response.status_code == 200
    assert {row["office"]: row["status"] for row in response.json()} == {
        world.chair_office.pk: AttendanceStatus.PRESENT,
        world.member_office.pk: AttendanceStatus.REPRESENTED,
        world.partner_office.pk: AttendanceStatus.ABSENT,
    }
    represented = Attendance.objects.get(meeting=meeting, office=world.member_office)
    assert (represented.attendee_name, represented.attendee_title) == ("مهندس کریمی", "معاون")
    listed = api_as(world.staff).get(f"{API}/meetings/{meeting.pk}/attendance/")
    assert len(listed.json()) == 3


def test_attendance_of_an_office_of_another_province_is_400_and_nothing_is_stored(api_as, world):
    meeting = MeetingFactory(council=world.isfahan_council)
    entries = [
        {"office": world.chair_office.pk, "status": AttendanceStatus.PRESENT},
        {"office": world.fars_office.pk, "status": AttendanceStatus.PRESENT},
    ]

    response = api_as(world.secretary).put(
        f"{API}/meetings/{meeting.pk}/attendance/", {"entries": entries}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert world.fars_office.name in response.json()["non_field_errors"][0]
    assert not Attendance.objects.exists()


def test_a_representative_without_a_name_is_400_on_attendee_name(api_as, world):
    meeting = MeetingFactory(council=world.isfahan_council)
    entries = [{"office": world.member_office.pk, "status": AttendanceStatus.REPRESENTED}]

    response = api_as(world.secretary).put(
        f"{API}/meetings/{meeting.pk}/attendance/", {"entries": entries}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["attendee_name"]


# --- resolutions ---------------------------------------------------------------------


def resolution_url(meeting) -> str:
    return f"{API}/meetings/{meeting.pk}/resolutions/"


def test_assigned_resolution_without_offices_is_400_on_responsible_offices(api_as, world):
    meeting = held_meeting(world.isfahan_council)

    response = api_as(world.secretary).post(
        resolution_url(meeting),
        {
            "text": "تهیه گزارش تصویری",
            "decision": Decision.ASSIGNED,
            "due_date": (MEETING_DAY + dt.timedelta(days=30)).isoformat(),
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["responsible_offices"]
    assert not Resolution.objects.exists()
    assert not FollowUp.objects.exists()


def test_due_date_before_the_meeting_is_400_on_due_date(api_as, world):
    meeting = held_meeting(world.isfahan_council)

    response = api_as(world.secretary).post(
        resolution_url(meeting),
        {
            "text": "تهیه گزارش تصویری",
            "decision": Decision.ASSIGNED,
            "responsible_offices": [world.member_office.pk],
            "due_date": (MEETING_DAY - dt.timedelta(days=1)).isoformat(),
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["due_date"]
    assert not Resolution.objects.exists()


def test_responsible_office_of_another_province_is_400(api_as, world):
    meeting = held_meeting(world.isfahan_council)

    response = api_as(world.secretary).post(
        resolution_url(meeting),
        {
            "text": "تهیه گزارش تصویری",
            "decision": Decision.ASSIGNED,
            "responsible_offices": [world.fars_office.pk],
            "due_date": (MEETING_DAY + dt.timedelta(days=30)).isoformat(),
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["responsible_offices"]
    assert not Resolution.objects.exists()


def test_referred_resolution_opens_a_followup_with_a_referral(api_as, world):
    # given
    meeting = held_meeting(world.isfahan_council)
    due = MEETING_DAY + dt.timedelta(days=30)

    # when
    response = api_as(world.secretary).post(
        resolution_url(meeting),
        {
            "text": "تأمین اعتبار تولید محتوای نهضت ملی مسکن",
            "decision": Decision.REFERRED,
            "responsible_offices": [world.chair_office.pk],
            "due_date": due.isoformat(),
        },
        format="json",
    )

    # then
    assert response.status_code == 201
    body = response.json()
    assert body["number"] == 1
    assert body["decision"] == Decision.REFERRED
    assert body["responsible_offices"] == [world.chair_office.pk]
    followup = FollowUp.objects.get(resolution_id=body["id"])
    assert body["followup"] == followup.pk
    assert followup.is_referral is True
    assert followup.status == FollowUpStatus.OPEN
    assert followup.due_date == due
    assert list(followup.offices.all()) == [world.chair_office]
    assert Referral.objects.filter(followup=followup).count() == 1
    listed = api_as(world.staff).get(resolution_url(meeting)).json()
    assert [(r["id"], r["followup"]) for r in listed] == [(body["id"], followup.pk)]


def test_resolution_settled_in_the_meeting_has_no_followup(api_as, world):
    meeting = held_meeting(world.isfahan_council)

    response = api_as(world.secretary).post(
        resolution_url(meeting),
        {"text": "موضوع در جلسه حل شد", "decision": Decision.RESOLVED, "solution": "هماهنگی"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["followup"] is None
    assert not FollowUp.objects.exists()


def test_patching_the_decision_to_resolved_cancels_the_followup(api_as, world):
    # given
    meeting = held_meeting(world.isfahan_council)
    client = api_as(world.secretary)
    created = client.post(
        resolution_url(meeting),
        {
            "text": "تهیه گزارش تصویری",
            "decision": Decision.ASSIGNED,
            "responsible_offices": [world.member_office.pk],
            "due_date": (MEETING_DAY + dt.timedelta(days=30)).isoformat(),
        },
        format="json",
    ).json()

    # when
    response = client.patch(
        f"{resolution_url(meeting)}{created['id']}/",
        {"decision": Decision.RESOLVED, "solution": "در جلسه هماهنگ شد"},
        format="json",
    )

    # then
    assert response.status_code == 200
    assert response.json()["decision"] == Decision.RESOLVED
    assert response.json()["responsible_offices"] == []
    assert response.json()["due_date"] is None
    followup = FollowUp.objects.get(pk=created["followup"])
    assert followup.status == FollowUpStatus.CANCELLED
    assert followup.updates.get().status_to == FollowUpStatus.CANCELLED


def test_office_staff_cannot_add_a_resolution(api_as, world):
    meeting = held_meeting(world.isfahan_council)

    response = api_as(world.member_staff).post(
        resolution_url(meeting),
        {"text": "مصوبه", "decision": Decision.NOTED},
        format="json",
    )

    assert response.status_code == 403
    assert not Resolution.objects.exists()


# --- minutes -------------------------------------------------------------------------


def minutes_url(meeting) -> str:
    return f"{API}/meetings/{meeting.pk}/minutes/"


def test_minutes_not_written_yet_read_as_version_0_and_the_first_save_makes_version_1(
    api_as, world
):
    meeting = held_meeting(world.isfahan_council)
    client = api_as(world.secretary)

    empty = client.get(minutes_url(meeting))
    saved = client.put(
        minutes_url(meeting), {"body": "جلسه با تلاوت قرآن آغاز شد.", "version": 0}, format="json"
    )

    assert empty.status_code == 200
    assert (empty.json()["body"], empty.json()["version"]) == ("", 0)
    assert saved.status_code == 200
    assert saved.json()["version"] == 1
    assert Minutes.objects.get(meeting=meeting).body == "جلسه با تلاوت قرآن آغاز شد."


def test_saving_the_minutes_with_the_current_version_returns_the_next_version(api_as, world):
    meeting = held_meeting(world.isfahan_council)
    Minutes.objects.create(meeting=meeting, body="متن نخست", version=3)
    client = api_as(world.secretary)

    read = client.get(minutes_url(meeting))
    saved = client.put(minutes_url(meeting), {"body": "متن دوم", "version": 3}, format="json")

    assert read.json()["version"] == 3
    assert saved.status_code == 200
    assert (saved.json()["body"], saved.json()["version"]) == ("متن دوم", 4)
    minutes = Minutes.objects.get(meeting=meeting)
    assert (minutes.body, minutes.version) == ("متن دوم", 4)


def test_saving_the_minutes_from_a_stale_version_is_409_with_the_stored_text(api_as, world):
    # given: version 2 is stored, and a client still holds version 1
    meeting = held_meeting(world.isfahan_council)
    Minutes.objects.create(meeting=meeting, body="متن همکار", version=2)

    # when
    response = api_as(world.chair).put(
        minutes_url(meeting), {"body": "متن من", "version": 1}, format="json"
    )

    # then
    assert response.status_code == 409
    body = response.json()
    assert body["body"] == "متن همکار"
    assert body["version"] == 2
    assert body["detail"].startswith("همکار دیگری")
    minutes = Minutes.objects.get(meeting=meeting)
    assert (minutes.body, minutes.version) == ("متن همکار", 2)


def test_two_clients_that_started_from_no_minutes_cannot_overwrite_each_other(api_as, world):
    # given: both read the minutes before any were written
    meeting = held_meeting(world.isfahan_council)
    started_from = api_as(world.secretary).get(minutes_url(meeting)).json()["version"]

    # when the secretary saves first, then the chair from the same starting point
    first = api_as(world.secretary).put(
        minutes_url(meeting), {"body": "متن دبیر", "version": started_from}, format="json"
    )
    second = api_as(world.chair).put(
        minutes_url(meeting), {"body": "متن رئیس", "version": started_from}, format="json"
    )

    # then the second is told, and the secretary's text stays
    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json()["body"] == "متن دبیر"
    assert Minutes.objects.get(meeting=meeting).body == "متن دبیر"


def test_a_negative_minutes_version_is_400(api_as, world):
    meeting = held_meeting(world.isfahan_council)

    response = api_as(world.secretary).put(
        minutes_url(meeting), {"body": "متن", "version": -1}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["version"]
    assert not Minutes.objects.exists()


def test_office_staff_cannot_write_the_minutes(api_as, world):
    meeting = held_meeting(world.isfahan_council)

    response = api_as(world.staff).put(
        minutes_url(meeting), {"body": "متن", "version": 0}, format="json"
    )

    assert response.status_code == 403
    assert not Minutes.objects.exists()


def test_secretary_cannot_approve_the_minutes_and_the_chair_can(api_as, world):
    # given
    meeting = held_meeting(world.isfahan_council)
    Minutes.objects.create(meeting=meeting, body="شرح جلسه", version=1)
    url = f"{minutes_url(meeting)}approve/"

    # when
    by_secretary = api_as(world.secretary).post(url)
    by_chair = api_as(world.chair).post(url)

    # then
    assert by_secretary.status_code == 403
    assert by_chair.status_code == 200
    assert by_chair.json()["approved_by"] == world.chair.pk
    assert by_chair.json()["approved_at"] is not None
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.APPROVED
    assert Minutes.objects.get(meeting=meeting).approved_by == world.chair


def test_approved_minutes_cannot_be_saved_again(api_as, world):
    meeting = held_meeting(world.isfahan_council)
    Minutes.objects.create(meeting=meeting, body="شرح جلسه", version=1)
    assert api_as(world.chair).post(f"{minutes_url(meeting)}approve/").status_code == 200

    response = api_as(world.chair).put(
        minutes_url(meeting), {"body": "تغییر پس از تأیید", "version": 1}, format="json"
    )
    resolution = api_as(world.chair).post(
        resolution_url(meeting),
        {"text": "مصوبه دیرهنگام", "decision": Decision.NOTED},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert resolution.status_code == 400
    assert Minutes.objects.get(meeting=meeting).body == "شرح جلسه"
    assert not Resolution.objects.exists()


def test_acknowledging_approved_minutes_twice_is_204_and_recorded_once(api_as, world):
    # given
    meeting = held_meeting(world.isfahan_council)
    Minutes.objects.create(meeting=meeting, body="شرح جلسه", version=1)
    url = f"{minutes_url(meeting)}acknowledge/"
    before_approval = api_as(world.member_staff).post(url)
    api_as(world.chair).post(f"{minutes_url(meeting)}approve/")

    # when
    first = api_as(world.member_staff).post(url)
    second = api_as(world.member_staff).post(url)

    # then
    assert before_approval.status_code == 400
    assert (first.status_code, second.status_code) == (204, 204)
    assert first.content == b""
    assert Acknowledgement.objects.filter(person=world.member_staff).count() == 1
    assert AuditEvent.objects.filter(event="minutes_acknowledged").count() == 1


def test_the_ministry_centre_reads_but_does_not_acknowledge_the_minutes(api_as, world):
    meeting = held_meeting(world.isfahan_council)
    Minutes.objects.create(meeting=meeting, body="شرح جلسه", version=1)
    api_as(world.chair).post(f"{minutes_url(meeting)}approve/")

    read = api_as(world.ministry).get(minutes_url(meeting))
    acknowledged = api_as(world.ministry).post(f"{minutes_url(meeting)}acknowledge/")

    assert read.json()["body"] == "شرح جلسه"
    assert acknowledged.status_code == 403
    assert not Acknowledgement.objects.exists()


def test_fars_chair_cannot_read_isfahan_minutes(api_as, world):
    meeting = held_meeting(world.isfahan_council)
    Minutes.objects.create(meeting=meeting, body="شرح جلسه", version=1)

    response = api_as(world.fars_chair).get(minutes_url(meeting))

    assert response.status_code == 404
    assert "شرح جلسه" not in response.content.decode()


# --- search --------------------------------------------------------------------------


@pytest.fixture
def resolutions(world) -> tuple[Resolution, Resolution]:
    isfahan = Resolution.objects.create(
        meeting=held_meeting(world.isfahan_council),
        number=1,
        decision=Decision.NOTED,
        text="برنامه‌ریزی سفرهای تابستانی با کمک شبکه‌های اجتماعی",
    )
    fars = Resolution.objects.create(
        meeting=held_meeting(world.fars_council),
        number=1,
        decision=Decision.NOTED,
        text="برنامه‌ریزی سفرهای تابستانی با کمک شبکه‌های اجتماعی استان فارس",
    )
    return isfahan, fars


def found(response) -> list[int]:
    assert response.status_code == 200
    return [resolution["id"] for resolution in response.json()["resolutions"]]


@pytest.mark.parametrize(
    "query",
    [
        "سفرهاي تابستاني",  # Arabic yeh
        "كمك",  # Arabic kaf
        "برنامهریزی",  # joined where the text has a half-space
        "برنامه ریزی",  # spaced
        "شبكه‌هاي اجتماعي",
    ],
)
def test_search_finds_a_resolution_under_a_variant_spelling_and_never_another_provinces(
    api_as, world, resolutions, query
):
    isfahan, fars = resolutions

    assert found(api_as(world.staff).get(f"{API}/search/", {"q": query})) == [isfahan.pk]
    assert found(api_as(world.fars_chair).get(f"{API}/search/", {"q": query})) == [fars.pk]
    assert set(found(api_as(world.ministry).get(f"{API}/search/", {"q": query}))) == {
        isfahan.pk,
        fars.pk,
    }


def test_search_without_words_finds_nothing(api_as, world, resolutions):
    response = api_as(world.ministry).get(f"{API}/search/", {"q": "  "})

    assert response.json() == {"resolutions": [], "report_items": [], "minutes": []}


def test_search_does_not_find_the_items_of_another_offices_draft_report(api_as, world):
    # given: the railway's draft, not yet sent to the council
    meeting = MeetingFactory(council=world.isfahan_council)
    draft = MemberReportFactory(
        meeting=meeting, office=world.member_office, status=ReportStatus.DRAFT, submitted_at=None
    )
    ReportItem.objects.create(
        report=draft, kind=ReportItemKind.PROBLEM, text="اختلاف محرمانه با پیمانکار"
    )

    # when the chair's office staff search for it
    response = api_as(world.staff).get(f"{API}/search/", {"q": "محرمانه"})

    # then
    assert response.json()["report_items"] == []


# --- OpenAPI schema ------------------------------------------------------------------


def schema(api) -> dict:
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_schema_has_the_meetings_paths(api, world):
    paths = schema(api)["paths"]

    assert set(paths[f"{API}/meetings/"]) == {"get", "post"}
    assert set(paths[f"{API}/meetings/{{meeting_id}}/minutes/"]) == {"get", "put"}
    assert f"{API}/meetings/{{meeting_id}}/resolutions/{{resolution_id}}/" in paths
    assert f"{API}/search/" in paths


def test_schema_keeps_the_meeting_cancel_input_apart_from_the_followup_reason_input(api, world):
    # Two serializers of one name become one component, and one of them is then
    # described wrongly: cancelling a meeting needs a reason, reopening a
    # follow-up does not.
    document = schema(api)

    def request_schema(path: str) -> dict:
        ref = document["paths"][path]["post"]["requestBody"]["content"]["application/json"][
            "schema"
        ]["$ref"]
        return document["components"]["schemas"][ref.rsplit("/", 1)[1]]

    cancel = request_schema(f"{API}/meetings/{{meeting_id}}/cancel/")
    reopen = request_schema(f"{API}/followups/{{followup_id}}/reopen/")
    assert cancel["required"] == ["reason"]
    assert "reason" not in reopen.get("required", [])


# --- query counts --------------------------------------------------------------------


@pytest.mark.parametrize("per_council", [2, 20])
def test_meeting_list_runs_a_bounded_number_of_queries(
    api, world, django_assert_max_num_queries, per_council
):
    # given: a real session, so authentication is counted too
    for days in range(per_council):
        MeetingFactory(council=world.isfahan_council, starts_at=soon(days + 1))
        MeetingFactory(council=world.fars_council, starts_at=soon(days + 1))
    api.force_login(world.ministry)

    # when / then: session, user, count, the page
    with django_assert_max_num_queries(4):
        response = api.get(f"{API}/meetings/")
    assert response.json()["count"] == 2 * per_council
    assert len(response.json()["results"]) == 2 * per_council
    assert {m["council_name"] for m in response.json()["results"]} == {
        world.isfahan_council.name,
        world.fars_council.name,
    }
