"""The broadcast pages: the list finds pitches in any spelling and hides other
offices' drafts, an office writes and submits, the chair reviews from the
queue, makes a letter, downloads it and records answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hamseda.broadcast import services
from hamseda.broadcast.models import Dispatch, DispatchItem, Outcome, Pitch, PitchStatus
from hamseda.broadcast.tests.factories import (
    approved_pitch,
    isfahan_contact,
    make_dispatch,
    make_pitch,
    pdf,
)
from hamseda.core import jalali

pytestmark = pytest.mark.django_db


def test_the_list_finds_a_pitch_in_any_spelling_and_hides_other_offices_drafts(world, login):
    make_pitch(world.member_staff, title="قطار گردشگری کاشان", submit=True)
    make_pitch(world.member_staff, title="پیش‌نویس محرمانه")
    client = login(world.staff)
    page = client.get(reverse("broadcast:pitch_list"), {"q": "گردشگري كاشان"})
    assert page.status_code == 200
    assert "قطار گردشگری کاشان" in page.content.decode()
    page = client.get(reverse("broadcast:pitch_list"))
    assert "پیش‌نویس محرمانه" not in page.content.decode()
    # the office sees its own draft
    mine = login(world.member_staff).get(reverse("broadcast:pitch_list"))
    assert "پیش‌نویس محرمانه" in mine.content.decode()


def test_another_province_sees_nothing_and_cannot_open_a_pitch(world, login):
    pitch = make_pitch(world.member_staff, title="قطار گردشگری کاشان", submit=True)
    client = login(world.fars_chair)
    assert "قطار گردشگری" not in client.get(reverse("broadcast:pitch_list")).content.decode()
    assert client.get(pitch.get_absolute_url()).status_code == 404


def test_an_office_writes_and_submits_a_pitch_with_a_file(world, login):
    client = login(world.member_staff)
    response = client.post(
        reverse("broadcast:pitch_create"),
        {
            "title": "قطار گردشگری کاشان",
            "format": "report",
            "summary": "خانواده‌ها با قطار به کاشان می‌روند.",
            "action": "submit",
            "file": pdf("plan.pdf"),
        },
    )
    pitch = Pitch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == pitch.get_absolute_url()
    assert pitch.status == PitchStatus.SUBMITTED
    assert pitch.files.count() == 1
    page = client.get(pitch.get_absolute_url()).content.decode()
    assert "در انتظار بررسی" in page


def test_a_pitch_form_with_errors_keeps_what_was_typed(world, login):
    client = login(world.member_staff)
    response = client.post(
        reverse("broadcast:pitch_create"),
        {"title": "قطار گردشگری کاشان", "format": "report", "summary": "", "action": "draft"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "قطار گردشگری کاشان" in body
    assert "invalid-feedback" in body
    assert not Pitch.objects.exists()


def test_the_chair_approves_from_the_queue_and_returns_with_a_comment(world, login):
    a = make_pitch(world.member_staff, title="سوژه یکم", submit=True)
    b = make_pitch(world.member_staff, title="سوژه دوم", submit=True)
    client = login(world.chair)
    queue = client.get(reverse("broadcast:review_queue")).content.decode()
    assert "سوژه یکم" in queue
    assert "سوژه دوم" in queue
    response = client.post(
        reverse("broadcast:pitch_review", args=[a.pk]), {"decision": "approve", "next": "queue"}
    )
    assert response["Location"] == reverse("broadcast:review_queue")
    # returning without a comment keeps the page with the error beside the field
    response = client.post(reverse("broadcast:pitch_review", args=[b.pk]), {"decision": "return"})
    assert response.status_code == 400
    assert "دلیل" in response.content.decode()
    client.post(
        reverse("broadcast:pitch_review", args=[b.pk]),
        {"decision": "return", "comment": "مصاحبه‌شونده را بنویسید."},
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (PitchStatus.APPROVED, PitchStatus.RETURNED)


def test_office_staff_cannot_review(world, login):
    pitch = make_pitch(world.member_staff, submit=True)
    client = login(world.staff)
    assert client.get(reverse("broadcast:review_queue")).status_code == 403
    response = client.post(
        reverse("broadcast:pitch_review", args=[pitch.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403


def test_the_chair_makes_a_letter_and_downloads_it(world, login):
    isfahan_contact(world)
    pitch = approved_pitch(world)
    client = login(world.chair)
    form = client.get(reverse("broadcast:dispatch_create")).content.decode()
    assert pitch.title in form
    response = client.post(
        reverse("broadcast:dispatch_create"),
        {
            "subject": "سوژه‌های شورا",
            "date": jalali.format_date(jalali.today(), "input"),
            "intro": "با سلام",
            "pitches": [pitch.pk],
        },
    )
    dispatch = Dispatch.objects.get()
    assert response["Location"] == dispatch.get_absolute_url()
    page = client.get(dispatch.get_absolute_url()).content.decode()
    assert dispatch.number_fa in page
    letter = client.get(reverse("broadcast:dispatch_pdf", args=[dispatch.pk]))
    assert letter["Content-Type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF")
    assert "filename*=UTF-8''" in letter["Content-Disposition"]


def test_the_secretary_records_an_aired_answer_and_errors_stay_in_place(world, login):
    dispatch = make_dispatch(world)
    item = dispatch.items.get()
    client = login(world.secretary)
    url = reverse("broadcast:answer_record", args=[dispatch.pk, item.pk])
    prefix = f"item{item.pk}-"
    response = client.post(url, {prefix + "outcome": "aired", prefix + "programme": "گزارش ویژه"})
    assert response.status_code == 400
    assert "تاریخ پخش را وارد کنید" in response.content.decode()
    response = client.post(
        url,
        {
            prefix + "outcome": "aired",
            prefix + "aired_on": jalali.format_date(jalali.today(), "input"),
            prefix + "programme": "گزارش ویژه",
            prefix + "link": "https://isfahan.example/v/1",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.outcome == Outcome.AIRED
    detail = client.get(item.pitch.get_absolute_url()).content.decode()
    assert "گزارش ویژه" in detail


def test_office_staff_see_the_letter_but_cannot_answer_or_send(world, login):
    dispatch = make_dispatch(world)
    item = dispatch.items.get()
    client = login(world.member_staff)
    page = client.get(dispatch.get_absolute_url())
    assert page.status_code == 200
    assert "ثبت پاسخ صدا و سیما" not in page.content.decode()
    url = reverse("broadcast:answer_record", args=[dispatch.pk, item.pk])
    assert client.post(url, {f"item{item.pk}-outcome": "accepted"}).status_code == 403
    send = reverse("broadcast:dispatch_send", args=[dispatch.pk])
    assert client.post(send, {"to": "a@b.example"}).status_code == 403
    assert DispatchItem.objects.get().outcome == Outcome.PENDING


def test_the_chair_saves_the_broadcasters_contact(world, login):
    client = login(world.chair)
    response = client.post(
        reverse("broadcast:contact_edit"),
        {
            "name": "صدا و سیمای مرکز اصفهان",
            "email": "sima@isfahan.example",
            "programmes": "گزارش ویژه\nنصف جهان\n",
        },
    )
    assert response.status_code == 302
    contact = world.isfahan_council.province.broadcaster_contact
    assert contact.programmes == ["گزارش ویژه", "نصف جهان"]
    assert login(world.member_staff).get(reverse("broadcast:contact_edit")).status_code == 403


def test_the_home_page_shows_the_chair_what_waits_for_review(world, login):
    make_pitch(world.member_staff, title="قطار گردشگری کاشان", submit=True)
    page = login(world.chair).get("/").content.decode()
    assert "سوژه‌های در انتظار بررسی" in page
    assert "قطار گردشگری کاشان" in page


def test_a_returned_pitch_shows_on_its_offices_home_page(world, login):
    pitch = make_pitch(world.member_staff, title="قطار گردشگری کاشان", submit=True)
    services.pitch_review(
        actor=world.chair, pitch=pitch, decision=services.Decision.RETURN, comment="کوتاه‌تر"
    )
    page = login(world.member_staff).get("/").content.decode()
    assert "سوژه‌های بازگشته برای اصلاح" in page
