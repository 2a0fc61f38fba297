"""An office's scorecard, drill-down, rating, self-assessment, objection and
evidence pages: who may open them, what they show, and forms that keep what
was typed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hamseda.core import jalali
from hamseda.core.tests.uploads import pdf
from hamseda.evaluation.models import Appeal, EvidenceLink, Rating, Result, SelfAssessment
from hamseda.evaluation.services.appeals import appeal_file
from hamseda.evaluation.services.compute import cycle_recompute
from hamseda.evaluation.services.cycles import cycle_open_appeals
from hamseda.evaluation.services.ratings import (
    EvidenceInput,
    assignments_add,
    rating_save,
    self_assessment_save,
)
from hamseda.followups.models import FollowUp, FollowUpStatus
from hamseda.followups.tests.factories import make_followup

pytestmark = pytest.mark.django_db

QUALITATIVE = ["L1", "L2", "L3", "L4", "L5", "L6"]


def scorecard_url(cycle, office):
    return reverse("evaluation:office_detail", args=[cycle.pk, office.pk])


def rate_url(cycle, office):
    return reverse("evaluation:office_rate", args=[cycle.pk, office.pk])


def self_url(cycle, office):
    return reverse("evaluation:office_self_assess", args=[cycle.pk, office.pk])


def drill_url(cycle, office, code):
    return reverse("evaluation:criterion_drill", args=[cycle.pk, office.pk, code])


def appeal_url(cycle, office):
    return reverse("evaluation:appeal_create", args=[cycle.pk, office.pk])


def criterion(cycle, code):
    return cycle.criteria.get(code=code)


def result_of(cycle, office):
    return Result.objects.get(cycle=cycle, office=office)


@pytest.fixture
def assigned(world, cycle):
    """The Fars evaluator is appointed to both Isfahan offices."""
    assignments_add(
        actor=world.ministry,
        cycle=cycle,
        evaluator=world.evaluator,
        offices=[world.chair_office, world.member_office],
    )
    return cycle


# --- who may open what -----------------------------------------------------------


@pytest.mark.parametrize("persona", ["staff", "member_staff", "chair", "partner"])
def test_isfahan_people_see_their_provinces_scorecards(client, world, cycle, persona):
    # given
    client.force_login(getattr(world, persona))

    # when
    response = client.get(scorecard_url(cycle, world.member_office))

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert world.member_office.name in html
    assert 'id="quantitative-table"' in html
    assert 'id="qualitative-table"' in html


@pytest.mark.parametrize("persona", ["staff", "member_staff", "chair", "partner"])
def test_isfahan_people_do_not_see_another_provinces_scorecard(client, world, cycle, persona):
    client.force_login(getattr(world, persona))
    assert client.get(scorecard_url(cycle, world.fars_office)).status_code == 403
    assert client.get(drill_url(cycle, world.fars_office, "Q6")).status_code == 403


@pytest.mark.parametrize("persona", ["ministry", "evaluator", "admin"])
def test_the_ministry_and_evaluators_see_every_scorecard(client, world, cycle, persona):
    client.force_login(getattr(world, persona))
    for office in (world.chair_office, world.member_office, world.fars_office):
        assert client.get(scorecard_url(cycle, office)).status_code == 200


def test_the_scorecard_shows_total_ranks_tier_and_coverage(client, world, cycle):
    # given
    client.force_login(world.staff)
    result = result_of(cycle, world.chair_office)

    # when
    html = client.get(scorecard_url(cycle, world.chair_office)).content.decode()

    # then: ranks "of N" in Persian digits, and why the total rests on part of
    # the catalogue (nothing is rated yet, so the qualitative weight is left out)
    assert f"{_fa(result.rank)} از ۳" in html
    assert f"{_fa(result.rank_in_province)} از ۲" in html
    assert result.covered < 100
    assert "کنار گذاشته شده‌اند" in html
    assert "هنوز ارزیابی نشده است." in html
    for code in ("Q1", "Q6", "L1", "L6"):
        assert f'href="{drill_url(cycle, world.chair_office, code)}"' in html
    assert 'id="hs-office-chart"' in html
    assert reverse("evaluation:office_pdf", args=[cycle.pk, world.chair_office.pk]) in html


def test_an_office_that_is_not_ranked_says_so(client, world, cycle):
    # the governorate sits on the council as a partner: it is not evaluated
    client.force_login(world.partner)
    response = client.get(scorecard_url(cycle, world.partner_office))
    assert response.status_code == 200
    assert "هنوز رتبه‌بندی نشده است" in response.content.decode()


def test_an_evaluator_rates_only_the_offices_assigned_to_them(client, world, cycle):
    # given: not yet appointed
    client.force_login(world.evaluator)
    assert client.get(rate_url(cycle, world.chair_office)).status_code == 403

    # when the ministry appoints them to the Isfahan chair's office
    assignments_add(
        actor=world.ministry, cycle=cycle, evaluator=world.evaluator, offices=[world.chair_office]
    )

    # then that office's form opens, the other Isfahan office's does not, nor
    # the office of the evaluator's own province
    assert client.get(rate_url(cycle, world.chair_office)).status_code == 200
    assert client.get(rate_url(cycle, world.member_office)).status_code == 403
    assert client.get(rate_url(cycle, world.fars_office)).status_code == 403
    card = client.get(scorecard_url(cycle, world.chair_office)).content.decode()
    assert f'href="{rate_url(cycle, world.chair_office)}"' in card


@pytest.mark.parametrize("persona", ["staff", "member_staff", "partner", "fars_chair"])
def test_office_people_may_not_rate(client, world, cycle, persona):
    client.force_login(getattr(world, persona))
    assert client.get(rate_url(cycle, world.member_office)).status_code == 403


def test_self_assessment_is_only_for_the_offices_own_staff(client, world, cycle):
    # the office's own staff and chair
    for person in (world.staff, world.chair):
        client.force_login(person)
        assert client.get(self_url(cycle, world.chair_office)).status_code == 200
    # a fellow office of the same council, the governorate, an evaluator, the ministry
    for person in (world.member_staff, world.partner, world.evaluator, world.ministry):
        client.force_login(person)
        assert client.get(self_url(cycle, world.chair_office)).status_code == 403, person


# --- rating ---------------------------------------------------------------------------


def _levels(level, **extra):
    data = {f"{code}-level": str(level) for code in QUALITATIVE}
    data.update(extra)
    return data


def test_rating_an_office_changes_the_ranking(client, world, assigned):
    # given: both Isfahan offices start level on qualitative criteria (none rated)
    cycle = assigned
    before = result_of(cycle, world.member_office)
    client.force_login(world.evaluator)

    # when the evaluator rates the railway office 5 on every criterion
    response = client.post(
        rate_url(cycle, world.member_office),
        _levels(5, **{"L3-comment": "دو برنامه مشترک با راه و شهرسازی"}),
    )

    # then: back on the scorecard, with the new total and rank in the message
    assert response.status_code == 302
    assert response.url == scorecard_url(cycle, world.member_office)
    after = result_of(cycle, world.member_office)
    assert Rating.objects.filter(office=world.member_office, evaluator=world.evaluator).count() == 6
    assert after.qualitative == 100.0
    assert after.covered > before.covered
    assert after.total != before.total
    assert after.rank == 1
    page = client.get(response.url).content.decode()
    assert "امتیاز ثبت شد" in page
    assert f"رتبه کشوری {_fa(after.rank)}" in page
    assert "دو برنامه مشترک با راه و شهرسازی" in page


def test_the_rating_form_keeps_what_was_typed_when_a_level_is_missing(client, world, assigned):
    # given
    cycle = assigned
    client.force_login(world.evaluator)
    data = _levels(4, **{"L2-comment": "اطلاعیه حادثه پس از نه ساعت", "L1-evidence_label_0": "x"})
    del data["L2-level"]
    data["L1-evidence_url_0"] = "/followups/1/"

    # when
    response = client.post(rate_url(cycle, world.member_office), data)

    # then: nothing saved, the level's error beside L2, everything typed kept
    assert response.status_code == 400
    assert not Rating.objects.filter(office=world.member_office).exists()
    html = response.content.decode()
    assert "سطح این شاخص را برگزینید." in html
    assert "اطلاعیه حادثه پس از نه ساعت" in html
    assert 'value="/followups/1/"' in html
    assert 'name="L1-level" value="4"' in html
    assert "checked" in html
    form = response.context["entries"][0]["form"]
    assert form["level"].value() == "4"


def test_a_refused_criterion_saves_none_of_the_others(client, world, assigned):
    # given: an evidence link that is not a page of Hamseda
    cycle = assigned
    client.force_login(world.evaluator)
    data = _levels(3, **{"L4-evidence_url_0": "https://example.com/x"})

    # when
    response = client.post(rate_url(cycle, world.member_office), data)

    # then: the service's refusal is shown and no level is kept
    assert response.status_code == 400
    assert "پیوند مستند باید نشانی صفحه‌ای در همصدا باشد" in response.content.decode()
    assert not Rating.objects.filter(office=world.member_office).exists()


def test_an_empty_rating_form_is_refused(client, world, assigned):
    client.force_login(world.evaluator)
    response = client.post(rate_url(assigned, world.member_office), {})
    assert response.status_code == 400
    assert "برای دست‌کم یک شاخص سطحی برگزینید." in response.content.decode()


def test_the_rating_form_shows_the_rubric_and_the_offices_self_assessment(client, world, assigned):
    # given
    cycle = assigned
    self_assessment_save(
        actor=world.member_staff,
        criterion=criterion(cycle, "L3"),
        office=world.member_office,
        level=4,
        comment="نشست مشترک با راه‌آهن و راه و شهرسازی",
        evidence=[EvidenceInput(label="صورتجلسه نشست", url="/meetings/1/")],
    )
    client.force_login(world.evaluator)

    # when
    html = client.get(rate_url(cycle, world.member_office)).content.decode()

    # then
    assert "محور هم‌افزایی استان، با شواهد روشن" in html  # level 5 of L3's rubric
    assert "نشست مشترک با راه‌آهن و راه و شهرسازی" in html
    assert 'href="/meetings/1/"' in html
    assert 'id="context-values"' in html  # the quantitative values, for context


def test_an_evaluator_uploads_evidence_that_the_office_may_download(client, world, assigned):
    # given
    cycle = assigned
    client.force_login(world.evaluator)
    upload = pdf("report.pdf")
    data = _levels(4, **{"L1-evidence_label_0": "گزارش بازدید", "L1-evidence_file_0": upload})

    # when
    response = client.post(rate_url(cycle, world.member_office), data)

    # then
    assert response.status_code == 302
    link = EvidenceLink.objects.get(rating__criterion__code="L1")
    url = reverse("evaluation:evidence_file", args=[cycle.pk, link.pk])
    client.force_login(world.member_staff)
    assert url in client.get(drill_url(cycle, world.member_office, "L1")).content.decode()
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(world.fars_chair)
    assert client.get(url).status_code == 403


def test_the_evaluator_removes_their_own_evidence(client, world, assigned):
    # given
    cycle = assigned
    rating_save(
        actor=world.evaluator,
        criterion=criterion(cycle, "L1"),
        office=world.member_office,
        level=3,
        evidence=[EvidenceInput(label="خبر", url="/activities/1/")],
    )
    link = EvidenceLink.objects.get()
    delete = reverse("evaluation:evidence_delete", args=[cycle.pk, link.pk])

    # when another evaluator-like user (the ministry) tries, and then the author
    client.force_login(world.ministry)
    refused = client.post(delete)
    client.force_login(world.evaluator)
    response = client.post(delete, {"next": rate_url(cycle, world.member_office)})

    # then
    assert refused.status_code == 403
    assert response.status_code == 302
    assert response.url == rate_url(cycle, world.member_office)
    assert not EvidenceLink.objects.exists()


def test_the_office_self_assesses_with_evidence(client, world, cycle):
    # given
    client.force_login(world.member_staff)

    # when
    response = client.post(
        self_url(cycle, world.member_office),
        {
            "L3-level": "4",
            "L3-comment": "سه برنامه مشترک",
            "L3-evidence_label_0": "پیگیری مشترک",
            "L3-evidence_url_0": "http://testserver/followups/3/",
        },
    )

    # then: only the criterion that was filled in is saved; a full address of
    # this site is stored as its path
    assert response.status_code == 302
    item = SelfAssessment.objects.get()
    assert (item.criterion.code, item.level, item.comment) == ("L3", 4, "سه برنامه مشترک")
    assert item.evidence.get().url == "/followups/3/"


def test_self_assessment_keeps_what_was_typed_when_the_level_is_missing(client, world, cycle):
    client.force_login(world.member_staff)
    response = client.post(self_url(cycle, world.member_office), {"L5-comment": "نظرسنجی"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "سطحی را که برای خود پیشنهاد می‌کنید برگزینید." in html
    assert "نظرسنجی" in html
    assert not SelfAssessment.objects.exists()


def test_my_work_lists_the_assigned_offices_with_progress(client, world, assigned):
    # given
    cycle = assigned
    rating_save(
        actor=world.evaluator,
        criterion=criterion(cycle, "L1"),
        office=world.chair_office,
        level=3,
    )
    client.force_login(world.evaluator)

    # when
    html = client.get(reverse("evaluation:my_work", args=[cycle.pk])).content.decode()

    # then
    assert world.chair_office.name in html
    assert world.member_office.name in html
    assert "۱ از ۶ شاخص کیفی" in html
    assert "۰ از ۶ شاخص کیفی" in html
    assert f'href="{rate_url(cycle, world.member_office)}"' in html


# --- drill-down -----------------------------------------------------------------------


def test_the_drill_lists_the_followups_behind_the_indicator(client, world, draft_cycle):
    # given: two follow-ups of the railway office due today, one done on time,
    # one still open; then the cycle starts and reads its values
    today = jalali.today()
    done = make_followup(
        world.isfahan_council,
        [world.member_office],
        actor=world.secretary,
        due_date=today,
        text="گزارش تصویری پیشرفت قطار اصفهان-شیراز",
    )
    FollowUp.objects.filter(pk=done.pk).update(status=FollowUpStatus.DONE, closed_at=timezone.now())
    make_followup(
        world.isfahan_council,
        [world.member_office],
        actor=world.secretary,
        due_date=today,
        text="پاسخ به گزارش رسانه درباره ایستگاه",
    )
    from hamseda.evaluation.services.cycles import cycle_start_scoring

    cycle = cycle_start_scoring(actor=world.ministry, cycle=draft_cycle)
    client.force_login(world.member_staff)

    # when
    response = client.get(drill_url(cycle, world.member_office, "Q6"))

    # then: 1 of 2 closed on time (50%), each listed where it belongs
    assert response.status_code == 200
    html = response.content.decode()
    assert "سوابق شمرده‌شده (۱)" in html
    assert "بررسی‌شده اما شمرده‌نشده (۱)" in html
    assert f'href="{done.get_absolute_url()}"' in html
    assert "گزارش تصویری پیشرفت قطار اصفهان-شیراز" in html
    assert "پاسخ به گزارش رسانه درباره ایستگاه" in html
    assert jalali.format_date(today) in html
    assert "۵۰٪" in html


def test_the_qualitative_drill_hides_evaluators_names_from_the_office(client, world, assigned):
    # given
    cycle = assigned
    rating_save(
        actor=world.evaluator,
        criterion=criterion(cycle, "L2"),
        office=world.member_office,
        level=2,
        comment="اطلاعیه پس از یک روز",
    )
    name = world.evaluator.display_name

    # when / then: the office sees "evaluator 1", the ministry sees the name
    client.force_login(world.member_staff)
    html = client.get(drill_url(cycle, world.member_office, "L2")).content.decode()
    assert "ارزیاب ۱" in html
    assert "اطلاعیه پس از یک روز" in html
    assert name not in html
    client.force_login(world.ministry)
    assert name in client.get(drill_url(cycle, world.member_office, "L2")).content.decode()


def test_an_unknown_criterion_is_not_found(client, world, cycle):
    client.force_login(world.ministry)
    assert client.get(drill_url(cycle, world.member_office, "Z9")).status_code == 404


# --- objections -----------------------------------------------------------------------


def test_objections_wait_for_the_appeals_window(client, world, cycle):
    client.force_login(world.member_staff)
    card = client.get(scorecard_url(cycle, world.member_office)).content.decode()
    assert f'href="{appeal_url(cycle, world.member_office)}"' not in card
    response = client.post(
        appeal_url(cycle, world.member_office), {"text": "به امتیاز اعتراض داریم"}
    )
    assert response.status_code == 400
    assert "مهلت اعتراض این دوره هنوز اعلام نشده است." in response.content.decode()
    assert not Appeal.objects.exists()


def test_an_office_objects_to_a_criterion_from_its_drill_page(client, world, cycle):
    # given: the ministry has opened the appeals window
    cycle_open_appeals(actor=world.ministry, cycle=cycle)
    client.force_login(world.member_staff)
    drill = client.get(drill_url(cycle, world.member_office, "Q6")).content.decode()
    assert f'href="{appeal_url(cycle, world.member_office)}?criterion=Q6"' in drill

    # when a too short text is sent, then a real one
    form = client.get(appeal_url(cycle, world.member_office) + "?criterion=Q6")
    assert form.context["form"]["criterion"].value() == "Q6"
    short = client.post(appeal_url(cycle, world.member_office), {"criterion": "Q6", "text": "کم"})
    text = "پیگیری نشست خبری در مهلت انجام شد اما شمرده نشده است."
    response = client.post(
        appeal_url(cycle, world.member_office), {"criterion": "Q6", "text": text}
    )

    # then
    assert short.status_code == 400
    assert "بنویسید به چه و چرا اعتراض دارید." in short.content.decode()
    assert 'value="Q6" selected' in short.content.decode()
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.criterion.code, appeal.text, appeal.office) == ("Q6", text, world.member_office)
    page = client.get(response.url).content.decode()
    assert text in page
    assert "در انتظار پاسخ" in page


def test_only_the_offices_own_people_may_object(client, world, cycle):
    cycle_open_appeals(actor=world.ministry, cycle=cycle)
    for person in (world.staff, world.partner, world.evaluator, world.ministry):
        client.force_login(person)
        assert client.get(appeal_url(cycle, world.member_office)).status_code == 403, person


def test_the_office_sees_the_answer_and_its_new_total(client, world, cycle):
    # given: an objection upheld with a corrected level
    cycle_open_appeals(actor=world.ministry, cycle=cycle)
    appeal = appeal_file(
        actor=world.member_staff,
        cycle=cycle,
        office=world.member_office,
        text="برنامه پویش نوروزی ما دیده نشده است.",
        criterion=criterion(cycle, "L4"),
    )
    from hamseda.evaluation.services.appeals import appeal_answer

    appeal_answer(
        actor=world.ministry, appeal=appeal, upheld=True, answer="پذیرفته شد؛ سطح ۴", level=4
    )
    after = result_of(cycle, world.member_office)
    client.force_login(world.member_staff)

    # when
    html = client.get(scorecard_url(cycle, world.member_office)).content.decode()

    # then
    assert "پذیرفته شد؛ سطح ۴" in html
    assert "اصلاح‌شده" in html
    assert _fa_number(after.total) in html


# --- cost -------------------------------------------------------------------------------


def test_the_scorecard_costs_the_same_with_more_ratings_evidence_and_appeals(
    client, world, assigned
):
    # given: one rating and one self-assessment, each with evidence
    cycle = assigned
    rating_save(
        actor=world.evaluator,
        criterion=criterion(cycle, "L1"),
        office=world.member_office,
        level=3,
        evidence=[EvidenceInput(label="سند", url="/activities/1/")],
    )
    self_assessment_save(
        actor=world.member_staff,
        criterion=criterion(cycle, "L1"),
        office=world.member_office,
        level=4,
        evidence=[EvidenceInput(label="سند", url="/activities/2/")],
    )
    client.force_login(world.member_staff)
    url = scorecard_url(cycle, world.member_office)
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200

    # when: every criterion rated by two evaluators who disagree, with
    # evidence, self-assessed, and an objection filed
    for code in QUALITATIVE:
        rating_save(
            actor=world.evaluator,
            criterion=criterion(cycle, code),
            office=world.member_office,
            level=3,
            comment="توضیح",
            evidence=[EvidenceInput(label="سند", url="/activities/1/")],
        )
        rating_save(
            actor=world.ministry,
            criterion=criterion(cycle, code),
            office=world.member_office,
            level=5,
            evidence=[EvidenceInput(label="سند", url="/activities/3/")],
        )
        self_assessment_save(
            actor=world.member_staff,
            criterion=criterion(cycle, code),
            office=world.member_office,
            level=4,
            evidence=[EvidenceInput(label="سند", url="/activities/2/")],
        )
    cycle_open_appeals(actor=world.ministry, cycle=cycle)
    appeal_file(
        actor=world.member_staff,
        cycle=cycle,
        office=world.member_office,
        text="به کل امتیاز اعتراض داریم.",
    )
    cycle_recompute(cycle=cycle)
    client.get(url)  # the new ranking's national means, read once and cached, as above
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    # then
    assert response.status_code == 200
    assert "اختلاف ارزیابان" in response.content.decode()
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(many) <= 25


def _fa(number):
    from hamseda.core.persian import fa_digits

    return fa_digits(number)


def _fa_number(value):
    from hamseda.evaluation.views.offices import number

    return number(value, 2)
