"""Objections through the HTML views: who sees which, and the ministry centre's
answer, which corrects a value or a level and changes the ranking."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse

from hamseda.evaluation.models import Appeal, AppealStatus, Cycle, Result
from hamseda.evaluation.services.appeals import appeal_file
from hamseda.evaluation.services.cycles import (
    cycle_create,
    cycle_open_appeals,
    cycle_start_scoring,
)
from hamseda.evaluation.tests.conftest import this_year
from hamseda.evaluation.tests.factories import qualitative, quantitative, registered


@pytest.fixture
def small_cycle(world) -> Iterator[Cycle]:
    """A cycle of two criteria, news (60, min–max) and synergy (40, rated), in
    its window for objections: the chair's office published 10 news items, the
    railway office 5, Fars none, so they rank 1, 2, 3."""
    offices = {world.chair_office.pk: 10, world.member_office.pk: 5, world.fars_office.pk: 0}
    with registered("test.news", offices) as news:
        cycle = cycle_create(actor=world.ministry, year=this_year())
        cycle.criteria.all().delete()
        quantitative(cycle, "Q1", news, 60)
        qualitative(cycle, "L1", 40)
        cycle = cycle_start_scoring(actor=world.ministry, cycle=cycle)
        yield cycle_open_appeals(actor=world.ministry, cycle=cycle, days=14)


def standing(cycle: Cycle, office) -> tuple[float, int]:
    result = Result.objects.get(cycle=cycle, office=office)
    return result.total, result.rank


@pytest.fixture
def news_appeal(world, small_cycle) -> Appeal:
    """The railway office objects that its news count missed items."""
    return appeal_file(
        actor=world.member_staff,
        cycle=small_cycle,
        office=world.member_office,
        text="بیست خبر ما در فهرست خبرها شمرده نشده است.",
        criterion=small_cycle.criteria.get(code="Q1"),
    )


@pytest.fixture
def synergy_appeal(world, small_cycle) -> Appeal:
    return appeal_file(
        actor=world.member_staff,
        cycle=small_cycle,
        office=world.member_office,
        text="کارهای مشترک ما با راه و شهرسازی دیده نشده است.",
        criterion=small_cycle.criteria.get(code="L1"),
    )


def detail(appeal: Appeal) -> str:
    return reverse("evaluation:appeal_detail", args=[appeal.cycle_id, appeal.pk])


def listing(cycle: Cycle) -> str:
    return reverse("evaluation:appeal_list", args=[cycle.pk])


def text_of(response) -> str:
    return response.content.decode()


# --- who sees what ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ministry", "admin", "evaluator", "chair", "member_staff"])
def test_the_objection_is_listed_for_the_ministry_evaluators_and_its_province(
    world, login, news_appeal, persona
):
    client = login(getattr(world, persona))
    response = client.get(listing(news_appeal.cycle))
    assert response.status_code == 200
    assert detail(news_appeal) in text_of(response)
    assert client.get(detail(news_appeal)).status_code == 200


def test_another_province_neither_lists_nor_opens_the_objection(world, login, news_appeal):
    client = login(world.fars_chair)
    response = client.get(listing(news_appeal.cycle))
    assert response.status_code == 200
    assert detail(news_appeal) not in text_of(response)
    assert "اعتراضی ثبت نشده است" in text_of(response)
    assert client.get(detail(news_appeal)).status_code == 404


def test_the_list_filters_by_status(world, login, news_appeal):
    client = login(world.ministry)
    assert detail(news_appeal) in text_of(
        client.get(listing(news_appeal.cycle), {"status": "open"})
    )
    body = text_of(client.get(listing(news_appeal.cycle), {"status": "upheld"}))
    assert detail(news_appeal) not in body
    assert "اعتراضی با این وضعیت نیست" in body


def test_the_office_sees_its_objection_without_an_answer_form_and_may_not_answer(
    world, login, news_appeal
):
    client = login(world.member_staff)
    body = text_of(client.get(detail(news_appeal)))
    assert "بیست خبر ما" in body
    assert 'id="answer-form"' not in body
    response = client.post(detail(news_appeal), {"decision": "upheld", "answer": "پذیرفته شد"})
    assert response.status_code == 403
    news_appeal.refresh_from_db()
    assert news_appeal.status == AppealStatus.OPEN


def test_the_answer_form_asks_for_a_value_on_a_quantitative_criterion(world, login, news_appeal):
    body = text_of(login(world.ministry).get(detail(news_appeal)))
    assert 'id="answer-form"' in body
    assert 'name="value"' in body
    assert 'name="level"' not in body
    # the standing when the office objected, and the criterion as it stands
    assert "هنگام اعتراض" in body
    assert "مقدار" in body


def test_the_answer_form_asks_for_a_level_on_a_qualitative_criterion(world, login, synergy_appeal):
    body = text_of(login(world.ministry).get(detail(synergy_appeal)))
    assert 'name="level"' in body
    assert 'name="value"' not in body
    assert "عالی" in body  # the rubric's level 5 names the choice


# --- answers ------------------------------------------------------------------------------


def test_an_upheld_objection_with_a_corrected_value_changes_the_ranking(world, login, news_appeal):
    # given the railway office second, behind the chair's office
    cycle = news_appeal.cycle
    assert standing(cycle, world.member_office)[1] == 2
    client = login(world.ministry)
    # when the ministry upholds it: twenty news items, typed in Persian digits
    response = client.post(
        detail(news_appeal),
        {"decision": "upheld", "answer": "شمارش دوباره شد؛ حق با شماست.", "value": "۲۰"},
    )
    # then the railway office is first, and the objection keeps before and after
    assert response.status_code == 302
    assert standing(cycle, world.member_office) == (100.0, 1)
    assert standing(cycle, world.chair_office)[1] == 2
    news_appeal.refresh_from_db()
    assert news_appeal.status == AppealStatus.UPHELD
    assert (news_appeal.rank_before, news_appeal.rank_after) == (2, 1)
    # and the office reads the answer and its new rank
    body = text_of(login(world.member_staff).get(detail(news_appeal)))
    assert "شمارش دوباره شد" in body
    assert "پذیرفته شد" in body
    assert "پس از پاسخ" in body


def test_an_upheld_objection_with_a_corrected_level_raises_the_total(world, login, synergy_appeal):
    cycle = synergy_appeal.cycle
    total_before, _rank = standing(cycle, world.member_office)
    response = login(world.ministry).post(
        detail(synergy_appeal),
        {"decision": "upheld", "answer": "مستندات هم‌افزایی پذیرفته شد.", "level": "5"},
    )
    assert response.status_code == 302
    total_after, _rank = standing(cycle, world.member_office)
    assert total_after > total_before
    synergy_appeal.refresh_from_db()
    assert synergy_appeal.total_after == total_after


def test_a_rejected_objection_changes_no_score(world, login, news_appeal):
    cycle = news_appeal.cycle
    before = standing(cycle, world.member_office)
    response = login(world.ministry).post(
        detail(news_appeal), {"decision": "rejected", "answer": "خبرها در دوره نبودند."}
    )
    assert response.status_code == 302
    assert standing(cycle, world.member_office) == before
    news_appeal.refresh_from_db()
    assert news_appeal.status == AppealStatus.REJECTED


def test_a_rejection_that_corrects_a_value_is_refused_and_the_answer_kept(
    world, login, news_appeal
):
    response = login(world.ministry).post(
        detail(news_appeal),
        {"decision": "rejected", "answer": "پاسخ نیمه‌کاره", "value": "۲۰"},
    )
    assert response.status_code == 400
    body = text_of(response)
    assert "امتیاز تنها با پذیرش اعتراض اصلاح می‌شود" in body
    assert "پاسخ نیمه‌کاره" in body
    assert 'value="۲۰"' in body
    news_appeal.refresh_from_db()
    assert news_appeal.status == AppealStatus.OPEN


def test_an_answer_is_required(world, login, news_appeal):
    response = login(world.ministry).post(detail(news_appeal), {"decision": "upheld"})
    assert response.status_code == 400
    assert "این مقدار لازم است" in text_of(response)


def test_the_cycle_page_counts_the_open_objections_for_the_ministry(world, login, news_appeal):
    body = text_of(
        login(world.ministry).get(reverse("evaluation:cycle_detail", args=[news_appeal.cycle_id]))
    )
    assert "۱ باز" in body
    assert f"{listing(news_appeal.cycle)}?status=open" in body
