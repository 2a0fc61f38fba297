"""The follow-up pages: each persona, filters, the board, the forms, evidence
downloads through the policy, and a list page whose cost does not grow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hamseda.core import jalali
from hamseda.followups import services
from hamseda.followups.models import FollowUp, FollowUpStatus
from hamseda.followups.tests.factories import exe, make_followup, pdf

pytestmark = pytest.mark.django_db

ISFAHAN_READERS = ["chair", "secretary", "staff", "member_staff", "partner", "ministry", "admin"]


@pytest.fixture
def late(world):
    """A follow-up of the railway office, five days overdue."""
    return make_followup(
        world.isfahan_council,
        [world.member_office],
        actor=world.chair,
        due_date=jalali.today() - dt.timedelta(days=5),
        text="برگزاری نشست خبری درباره قطار اصفهان-شیراز",
    )


@pytest.mark.parametrize("persona", [*ISFAHAN_READERS, "evaluator", "fars_chair"])
def test_list_and_board_render_for_every_persona(client, world, late, persona):
    client.force_login(getattr(world, persona))
    for name in ("followups:followup_list", "followups:followup_board"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert 'dir="rtl"' in html
        # Fars people see none of Isfahan's items
        assert ("قطار اصفهان" in html) == (persona in ISFAHAN_READERS), name


@pytest.mark.parametrize("persona", ISFAHAN_READERS)
def test_the_detail_page_renders_for_isfahan_and_the_ministry(client, world, late, persona):
    client.force_login(getattr(world, persona))
    response = client.get(reverse("followups:followup_detail", args=[late.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "برگزاری نشست خبری درباره قطار اصفهان-شیراز" in html
    assert f'href="/meetings/{late.resolution.meeting_id}/"' in html
    assert "۵ روز از مهلت گذشته" in html
    assert jalali.format_date(late.due_date, "long") in html


@pytest.mark.parametrize("persona", ["fars_chair", "evaluator"])
def test_another_provinces_people_get_404_on_the_detail_page(client, world, late, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("followups:followup_detail", args=[late.pk])).status_code == 404
    url = reverse("followups:followup_update", args=[late.pk])
    assert client.post(url, {"text": "x"}).status_code == 404


def test_forms_show_only_to_those_who_may_use_them(client, world, late):
    url = reverse("followups:followup_detail", args=[late.pk])
    client.force_login(world.member_staff)
    html = client.get(url).content.decode()
    assert reverse("followups:followup_update", args=[late.pk]) in html
    assert 'data-autosave="followup-' in html
    assert "data-discard-draft" in html
    assert reverse("followups:followup_reassign", args=[late.pk]) not in html
    client.force_login(world.staff)  # same province, office not responsible
    html = client.get(url).content.decode()
    assert reverse("followups:followup_update", args=[late.pk]) not in html
    assert (
        client.post(reverse("followups:followup_update", args=[late.pk]), {"text": "x"}).status_code
        == 403
    )
    client.force_login(world.secretary)
    html = client.get(url).content.decode()
    assert reverse("followups:followup_reassign", args=[late.pk]) in html


def test_filters_answer_htmx_with_the_results_partial(client, world, late):
    on_time = make_followup(
        world.isfahan_council,
        [world.chair_office],
        actor=world.chair,
        due_date=jalali.today() + dt.timedelta(days=9),
        text="تهیه تیزر سفرهای نوروزی",
    )
    client.force_login(world.chair)
    url = reverse("followups:followup_list")
    response = client.get(url, {"status": "overdue"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="followup-results"' in html
    assert "قطار اصفهان" in html
    assert "سفرهای نوروزی" not in html
    html = client.get(url, {"office": world.chair_office.pk}).content.decode()
    assert "سفرهای نوروزی" in html
    assert "قطار اصفهان" not in html
    # a Jalali due range, typed in Persian digits
    due = jalali.format_date(on_time.due_date, "short")
    html = client.get(url, {"due_from": due, "due_to": due}).content.decode()
    assert "سفرهای نوروزی" in html
    assert "قطار اصفهان" not in html


def test_an_impossible_date_in_the_filter_is_shown_and_ignored(client, world, late):
    client.force_login(world.chair)
    response = client.get(reverse("followups:followup_list"), {"due_from": "1404/12/30"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "این تاریخ در تقویم شمسی وجود ندارد" in html
    assert "قطار اصفهان" in html


def test_the_council_filter_is_offered_to_the_ministry_centre_only(client, world, late):
    client.force_login(world.ministry)
    assert 'name="council"' in client.get(reverse("followups:followup_list")).content.decode()
    client.force_login(world.chair)
    assert 'name="council"' not in client.get(reverse("followups:followup_list")).content.decode()


def test_the_board_puts_the_overdue_item_in_the_overdue_column(client, world, late):
    client.force_login(world.chair)
    response = client.get(reverse("followups:followup_board"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="followup-board"' in html
    assert "<html" not in html
    overdue = html.split('data-column="overdue"')[1].split("</section>")[0]
    opened = html.split('data-column="open"')[1].split("</section>")[0]
    assert "قطار اصفهان" in overdue
    assert "قطار اصفهان" not in opened


def test_progress_with_evidence_then_download_through_the_policy(client, world, late):
    # given the railway's staff report progress with a PDF
    client.force_login(world.member_staff)
    response = client.post(
        reverse("followups:followup_update", args=[late.pk]),
        {"text": "نشست هماهنگ شد", "status": "in_progress", "attachment": pdf("plan.pdf")},
    )
    assert response.status_code == 302
    update = late.updates.get(text="نشست هماهنگ شد")
    url = reverse("followups:attachment", args=[update.pk])
    # then the history links the evidence through the checking view
    html = client.get(reverse("followups:followup_detail", args=[late.pk])).content.decode()
    assert url in html
    assert "plan.pdf" in html
    # an Isfahan member downloads it
    client.force_login(world.partner)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]
    # Fars does not, and the media folder is not served at all
    client.force_login(world.fars_chair)
    assert client.get(url).status_code == 404
    assert client.get(f"/media/{update.attachment.name}").status_code == 404


def test_an_executable_upload_is_refused_beside_the_field(client, world, late):
    client.force_login(world.member_staff)
    response = client.post(
        reverse("followups:followup_update", args=[late.pk]),
        {"text": "مدرک", "attachment": exe("scan.pdf")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "update_attachment_error" in html
    assert "اجرایی" in html
    assert not late.updates.filter(text="مدرک").exists()


def test_closing_without_note_or_evidence_shows_the_error_beside_the_note(client, world, late):
    client.force_login(world.member_staff)
    url = reverse("followups:followup_close", args=[late.pk])
    response = client.post(url, {"note": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "close_note_error" in html
    assert "توضیح انجام کار را بنویسید یا مدرک" in html
    response = client.post(url, {"note": "نشست برگزار شد"})
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.status == FollowUpStatus.DONE


def test_reopen_cancel_and_reassign_pages(client, world, late):
    client.force_login(world.secretary)
    # reassign, with a Jalali due date
    url = reverse("followups:followup_reassign", args=[late.pk])
    assert client.get(url).status_code == 200
    due = jalali.format_date(jalali.today() + dt.timedelta(days=30), "input")
    response = client.post(url, {"offices": [world.chair_office.pk], "due_date": due})
    assert response.status_code == 302
    late = FollowUp.objects.get(pk=late.pk)
    assert list(late.offices.all()) == [world.chair_office]
    # a date that does not exist is refused beside the field
    response = client.post(url, {"offices": [world.chair_office.pk], "due_date": "1404/12/30"})
    assert response.status_code == 400
    # cancel needs a reason
    url = reverse("followups:followup_cancel", args=[late.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "منتفی شد"}).status_code == 302
    late.refresh_from_db()
    assert late.status == FollowUpStatus.CANCELLED
    # reopen
    response = client.post(reverse("followups:followup_reopen", args=[late.pk]), {"reason": ""})
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.status == FollowUpStatus.OPEN
    # office staff cannot reach the manager pages
    client.force_login(world.staff)
    assert client.get(reverse("followups:followup_cancel", args=[late.pk])).status_code == 403


def test_the_detail_page_shows_history_and_the_audit_trail(client, world, late):
    services.followup_update_add(actor=world.member_staff, followup=late, text="گام اول برداشته شد")
    client.force_login(world.chair)
    html = client.get(reverse("followups:followup_detail", args=[late.pk])).content.decode()
    assert "گام اول برداشته شد" in html
    assert "سابقه تغییرات" in html
    assert "گزارش پیشرفت پیگیری ثبت شد" in html


def _fill(world, size: int) -> None:
    for i in range(size):
        make_followup(
            world.isfahan_council,
            [world.member_office, world.chair_office],
            actor=world.chair,
            due_date=jalali.today() + dt.timedelta(days=i - size // 2),
            referred=i % 3 == 0,
            text=f"مصوبه شماره {i}",
        )


def _page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["chair", "ministry"])
@pytest.mark.parametrize("name", ["followups:followup_list", "followups:followup_board"])
def test_list_and_board_pages_cost_the_same_queries_as_data_grows(
    client, world, django_assert_max_num_queries, persona, name
):
    client.force_login(getattr(world, persona))
    url = reverse(name)
    _fill(world, 3)
    with django_assert_max_num_queries(16):
        small = _page_queries(client, url)
    _fill(world, 40)  # more than a page
    with django_assert_max_num_queries(16):
        large = _page_queries(client, url)
    assert large == small
