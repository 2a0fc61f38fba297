"""The minutes: live text with versions, resolutions and their follow-ups,
approval, acknowledgements; the pages, their permissions and query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from playwright.sync_api import expect

from hamseda.core.models import AuditEvent, Notification
from hamseda.core.tests import browser
from hamseda.directory.tests.factories import OfficeFactory, PersonFactory, membership
from hamseda.followups.models import FollowUp, FollowUpStatus, Referral
from hamseda.meetings.models import (
    Acknowledgement,
    AttendanceStatus,
    Decision,
    MeetingStatus,
    Minutes,
    ReportItemKind,
    Resolution,
)
from hamseda.meetings.services import minutes as minutes_services
from hamseda.meetings.services.minutes import (
    MinutesConflict,
    minutes_acknowledge,
    minutes_approve,
    minutes_save,
    resolution_add,
    resolution_remove,
    resolution_update,
)
from hamseda.meetings.tests.minutes_factories import (
    agenda_item,
    attend,
    future_meeting,
    meeting,
    raised_item,
)

pytestmark = pytest.mark.django_db

DAY_AFTER = dt.date(2025, 10, 8)  # the day after the factories' meeting


@pytest.fixture
def held(world):
    """An Isfahan meeting that took place, with the chair's and the railway's
    offices present and the governorate absent."""
    m = meeting(world.isfahan_council)
    attend(m, world.chair_office, name="مریم احمدی", title="مدیر روابط عمومی")
    attend(m, world.member_office, AttendanceStatus.REPRESENTED, name="علی رضایی", title="کارشناس")
    attend(m, world.partner_office, AttendanceStatus.ABSENT)
    return m


def _assign(world, m, text="برنامه سفرهای تابستانی تهیه شود", **fields):
    fields.setdefault("decision", Decision.ASSIGNED)
    fields.setdefault("responsible_offices", [world.member_office])
    fields.setdefault("due_date", DAY_AFTER)
    return resolution_add(actor=world.secretary, meeting=m, text=text, **fields)


# --- the text and its versions -------------------------------------------------------


def test_first_save_creates_the_minutes_at_version_one(world, held):
    minutes = minutes_save(actor=world.secretary, meeting=held, body="آغاز جلسه", version=0)
    assert (minutes.body, minutes.version) == ("آغاز جلسه", 1)
    assert AuditEvent.objects.filter(event="minutes_saved", target_id=str(minutes.pk)).exists()


def test_each_save_moves_the_version_on(world, held):
    minutes_save(actor=world.secretary, meeting=held, body="بند ۱", version=0)
    minutes = minutes_save(actor=world.secretary, meeting=held, body="بند ۱\nبند ۲", version=1)
    assert minutes.version == 2
    # the conditional UPDATE keeps the search key in step (meetings.search)
    assert "بند2" in minutes.text_key


def test_saving_from_an_old_version_raises_a_conflict_and_keeps_the_stored_text(world, held):
    # given the chair saved after the secretary opened the page at version 1
    minutes_save(actor=world.secretary, meeting=held, body="متن اول", version=0)
    minutes_save(actor=world.chair, meeting=held, body="متن رئیس", version=1)
    # when the secretary saves from version 1
    with pytest.raises(MinutesConflict) as caught:
        minutes_save(actor=world.secretary, meeting=held, body="متن دبیر", version=1)
    # then nothing is overwritten, and the conflict says what is stored and by whom
    stored = Minutes.objects.get(meeting=held)
    assert (stored.body, stored.version) == ("متن رئیس", 2)
    conflict = caught.value
    assert isinstance(conflict, ValidationError)
    assert conflict.current_body == "متن رئیس"
    assert conflict.current_version == 2
    assert conflict.saved_by == world.chair.display_name
    assert "body" in conflict.message_dict
    assert "همکار دیگری" in conflict.message_dict["body"][0]


def test_of_two_saves_from_the_same_version_exactly_one_wins(world, held):
    minutes_save(actor=world.secretary, meeting=held, body="پایه", version=0)
    outcomes = []
    for actor, body in [(world.secretary, "نسخه دبیر"), (world.chair, "نسخه رئیس")]:
        try:
            minutes_save(actor=actor, meeting=held, body=body, version=1)
            outcomes.append("won")
        except MinutesConflict:
            outcomes.append("conflict")
    assert sorted(outcomes) == ["conflict", "won"]
    assert Minutes.objects.get(meeting=held).body == "نسخه دبیر"


def test_the_conditional_update_refuses_a_save_whose_read_was_stale(world, held, monkeypatch):
    # given two requests that both read version 1 before either wrote, and the
    # first one's write landing between the second one's read and its write
    minutes_save(actor=world.secretary, meeting=held, body="پایه", version=0)
    stale = Minutes.objects.get(meeting=held)
    Minutes.objects.filter(pk=stale.pk).update(body="برنده", version=2)
    monkeypatch.setattr(minutes_services, "_stored_minutes", lambda meeting: stale)
    # when the second request writes from version 1
    with pytest.raises(MinutesConflict) as caught:
        minutes_save(actor=world.chair, meeting=held, body="بازنده", version=1)
    # then the first write stands and the conflict shows it
    assert Minutes.objects.get(meeting=held).body == "برنده"
    assert caught.value.current_body == "برنده"


def test_saving_the_stored_text_again_changes_nothing(world, held):
    minutes_save(actor=world.secretary, meeting=held, body="متن", version=0)
    minutes = minutes_save(actor=world.chair, meeting=held, body="متن", version=0)
    assert minutes.version == 1


def test_office_staff_cannot_write_the_minutes(world, held):
    with pytest.raises(PermissionDenied):
        minutes_save(actor=world.staff, meeting=held, body="متن", version=0)


# --- resolutions ---------------------------------------------------------------------


def test_resolutions_are_numbered_per_meeting(world, held):
    first = _assign(world, held)
    second = resolution_add(
        actor=world.secretary,
        meeting=held,
        text="جلسات شورا به‌طور منظم برگزار شود",
        decision=Decision.NOTED,
    )
    other = meeting(world.isfahan_council)
    elsewhere = resolution_add(
        actor=world.secretary, meeting=other, text="مصوبه جلسه دیگر", decision=Decision.NOTED
    )
    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)


def test_removing_a_resolution_renumbers_the_ones_after_it(world, held):
    first, _second, _third = (_assign(world, held, text=f"مصوبه {n}") for n in "۱۲۳")
    resolution_remove(actor=world.secretary, resolution=first)
    assert list(Resolution.objects.filter(meeting=held).values_list("text", "number")) == [
        ("مصوبه ۲", 1),
        ("مصوبه ۳", 2),
    ]
    assert AuditEvent.objects.filter(event="resolution_removed", target_id=str(held.pk)).exists()


def test_a_due_date_before_the_meeting_is_an_error_on_due_date(world, held):
    with pytest.raises(ValidationError) as caught:
        _assign(world, held, due_date=dt.date(2025, 10, 6))
    assert set(caught.value.message_dict) == {"due_date"}
    assert "پیش از تاریخ جلسه" in caught.value.message_dict["due_date"][0]
    assert "۱۴۰۴/۰۷/۱۵" in caught.value.message_dict["due_date"][0]


def test_a_due_date_on_the_meeting_day_is_accepted(world, held):
    assert _assign(world, held, due_date=dt.date(2025, 10, 7)).pk


def test_an_assigned_resolution_needs_an_office_and_a_due_date(world, held):
    with pytest.raises(ValidationError) as caught:
        _assign(world, held, responsible_offices=[], due_date=None)
    assert set(caught.value.message_dict) == {"responsible_offices", "due_date"}


def test_responsible_offices_must_be_of_the_councils_province(world, held):
    with pytest.raises(ValidationError) as caught:
        _assign(world, held, responsible_offices=[world.member_office, world.fars_office])
    assert "responsible_offices" in caught.value.message_dict
    assert world.fars_office.name in caught.value.message_dict["responsible_offices"][0]


def test_a_resolution_may_only_arise_from_a_raised_item_of_its_meeting(world, held):
    other = meeting(world.isfahan_council)
    foreign = raised_item(other, world.member_office)
    action = raised_item(held, world.member_office, "۱۲ خبر منتشر شد", ReportItemKind.ACTION)
    for item in (foreign, action):
        with pytest.raises(ValidationError) as caught:
            _assign(world, held, source_item=item)
        assert "source_item" in caught.value.message_dict


def test_resolved_in_the_meeting_keeps_the_solution_and_drops_offices(world, held):
    item = raised_item(held, world.member_office)
    resolution = resolution_add(
        actor=world.secretary,
        meeting=held,
        text=item.text,
        decision=Decision.RESOLVED,
        solution="از ظرفیت قرارگاه رسانه‌ای استفاده شود",
        solved_by="رئیس مرکز ارتباطات وزارت",
        responsible_offices=[world.member_office],
        due_date=DAY_AFTER,
        source_item=item,
    )
    assert resolution.solution.startswith("از ظرفیت")
    assert list(resolution.responsible_offices.all()) == []
    assert resolution.due_date is None
    assert not FollowUp.objects.filter(resolution=resolution).exists()


def test_an_assigned_resolution_opens_a_follow_up_for_its_offices(world, held):
    resolution = _assign(world, held)
    followup = FollowUp.objects.get(resolution=resolution)
    assert list(followup.offices.all()) == [world.member_office]
    assert followup.due_date == DAY_AFTER
    assert not followup.is_referral


def test_a_referred_resolution_gets_a_referral_and_resolving_it_cancels_the_follow_up(world, held):
    # given an item referred to the ministry
    resolution = resolution_add(
        actor=world.secretary,
        meeting=held,
        text="اصلاح دستورالعمل اطلاع‌رسانی طرح‌ها",
        decision=Decision.REFERRED,
    )
    followup = FollowUp.objects.get(resolution=resolution)
    assert followup.is_referral
    assert Referral.objects.filter(followup=followup).exists()
    # when the meeting resolves it after all
    resolution_update(
        actor=world.secretary,
        resolution=resolution,
        decision=Decision.RESOLVED,
        solution="راهکار در همین جلسه ارائه شد",
    )
    # then its follow-up is cancelled, not deleted
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.CANCELLED
    assert AuditEvent.objects.filter(event="resolution_updated").exists()


def test_updating_the_offices_moves_the_follow_up_with_them(world, held):
    resolution = _assign(world, held)
    resolution_update(
        actor=world.secretary,
        resolution=resolution,
        responsible_offices=[world.partner_office, world.chair_office],
    )
    followup = FollowUp.objects.get(resolution=resolution)
    assert set(followup.offices.all()) == {world.partner_office, world.chair_office}


def test_resolution_update_refuses_unknown_fields(world, held):
    with pytest.raises(TypeError):
        resolution_update(actor=world.secretary, resolution=_assign(world, held), number=9)


def test_office_staff_cannot_add_resolutions(world, held):
    with pytest.raises(PermissionDenied):
        resolution_add(actor=world.staff, meeting=held, text="مصوبه", decision=Decision.NOTED)
    assert not Resolution.objects.exists()


def test_another_provinces_chair_cannot_touch_the_resolutions(world, held):
    resolution = _assign(world, held)
    with pytest.raises(PermissionDenied):
        resolution_update(actor=world.fars_chair, resolution=resolution, text="تغییر")
    with pytest.raises(PermissionDenied):
        resolution_remove(actor=world.fars_chair, resolution=resolution)


def test_a_cancelled_meeting_takes_no_minutes(world):
    m = meeting(world.isfahan_council, status=MeetingStatus.CANCELLED)
    with pytest.raises(ValidationError):
        minutes_save(actor=world.secretary, meeting=m, body="متن", version=0)
    with pytest.raises(ValidationError):
        resolution_add(actor=world.secretary, meeting=m, text="مصوبه", decision=Decision.NOTED)


# --- approval and acknowledgement ----------------------------------------------------------


def test_approval_makes_the_minutes_and_resolutions_read_only(world, held):
    # given minutes with one resolution, approved by the chair
    minutes_save(actor=world.secretary, meeting=held, body="شرح جلسه", version=0)
    resolution = _assign(world, held)
    minutes = minutes_approve(actor=world.chair, meeting=held)
    held.refresh_from_db()
    assert minutes.approved_by == world.chair
    assert minutes.approved_at is not None
    assert held.status == MeetingStatus.APPROVED
    # then every write is refused with a Persian message, and nothing changes
    attempts = [
        lambda: minutes_save(actor=world.secretary, meeting=held, body="تغییر", version=1),
        lambda: _assign(world, held, text="مصوبه تازه"),
        lambda: resolution_update(actor=world.secretary, resolution=resolution, text="تغییر"),
        lambda: resolution_remove(actor=world.secretary, resolution=resolution),
        lambda: minutes_approve(actor=world.chair, meeting=held),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert "تأیید شده" in " ".join(caught.value.messages)
    assert Minutes.objects.get(meeting=held).body == "شرح جلسه"
    assert list(Resolution.objects.filter(meeting=held).values_list("text", flat=True)) == [
        resolution.text
    ]


def test_approval_asks_every_attendee_to_acknowledge(world, held):
    minutes_save(actor=world.secretary, meeting=held, body="شرح جلسه", version=0)
    minutes_approve(actor=world.chair, meeting=held)
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    # the people of the present and represented offices, not the absent governorate's
    assert notified == {"chair", "secretary", "staff", "rail"}
    assert reverse("meetings:minutes_detail", args=[held.pk]) in Notification.objects.first().url


def test_the_secretary_cannot_approve(world, held):
    minutes_save(actor=world.secretary, meeting=held, body="شرح جلسه", version=0)
    with pytest.raises(PermissionDenied):
        minutes_approve(actor=world.secretary, meeting=held)


def test_the_fars_chair_cannot_approve_isfahans_minutes(world, held):
    minutes_save(actor=world.secretary, meeting=held, body="شرح جلسه", version=0)
    with pytest.raises(PermissionDenied):
        minutes_approve(actor=world.fars_chair, meeting=held)


def test_empty_minutes_and_future_meetings_are_not_approved(world, held):
    with pytest.raises(ValidationError):
        minutes_approve(actor=world.chair, meeting=held)
    upcoming = future_meeting(world.isfahan_council)
    with pytest.raises(ValidationError):
        minutes_approve(actor=world.chair, meeting=upcoming)


def test_an_acknowledgement_is_recorded_once_per_person(world, held):
    minutes_save(actor=world.secretary, meeting=held, body="شرح جلسه", version=0)
    minutes_approve(actor=world.chair, meeting=held)
    first = minutes_acknowledge(actor=world.member_staff, meeting=held)
    again = minutes_acknowledge(actor=world.member_staff, meeting=held)
    assert first.pk == again.pk
    assert Acknowledgement.objects.count() == 1
    assert AuditEvent.objects.filter(event="minutes_acknowledged").count() == 1


def test_only_people_of_the_councils_offices_acknowledge(world, held):
    minutes_save(actor=world.secretary, meeting=held, body="شرح جلسه", version=0)
    minutes_approve(actor=world.chair, meeting=held)
    # the ministry centre sees the minutes but is not a member office
    with pytest.raises(PermissionDenied):
        minutes_acknowledge(actor=world.ministry, meeting=held)
    with pytest.raises(PermissionDenied):
        minutes_acknowledge(actor=world.fars_chair, meeting=held)


def test_minutes_not_yet_approved_cannot_be_acknowledged(world, held):
    with pytest.raises(ValidationError):
        minutes_acknowledge(actor=world.member_staff, meeting=held)


# --- pages ---------------------------------------------------------------------------


def _htmx(client, url, data):
    return client.post(url, data, headers={"HX-Request": "true"})


def test_the_live_page_saves_with_htmx_and_answers_the_new_version(client, world, held):
    client.force_login(world.secretary)
    url = reverse("meetings:minutes_edit", args=[held.pk])
    page = client.get(url).content.decode()
    assert 'name="version" id="id_version" value="0"' in page
    assert 'data-autosave="minutes-' in page
    assert "data-discard-draft" in page
    response = _htmx(client, url, {"body": "گزارش اقدامات روابط عمومی‌ها", "version": "0"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert re.search(r"ذخیره شد ساعت [۰-۹]{2}:[۰-۹]{2}", html)
    assert 'id="id_version" value="1"' in html
    assert 'hx-swap-oob="true"' in html
    response = _htmx(client, url, {"body": "گزارش اقدامات روابط عمومی‌ها و مصوبات", "version": "1"})
    assert 'id="id_version" value="2"' in response.content.decode()


def test_a_conflicting_htmx_save_shows_the_other_text_and_keeps_the_version(client, world, held):
    minutes_save(actor=world.chair, meeting=held, body="متن رئیس شورا", version=0)
    minutes_save(actor=world.chair, meeting=held, body="متن رئیس شورا، ویرایش دوم", version=1)
    client.force_login(world.secretary)
    url = reverse("meetings:minutes_edit", args=[held.pk])
    response = _htmx(client, url, {"body": "متن دبیر", "version": "1"})
    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps 2xx only
    assert "متن رئیس شورا، ویرایش دوم" in html
    assert 'data-state="conflict"' in html
    assert 'name="adopt_version" value="2"' in html
    assert "hx-swap-oob" not in html  # the version does not move until the user merges
    # when the user has merged and adopts the new version
    merged = "متن رئیس شورا، ویرایش دوم\nمتن دبیر"
    response = _htmx(client, url, {"body": merged, "version": "1", "adopt_version": "2"})
    assert 'id="id_version" value="3"' in response.content.decode()
    assert Minutes.objects.get(meeting=held).body == merged


def test_the_conflict_page_keeps_the_users_text(client, world, held):
    minutes_save(actor=world.chair, meeting=held, body="متن رئیس شورا", version=0)
    client.force_login(world.secretary)
    url = reverse("meetings:minutes_edit", args=[held.pk])
    response = client.post(url, {"body": "متن طولانی دبیر که نباید گم شود", "version": "0"})
    html = response.content.decode()
    assert response.status_code == 409
    assert ">متن طولانی دبیر که نباید گم شود</textarea>" in html
    assert "متن رئیس شورا" in html
    assert Minutes.objects.get(meeting=held).body == "متن رئیس شورا"


def test_a_plain_post_saves_and_returns_to_the_page(client, world, held):
    client.force_login(world.secretary)
    url = reverse("meetings:minutes_edit", args=[held.pk])
    response = client.post(url, {"body": "متن", "version": "0"})
    assert response.status_code == 302
    assert Minutes.objects.get(meeting=held).body == "متن"


def test_adding_a_resolution_with_htmx_swaps_the_resolutions_panel(client, world, held):
    item = raised_item(held, world.member_office, "نبود هماهنگی در اطلاع‌رسانی پروژه‌ها")
    client.force_login(world.secretary)
    url = reverse("meetings:resolution_add", args=[held.pk])
    response = _htmx(
        client,
        url,
        {
            "text": "برنامه سفرهای تابستانی تهیه شود",
            "decision": Decision.ASSIGNED,
            "responsible_offices": [world.member_office.pk],
            "due_date": "۱۴۰۴/۰۸/۱۵",
            "source_item": item.pk,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<section id="resolutions-panel"') or 'id="resolutions-panel"' in html
    assert "<html" not in html
    assert "برنامه سفرهای تابستانی تهیه شود" in html
    assert "۱۴۰۴/۰۸/۱۵" in html
    resolution = Resolution.objects.get(meeting=held)
    assert resolution.source_item == item
    assert resolution.due_date == dt.date(2025, 11, 6)


def test_a_resolution_error_shows_beside_the_field_and_keeps_the_input(client, world, held):
    client.force_login(world.secretary)
    url = reverse("meetings:resolution_add", args=[held.pk])
    response = _htmx(
        client,
        url,
        {
            "text": "گزارش عملکرد ماهانه ارسال شود",
            "decision": Decision.ASSIGNED,
            "responsible_offices": [world.member_office.pk],
            "due_date": "1404/07/01",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_due_date_error"' in html
    assert "پیش از تاریخ جلسه" in html
    assert "گزارش عملکرد ماهانه ارسال شود</textarea>" in html
    assert 'value="1404/07/01"' in html
    assert not Resolution.objects.exists()


def test_editing_and_removing_a_resolution_through_the_page(client, world, held):
    resolution = _assign(world, held)
    client.force_login(world.secretary)
    edit = reverse("meetings:resolution_edit", args=[held.pk, resolution.pk])
    form = client.get(edit, headers={"HX-Request": "true"}).content.decode()
    assert "ویرایش مصوبه ۱" in form
    response = _htmx(
        client, edit, {"text": "متن تازه مصوبه", "decision": Decision.REFERRED, "due_date": ""}
    )
    assert "مصوبه ۱ ویرایش شد" in response.content.decode()
    resolution.refresh_from_db()
    assert (resolution.text, resolution.decision) == ("متن تازه مصوبه", Decision.REFERRED)
    remove = reverse("meetings:resolution_remove", args=[held.pk, resolution.pk])
    response = _htmx(client, remove, {})
    assert "مصوبه ۱ حذف شد" in response.content.decode()
    assert not Resolution.objects.exists()


def test_staff_may_read_but_not_write_the_minutes(client, world, held):
    client.force_login(world.staff)
    assert client.get(reverse("meetings:minutes_detail", args=[held.pk])).status_code == 200
    assert client.get(reverse("meetings:minutes_edit", args=[held.pk])).status_code == 403
    response = client.post(
        reverse("meetings:resolution_add", args=[held.pk]),
        {"text": "مصوبه", "decision": Decision.NOTED},
    )
    assert response.status_code == 403


def test_every_minutes_page_renders_for_each_persona(client, world, held):
    agenda_item(held, "گزارش روابط عمومی‌ها", 1)
    minutes_save(actor=world.secretary, meeting=held, body="شرح جلسه", version=0)
    _assign(world, held)
    readers = [world.chair, world.secretary, world.staff, world.member_staff, world.partner]
    managers = [world.chair, world.secretary, world.admin]
    detail = reverse("meetings:minutes_detail", args=[held.pk])
    edit = reverse("meetings:minutes_edit", args=[held.pk])
    for persona in [*readers, world.ministry, world.admin]:
        client.force_login(persona)
        response = client.get(detail)
        assert response.status_code == 200, persona.username
        html = response.content.decode()
        assert world.isfahan_council.name in html
        assert "برنامه سفرهای تابستانی تهیه شود" in html
        assert (edit in html) == (persona in managers), persona.username
    for persona in managers:
        client.force_login(persona)
        assert client.get(edit).status_code == 200, persona.username
    for outsider in [world.fars_chair, world.evaluator]:
        client.force_login(outsider)
        for url in [
            detail,
            edit,
            reverse("meetings:minutes_pdf", args=[held.pk]),
            reverse("meetings:resolutions_xlsx", args=[held.pk]),
        ]:
            assert client.get(url).status_code == 404, (outsider.username, url)
        assert client.post(reverse("meetings:minutes_approve", args=[held.pk])).status_code == 404


def test_the_fars_chair_gets_404_from_the_selector(world, held):
    from hamseda.meetings.views.minutes import _meeting_for

    with pytest.raises(Http404):
        _meeting_for(world.fars_chair, held.pk)


def test_approval_through_the_page_hides_the_edit_controls(client, world, held):
    minutes_save(actor=world.secretary, meeting=held, body="شرح جلسه", version=0)
    client.force_login(world.chair)
    detail = reverse("meetings:minutes_detail", args=[held.pk])
    assert (
        reverse("meetings:minutes_approve", args=[held.pk]) in client.get(detail).content.decode()
    )
    response = client.post(reverse("meetings:minutes_approve", args=[held.pk]), follow=True)
    html = response.content.decode()
    assert "صورتجلسه تأیید شد" in html
    assert reverse("meetings:minutes_edit", args=[held.pk]) not in html
    assert reverse("meetings:minutes_approve", args=[held.pk]) not in html
    # the live page now sends the secretary back to the read-only document
    client.force_login(world.secretary)
    response = client.get(reverse("meetings:minutes_edit", args=[held.pk]))
    assert response.status_code == 302


def test_the_minutes_page_shows_who_has_acknowledged_and_who_has_not(client, world, held):
    minutes_save(actor=world.secretary, meeting=held, body="شرح جلسه", version=0)
    minutes_approve(actor=world.chair, meeting=held)
    client.force_login(world.member_staff)
    detail = reverse("meetings:minutes_detail", args=[held.pk])
    assert (
        reverse("meetings:minutes_acknowledge", args=[held.pk])
        in client.get(detail).content.decode()
    )
    client.post(reverse("meetings:minutes_acknowledge", args=[held.pk]))
    html = client.get(detail).content.decode()
    assert "رؤیت صورتجلسه (۱ از ۴)" in html
    done, pending = html.split("هنوز رؤیت نکرده‌اند", 1)
    assert world.member_staff.display_name in done.split("رؤیت کرده‌اند", 1)[1]
    assert world.chair.display_name in pending
    assert reverse("meetings:minutes_acknowledge", args=[held.pk]) not in html


# --- query counts ------------------------------------------------------------------------


def _grow(world, m, size):
    """``size`` resolutions, raised items, attending offices (each a council member
    with a person of its own) and absent ones."""
    for n in range(size):
        office = OfficeFactory()
        membership(world.isfahan_council, office)
        PersonFactory(office=office)
        attend(m, office, AttendanceStatus.PRESENT if n % 2 else AttendanceStatus.REPRESENTED)
        attend(m, OfficeFactory(), AttendanceStatus.ABSENT)
        raised_item(m, office, f"مسئله شماره {n}")
        _assign(
            world,
            m,
            text=f"مصوبه شماره {n}",
            responsible_offices=[office, world.member_office],
        )


def _count(client, url, headers=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["minutes_detail", "minutes_edit", "resolution_add"])
def test_minutes_pages_use_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries, page
):
    small, large = meeting(world.isfahan_council), meeting(world.isfahan_council)
    _grow(world, small, 1)
    _grow(world, large, 15)
    for m in (small, large):
        minutes_save(actor=world.secretary, meeting=m, body="شرح", version=0)
        if page == "minutes_detail":  # approved: the acknowledgement lists show too
            minutes_approve(actor=world.chair, meeting=m)
    client.force_login(world.chair)
    headers = {"HX-Request": "true"} if page == "resolution_add" else None
    urls = [reverse(f"meetings:{page}", args=[m.pk]) for m in (small, large)]
    counts = [_count(client, url, headers) for url in urls]
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        client.get(urls[1], headers=headers or {})
    assert counts[0] <= 25


# --- in the browser ------------------------------------------------------------------------
# Last in the module: the module-scoped Chromium changes the asyncio state of the
# thread for the tests that run after it (core/tests/browser.py).

chromium_browser = browser.chromium_browser
web = browser.web


@pytest.mark.browser
def test_live_minutes_autosave_conflict_and_dropped_connection_in_the_browser(
    django_db_serialized_rollback, transactional_db, world, web
):
    # given the secretary on the live page of a held meeting
    m = meeting(world.isfahan_council)
    attend(m, world.chair_office, name="مریم احمدی", title="مدیر روابط عمومی")
    raised_item(m, world.member_office, "نبود هماهنگی در اطلاع‌رسانی پروژه‌ها")
    page = web
    js_errors: list[str] = []
    page.on("pageerror", lambda error: js_errors.append(str(error)))
    browser.log_in(page, world.secretary)
    page.goto(reverse("meetings:minutes_edit", args=[m.pk]))
    body = page.locator("#id_body")
    status = page.locator("#minutes-status")

    # when she types, the text is saved by itself and the version moves on
    body.fill("گزارش اقدامات روابط عمومی‌ها ارائه شد.")
    body.press("End")
    expect(status).to_contain_text("ذخیره شد ساعت", timeout=8000)
    expect(page.locator("#id_version")).to_have_value("1")
    assert Minutes.objects.get(meeting=m).body == "گزارش اقدامات روابط عمومی‌ها ارائه شد."

    # when the chair saves from another device, her next save is refused, not overwriting
    minutes_save(actor=world.chair, meeting=m, body="متن رئیس شورا", version=1)
    body.press_sequentially(" مصوبات خوانده شد.")
    expect(status).to_contain_text("متن ذخیره‌شده همکار", timeout=8000)
    expect(page.locator("#minutes-theirs")).to_have_value("متن رئیس شورا")
    expect(body).to_have_value("گزارش اقدامات روابط عمومی‌ها ارائه شد. مصوبات خوانده شد.")
    browser.screenshot(page, "minutes-conflict.png")
    assert Minutes.objects.get(meeting=m).body == "متن رئیس شورا"

    # when she merges and adopts the new version, her text is saved as version 3
    body.fill("متن رئیس شورا\nگزارش اقدامات روابط عمومی‌ها ارائه شد.")
    page.get_by_role("button", name="یکی کردم؛ متن من با نسخه تازه ذخیره شود").click()
    expect(status).to_contain_text("ذخیره شد ساعت")
    expect(page.locator("#id_version")).to_have_value("3")

    # when the connection drops, the page says so and saves once it is back
    page.context.set_offline(True)
    body.press_sequentially(" پایان جلسه.")
    body.blur()
    expect(status).to_contain_text("ذخیره نشد", timeout=8000)
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(status).to_contain_text("ذخیره شد ساعت", timeout=12000)
    assert Minutes.objects.get(meeting=m).body.endswith("پایان جلسه.")

    # and a resolution decided on the raised item appears in the table in place
    page.get_by_role("link", name="ثبت تصمیم").click()
    form = page.locator("#resolution-form")
    expect(form).to_contain_text("برخاسته از")
    form.get_by_label("محول به دستگاه").check()
    expect(form.get_by_label("راهکار ارائه‌شده")).to_be_hidden()
    form.get_by_label(world.member_office.name).check()
    form.get_by_label("مهلت انجام").fill("1404/07/01")
    form.get_by_role("button", name="ثبت مصوبه").click()
    expect(page.locator("#id_due_date_error")).to_contain_text("پیش از تاریخ جلسه")
    page.locator("#resolution-form").get_by_label("مهلت انجام").fill("1404/08/15")
    page.locator("#resolution-form").get_by_role("button", name="ثبت مصوبه").click()
    expect(page.locator("#resolutions-panel")).to_contain_text("مصوبه ۱ ثبت شد")
    expect(page.locator(".hs-resolutions")).to_contain_text("۱۴۰۴/۰۸/۱۵")
    browser.screenshot(page, "minutes-live.png")
    page.set_viewport_size(browser.PHONE)
    page.goto(reverse("meetings:minutes_detail", args=[m.pk]))
    browser.screenshot(page, "minutes-detail-phone.png")
    assert js_errors == []
