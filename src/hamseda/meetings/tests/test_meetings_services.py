"""Services and selectors of meetings: numbering, Jalali schedules, invitations,
agenda, member reports, attendance, and who may do what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from icalendar import Calendar

from hamseda.core import jalali
from hamseda.core.jalali import TEHRAN
from hamseda.core.models import AuditEvent, Notification
from hamseda.followups.models import FollowUp, Referral
from hamseda.meetings import ics, selectors, services
from hamseda.meetings.models import (
    AgendaKind,
    Attendance,
    Decision,
    Meeting,
    MeetingStatus,
    ReportItem,
    ReportStatus,
    Resolution,
)
from hamseda.meetings.services import meetings as meetings_module
from hamseda.meetings.tasks import schedules_plan
from hamseda.meetings.tests.factories import MeetingFactory, ScheduleFactory

pytestmark = pytest.mark.django_db


def soon(days: int = 7, hour: int = 10) -> dt.datetime:
    day = timezone.now().astimezone(TEHRAN).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=TEHRAN)


def new_meeting(world, actor=None, **extra) -> Meeting:
    return services.meeting_create(
        actor=actor or world.secretary,
        council=world.isfahan_council,
        starts_at=extra.pop("starts_at", soon()),
        place=extra.pop("place", "سالن جلسات"),
        **extra,
    )


def with_emails(world) -> None:
    for office in (world.chair_office, world.member_office, world.partner_office):
        office.email = f"pr-{office.pk}@example.ir"
        office.save()
    for person in (
        world.chair,
        world.secretary,
        world.staff,
        world.member_staff,
        world.partner,
        world.fars_chair,
        world.ministry,
    ):
        person.email = f"{person.username}@example.ir"
        person.save()


def calendars(outbox) -> list[tuple[str, Calendar]]:
    """(recipient, parsed .ics) of each email that carries a calendar."""
    found = []
    for message in outbox:
        for attachment in message.attachments:
            _filename, content, mimetype = attachment
            if mimetype.startswith("text/calendar"):
                found.append((message.to[0], Calendar.from_ical(content)))
    return found


def only_event(calendar: Calendar):
    (event,) = calendar.walk("VEVENT")
    return event


# --- numbering and the automatic agenda ----------------------------------------------


def test_meetings_are_numbered_per_council(world):
    first = new_meeting(world)
    second = new_meeting(world, starts_at=soon(14))
    fars = services.meeting_create(
        actor=world.fars_chair, council=world.fars_council, starts_at=soon(), place="شیراز"
    )
    assert (first.number, second.number, fars.number) == (1, 2, 1)


def test_numbering_takes_the_next_free_number_when_another_writer_got_there_first(
    world, monkeypatch
):
    # given meeting 1 exists, and a numbering that reads a stale maximum once
    new_meeting(world)
    real = meetings_module._next_number
    calls = []

    def stale_then_real(council):
        calls.append(council)
        return 1 if len(calls) == 1 else real(council)

    monkeypatch.setattr(meetings_module, "_next_number", stale_then_real)
    # when another meeting is created
    meeting = new_meeting(world, starts_at=soon(14))
    # then the unique constraint refused number 1 and the retry took number 2
    assert meeting.number == 2
    assert len(calls) == 2
    assert Meeting.objects.filter(council=world.isfahan_council).count() == 2


def test_a_new_meeting_has_the_follow_up_review_first_and_the_reports_second(world):
    meeting = new_meeting(world)
    items = list(meeting.agenda_items.order_by("position"))
    assert [(i.position, i.kind, i.title) for i in items] == [
        (1, AgendaKind.FOLLOWUP_REVIEW, "پیگیری مصوبات جلسات قبل"),
        (2, AgendaKind.REPORTS, "گزارش روابط عمومی‌ها"),
    ]
    assert AuditEvent.objects.filter(event="meeting_created", target_id=str(meeting.pk)).exists()


def test_a_meeting_in_the_past_is_refused_beside_its_time(world):
    with pytest.raises(ValidationError) as error:
        new_meeting(world, starts_at=timezone.now() - dt.timedelta(hours=2))
    assert "starts_at" in error.value.message_dict


def test_office_staff_and_partners_cannot_manage_meetings(world):
    for person in (world.staff, world.member_staff, world.partner, world.ministry):
        with pytest.raises(PermissionDenied):
            new_meeting(world, actor=person)
    meeting = new_meeting(world)
    with pytest.raises(PermissionDenied):
        services.meeting_cancel(actor=world.staff, meeting=meeting, reason="دلیل")
    with pytest.raises(PermissionDenied):
        services.agenda_item_add(actor=world.staff, meeting=meeting, title="موضوع")
    with pytest.raises(PermissionDenied):
        services.meeting_invite(actor=world.partner, meeting=meeting)


def test_the_fars_chair_cannot_see_or_manage_isfahan_meetings(world):
    meeting = new_meeting(world)
    with pytest.raises(Http404):
        selectors.meeting_get_for(viewer=world.fars_chair, meeting_id=meeting.pk)
    with pytest.raises(PermissionDenied):
        services.meeting_update(actor=world.fars_chair, meeting=meeting, place="شیراز")
    assert meeting not in selectors.meeting_list(viewer=world.fars_chair)
    # while the ministry centre sees every province
    assert selectors.meeting_get_for(viewer=world.ministry, meeting_id=meeting.pk) == meeting
    assert meeting in selectors.meeting_list(viewer=world.ministry)


def test_cancelling_needs_a_reason_and_only_a_planned_meeting_is_cancelled(world):
    meeting = new_meeting(world)
    with pytest.raises(ValidationError) as error:
        services.meeting_cancel(actor=world.chair, meeting=meeting, reason="  ")
    assert "reason" in error.value.message_dict
    services.meeting_cancel(actor=world.chair, meeting=meeting, reason="تعطیلی رسمی")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancel_reason) == (MeetingStatus.CANCELLED, "تعطیلی رسمی")
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=world.chair, meeting=meeting, reason="دوباره")


def test_a_meeting_is_marked_held_only_once_it_has_started(world):
    meeting = new_meeting(world)
    with pytest.raises(ValidationError):
        services.meeting_mark_held(actor=world.secretary, meeting=meeting)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    meeting.refresh_from_db()
    services.meeting_mark_held(actor=world.secretary, meeting=meeting)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.HELD


# --- schedules in Jalali terms ---------------------------------------------------------


def test_first_and_last_saturday_of_dey_1405():
    # Dey 1, 1405 is Tuesday 22 December 2026: its first Saturday is Dey 5.
    assert services.jalali_month_weekday(1405, 10, 0, 1) == dt.date(2026, 12, 26)
    # Dey has 30 days; Dey 30 is Wednesday 20 January 2027, so the last Saturday is Dey 26.
    assert services.jalali_month_weekday(1405, 10, 0, -1) == dt.date(2027, 1, 16)
    # the second Tuesday of Dey is Dey 8
    assert services.jalali_month_weekday(1405, 10, 3, 2) == dt.date(2026, 12, 29)


def test_schedule_plan_creates_the_first_saturday_of_each_jalali_month(world):
    # given "the first Saturday of every Jalali month at 10:00"
    schedule = services.schedule_create(
        actor=world.secretary,
        council=world.isfahan_council,
        weekday=0,
        week_of_month=1,
        start_time=dt.time(10, 0),
        place="سالن شهید رجایی",
    )
    # when it is planned over Dey, Bahman and Esfand 1405
    meetings = services.schedule_plan(
        schedule=schedule, since=dt.date(2026, 12, 22), until=dt.date(2027, 3, 20)
    )
    # then one meeting each month, on the right day and at 10:00 Tehran time
    assert [m.starts_at for m in meetings] == [
        dt.datetime(2026, 12, 26, 10, 0, tzinfo=TEHRAN),
        dt.datetime(2027, 1, 23, 10, 0, tzinfo=TEHRAN),
        dt.datetime(2027, 2, 20, 10, 0, tzinfo=TEHRAN),
    ]
    assert [m.number for m in meetings] == [1, 2, 3]
    assert all(m.schedule_id == schedule.pk and m.place == "سالن شهید رجایی" for m in meetings)
    assert all(m.agenda_items.count() == 2 for m in meetings)


def test_schedule_plan_is_idempotent(world):
    schedule = ScheduleFactory(council=world.isfahan_council, week_of_month=-1)
    window = {"since": dt.date(2026, 12, 22), "until": dt.date(2027, 3, 20)}
    first = services.schedule_plan(schedule=schedule, **window)
    second = services.schedule_plan(schedule=schedule, **window)
    assert [m.starts_at.date() for m in first] == [
        dt.date(2027, 1, 16),
        dt.date(2027, 2, 13),
        dt.date(2027, 3, 20),
    ]
    assert second == []
    assert Meeting.objects.filter(schedule=schedule).count() == 3


def test_a_planned_meeting_moved_to_another_day_is_not_planned_again(world):
    schedule = ScheduleFactory(council=world.isfahan_council)
    window = {"since": dt.date(2026, 12, 22), "until": dt.date(2027, 1, 20)}
    (meeting,) = services.schedule_plan(schedule=schedule, **window)
    meeting.starts_at = dt.datetime(2026, 12, 27, 11, 0, tzinfo=TEHRAN)
    meeting.save()
    assert services.schedule_plan(schedule=schedule, **window) == []


def test_a_quarterly_schedule_skips_the_months_between(world):
    schedule = ScheduleFactory(council=world.isfahan_council, every_months=3)
    # created in Azar 1405 (today in the test's world is whatever it is: pin it)
    schedule.created_at = dt.datetime(2026, 11, 26, 12, 0, tzinfo=TEHRAN)  # 5 Azar 1405
    dates = services.schedule_dates(
        schedule, start=dt.date(2026, 11, 22), until=dt.date(2027, 6, 21)
    )
    # Azar, Esfand, Khordad
    assert dates == [dt.date(2026, 11, 28), dt.date(2027, 2, 20), dt.date(2027, 5, 22)]


def test_the_planning_task_plans_active_schedules_sixty_days_ahead(world):
    active = ScheduleFactory(council=world.isfahan_council)
    ScheduleFactory(council=world.fars_council, is_active=False)
    schedules_plan.delay()
    planned = Meeting.objects.filter(schedule=active)
    assert planned.count() in (2, 3)  # 60 days hold two or three first Saturdays
    assert all(m.starts_at <= timezone.now() + dt.timedelta(days=61) for m in planned)
    assert not Meeting.objects.filter(council=world.fars_council).exists()
    schedules_plan.delay()
    assert Meeting.objects.filter(schedule=active).count() == planned.count()


# --- invitations -----------------------------------------------------------------------


def test_invitations_mail_each_office_an_ics_and_notify_each_person_once(
    world, django_capture_on_commit_callbacks
):
    # given offices and people with email addresses
    with_emails(world)
    meeting = new_meeting(world, title="جلسه هماهنگی نوروز")
    # when the secretary sends the invitations
    with django_capture_on_commit_callbacks(execute=True):
        count = services.meeting_invite(actor=world.secretary, meeting=meeting)
    # then five people of the three Isfahan offices get a notice (not Fars, not the ministry)
    assert count == 5
    notices = Notification.objects.filter(dedupe_key__startswith=f"meeting-{meeting.pk}-invite")
    assert sorted(n.recipient.username for n in notices) == [
        "chair",
        "partner",
        "rail",
        "secretary",
        "staff",
    ]
    # and each office address gets exactly one email with the meeting as a calendar file
    sent = calendars(mail.outbox)
    assert sorted(to for to, _cal in sent) == sorted(
        o.email for o in (world.chair_office, world.member_office, world.partner_office)
    )
    event = only_event(sent[0][1])
    assert str(event["uid"]) == f"meeting-{meeting.pk}@hamseda"
    assert "جلسه هماهنگی نوروز" in str(event["summary"])
    assert event.decoded("dtstart") == meeting.starts_at
    assert event["dtstart"].params["TZID"] == "Asia/Tehran"
    assert int(event["sequence"]) == 0
    # and the people's own emails went out too, one each
    personal = [m for m in mail.outbox if not m.attachments]
    assert sorted(m.to[0] for m in personal) == sorted(
        f"{u}@example.ir" for u in ("chair", "secretary", "staff", "rail", "partner")
    )
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at is not None

    # when the invitations are sent again for the same time
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.meeting_invite(actor=world.secretary, meeting=meeting)
    # then nobody hears twice
    assert again == 0
    assert mail.outbox == []
    assert notices.count() == 5


def test_rescheduling_an_invited_meeting_invites_again_with_a_higher_sequence(
    world, django_capture_on_commit_callbacks
):
    with_emails(world)
    meeting = new_meeting(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=world.secretary, meeting=meeting)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(actor=world.chair, meeting=meeting, starts_at=soon(9, 12))

    sent = calendars(mail.outbox)
    assert len(sent) == 3
    event = only_event(sent[0][1])
    assert event.decoded("dtstart") == soon(9, 12)
    assert int(event["sequence"]) == 1
    assert Notification.objects.filter(recipient=world.member_staff).count() == 2
    assert AuditEvent.objects.filter(event="meeting_rescheduled").count() == 1


def test_cancelling_an_invited_meeting_mails_the_cancelled_event(
    world, django_capture_on_commit_callbacks
):
    with_emails(world)
    meeting = new_meeting(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=world.secretary, meeting=meeting)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=world.chair, meeting=meeting, reason="تعطیلی رسمی")
    sent = calendars(mail.outbox)
    assert len(sent) == 3
    event = only_event(sent[0][1])
    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == 1
    assert Notification.objects.filter(dedupe_key=f"meeting-{meeting.pk}-cancelled").count() == 5


def test_a_cancelled_meeting_sends_no_invitations(world):
    meeting = new_meeting(world)
    services.meeting_cancel(actor=world.chair, meeting=meeting, reason="تعطیلی")
    with pytest.raises(ValidationError):
        services.meeting_invite(actor=world.chair, meeting=meeting)


# --- calendars -------------------------------------------------------------------------


def test_the_feed_token_names_its_user_and_a_forged_one_names_nobody(world):
    token = ics.feed_token(world.chair.pk)
    assert ics.feed_user_pk(token) == world.chair.pk
    assert ics.feed_user_pk(token[:-2] + "xx") is None
    assert ics.feed_user_pk(f"{world.ministry.pk}:forged") is None


def test_a_cancelled_meeting_is_a_cancelled_event(world):
    meeting = new_meeting(world)
    services.meeting_cancel(actor=world.chair, meeting=meeting, reason="تعطیلی")
    event = only_event(Calendar.from_ical(ics.calendar_for([meeting])))
    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == 1
    assert str(event["location"]) == "سالن جلسات"


# --- agenda ----------------------------------------------------------------------------


def test_agenda_items_are_added_at_the_end_and_move_up_and_down(world):
    meeting = new_meeting(world)
    topic = services.agenda_item_add(
        actor=world.secretary,
        meeting=meeting,
        title="برنامه سفرهای نوروزی",
        presenting_office=world.member_office,
        minutes_allotted=15,
    )
    assert topic.position == 3
    services.agenda_item_move(actor=world.secretary, item=topic, direction="up")
    services.agenda_item_move(actor=world.secretary, item=topic, direction="up")
    order = [r.item.title for r in selectors.agenda_for(viewer=world.staff, meeting=meeting)]
    assert order == ["برنامه سفرهای نوروزی", "پیگیری مصوبات جلسات قبل", "گزارش روابط عمومی‌ها"]
    # moving the first item up changes nothing
    services.agenda_item_move(actor=world.secretary, item=topic, direction="up")
    agenda = selectors.agenda_for(viewer=world.staff, meeting=meeting)
    assert agenda[0].item.pk == topic.pk


def test_the_automatic_items_cannot_be_removed_and_topics_can(world):
    meeting = new_meeting(world)
    review = meeting.agenda_items.get(kind=AgendaKind.FOLLOWUP_REVIEW)
    with pytest.raises(ValidationError):
        services.agenda_item_remove(actor=world.secretary, item=review)
    topic = services.agenda_item_add(actor=world.secretary, meeting=meeting, title="موضوع")
    services.agenda_item_remove(actor=world.secretary, item=topic)
    assert meeting.agenda_items.count() == 2


def test_the_presenter_must_be_an_office_of_the_council(world):
    meeting = new_meeting(world)
    with pytest.raises(ValidationError) as error:
        services.agenda_item_add(
            actor=world.secretary,
            meeting=meeting,
            title="موضوع",
            presenting_office=world.fars_office,
        )
    assert "presenting_office" in error.value.message_dict


def test_the_follow_up_review_lists_open_follow_ups_with_age_owners_and_ministry_reply(world):
    # given a referred resolution of an earlier meeting, open for 40 days, that the
    # ministry has answered
    earlier = MeetingFactory(council=world.isfahan_council, status=MeetingStatus.APPROVED)
    resolution = Resolution.objects.create(
        meeting=earlier, number=1, text="تأمین اعتبار تبلیغات محیطی", decision=Decision.REFERRED
    )
    followup = FollowUp.objects.create(
        resolution=resolution, council=world.isfahan_council, is_referral=True
    )
    followup.offices.set([world.member_office])
    Referral.objects.create(
        followup=followup, reply="در دست بررسی معاونت", replied_at=timezone.now()
    )
    meeting = new_meeting(world)
    FollowUp.objects.filter(pk=followup.pk).update(
        created_at=meeting.starts_at - dt.timedelta(days=40)
    )
    # when the agenda is read
    rows = selectors.agenda_for(viewer=world.member_staff, meeting=meeting)
    # then the review item carries it, read now; the meeting is still ahead, so
    # the age is counted up to today, not up to the meeting
    (entry,) = rows[0].followups
    created = FollowUp.objects.get(pk=followup.pk).created_at
    assert entry.followup.pk == followup.pk
    # days open are counted in Tehran dates (after 20:30 UTC it is tomorrow there)
    assert entry.days_open == (jalali.today() - jalali.local_date(created)).days
    assert entry.days_open < 40
    assert entry.offices == [world.member_office]
    assert entry.reply == "در دست بررسی معاونت"
    assert rows[1].followups == []


# --- member reports --------------------------------------------------------------------


ITEMS = [
    {"kind": "action", "text": "انتشار اخبار پروژه‌ها", "figure_label": "خبر", "figure_value": "۴۲"},
    {"kind": "problem", "text": "کمبود اعتبار تبلیغات", "figure_label": "", "figure_value": None},
    {"kind": "suggestion", "text": "قرارگاه رسانه‌ای مشترک"},
    {"kind": "viewpoint", "text": ""},  # an empty row is no item
]


def test_report_save_replaces_the_offices_items(world):
    meeting = new_meeting(world)
    report = services.report_save(
        actor=world.member_staff,
        meeting=meeting,
        office=world.member_office,
        summary="خلاصه",
        items=ITEMS,
        submit=False,
    )
    assert report.status == ReportStatus.DRAFT
    assert sorted(report.items.values_list("kind", flat=True)) == [
        "action",
        "problem",
        "suggestion",
    ]
    assert report.items.get(kind="action").figure_value == Decimal("42")

    report = services.report_save(
        actor=world.member_staff,
        meeting=meeting,
        office=world.member_office,
        summary="خلاصه تازه",
        items=[{"kind": "problem", "text": "مسئله تازه"}],
        submit=True,
    )
    assert [i.text for i in report.items.all()] == ["مسئله تازه"]
    assert ReportItem.objects.filter(report__meeting=meeting).count() == 1
    assert (report.status, report.submitted_by) == (ReportStatus.SUBMITTED, world.member_staff)

    # a submitted report can still be edited, and stays submitted
    report = services.report_save(
        actor=world.member_staff,
        meeting=meeting,
        office=world.member_office,
        summary="اصلاح",
        items=[],
        submit=False,
    )
    assert report.status == ReportStatus.SUBMITTED


def test_staff_submit_only_their_own_offices_report(world):
    meeting = new_meeting(world)
    with pytest.raises(PermissionDenied):
        services.report_save(
            actor=world.member_staff,
            meeting=meeting,
            office=world.chair_office,
            summary="",
            items=[],
            submit=False,
        )
    # the chair reports for the chair's office only, too
    with pytest.raises(PermissionDenied):
        services.report_save(
            actor=world.chair,
            meeting=meeting,
            office=world.partner_office,
            summary="",
            items=[],
            submit=False,
        )


def test_a_report_is_read_only_once_the_meeting_is_held(world):
    meeting = MeetingFactory(
        council=world.isfahan_council,
        status=MeetingStatus.HELD,
        starts_at=timezone.now() - dt.timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        services.report_save(
            actor=world.partner,
            meeting=meeting,
            office=world.partner_office,
            summary="دیر رسید",
            items=[],
            submit=True,
        )


def test_a_figure_belongs_to_an_action_and_needs_label_and_value(world):
    meeting = new_meeting(world)
    bad_rows = [
        [{"kind": "problem", "text": "مسئله", "figure_label": "عدد", "figure_value": "3"}],
        [{"kind": "action", "text": "اقدام", "figure_label": "خبر", "figure_value": None}],
        [{"kind": "action", "text": "", "figure_label": "خبر", "figure_value": "3"}],
        [{"kind": "other", "text": "نوع ناشناخته"}],
    ]
    for rows in bad_rows:
        with pytest.raises(ValidationError):
            services.report_save(
                actor=world.partner,
                meeting=meeting,
                office=world.partner_office,
                summary="",
                items=rows,
                submit=False,
            )


def test_an_office_outside_the_council_has_no_report(world):
    meeting = new_meeting(world)
    with pytest.raises(ValidationError):
        services.report_save(
            actor=world.admin,
            meeting=meeting,
            office=world.fars_office,
            summary="",
            items=[],
            submit=False,
        )


def test_report_status_lists_every_reporting_office(world):
    meeting = new_meeting(world)
    services.report_save(
        actor=world.partner,
        meeting=meeting,
        office=world.partner_office,
        summary="",
        items=ITEMS,
        submit=True,
    )
    rows = selectors.report_status(viewer=world.secretary, meeting=meeting)
    assert [(r.office, r.submitted, r.item_count) for r in rows] == [
        (world.chair_office, False, 0),
        (world.member_office, False, 0),
        (world.partner_office, True, 3),
    ]


def test_the_briefing_groups_all_offices_items_by_kind(world):
    meeting = new_meeting(world)
    for person, office in (
        (world.partner, world.partner_office),
        (world.member_staff, world.member_office),
    ):
        services.report_save(
            actor=person, meeting=meeting, office=office, summary="", items=ITEMS, submit=True
        )
    briefing = selectors.briefing_for(viewer=world.chair, meeting=meeting)
    problems = next(s for s in briefing.sections if s.kind == "problem")
    assert sorted(e.office.pk for e in problems.entries) == sorted(
        [world.partner_office.pk, world.member_office.pk]
    )
    assert briefing.missing == [world.chair_office]


# --- attendance ------------------------------------------------------------------------


def test_attendance_is_recorded_per_office_and_a_representative_needs_a_name(world):
    meeting = new_meeting(world)
    with pytest.raises(ValidationError) as error:
        services.attendance_record(
            actor=world.secretary,
            meeting=meeting,
            entries=[{"office": world.member_office, "status": "represented"}],
        )
    assert "attendee_name" in error.value.message_dict
    entries = [
        {"office": world.chair_office, "status": "present", "attendee_name": "مدیر روابط عمومی"},
        {"office": world.member_office, "status": "absent"},
        {
            "office": world.partner_office,
            "status": "represented",
            "attendee_name": "علی رضایی",
            "attendee_title": "کارشناس",
        },
    ]
    services.attendance_record(actor=world.secretary, meeting=meeting, entries=entries)
    entries[1]["status"] = "present"
    services.attendance_record(actor=world.secretary, meeting=meeting, entries=entries)
    rows = {a.office_id: a for a in Attendance.objects.filter(meeting=meeting)}
    assert len(rows) == 3
    assert rows[world.member_office.pk].status == "present"
    assert rows[world.partner_office.pk].attendee_name == "علی رضایی"
    with pytest.raises(PermissionDenied):
        services.attendance_record(actor=world.staff, meeting=meeting, entries=entries)
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=world.secretary,
            meeting=meeting,
            entries=[{"office": world.fars_office, "status": "present"}],
        )
