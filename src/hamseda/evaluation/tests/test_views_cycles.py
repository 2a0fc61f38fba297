"""The ministry centre's evaluation pages: cycles, the catalogue, tiers, the
rankings and the evaluators, through the HTML views, for every persona."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from hamseda.core import jalali
from hamseda.evaluation.models import Assignment, Criterion, Cycle, CycleStatus, Result
from hamseda.evaluation.services.compute import cycle_rank
from hamseda.evaluation.services.cycles import cycle_create
from hamseda.evaluation.tests.conftest import this_year
from hamseda.evaluation.tests.factories import member_office

EVERYONE = [
    "chair",
    "secretary",
    "staff",
    "partner",
    "evaluator",
    "fars_chair",
    "ministry",
    "admin",
]
NOT_MANAGERS = ["chair", "staff", "partner", "evaluator", "fars_chair"]


def page(name: str, cycle: Cycle, *args: object) -> str:
    return reverse(f"evaluation:{name}", args=[cycle.pk, *args])


def text_of(response) -> str:
    return response.content.decode()


def results_of(response) -> str:
    """The table of a ranking page, without the menu (which names the viewer's office)."""
    body = text_of(response)
    return body[body.index('id="office-results"') :]


# --- who may open what --------------------------------------------------------------------


@pytest.mark.parametrize("persona", EVERYONE)
def test_every_signed_in_user_reads_a_started_cycle_and_its_rankings(world, login, cycle, persona):
    # given anyone signed in
    client = login(getattr(world, persona))
    isfahan = world.chair_office.agency.province_id
    pages = [
        reverse("evaluation:cycle_list"),
        page("cycle_detail", cycle),
        page("catalogue", cycle),
        page("office_ranking", cycle),
        page("province_detail", cycle, isfahan),
        page("appeal_list", cycle),
    ]
    for url in pages:
        # when they open each page of the cycle
        response = client.get(url)
        # then it is there, in Persian
        assert response.status_code == 200, url
        assert "رتبه" in text_of(response) or "اعتراض" in text_of(response)


@pytest.mark.parametrize("persona", NOT_MANAGERS)
def test_a_draft_cycle_is_not_found_by_those_who_do_not_run_evaluation(
    world, login, draft_cycle, persona
):
    client = login(getattr(world, persona))
    assert draft_cycle.title not in text_of(client.get(reverse("evaluation:cycle_list")))
    for name in ("cycle_detail", "catalogue", "office_ranking", "criterion_create"):
        assert client.get(page(name, draft_cycle)).status_code == 404, name


@pytest.mark.parametrize("persona", NOT_MANAGERS)
def test_the_managers_pages_and_buttons_are_refused_to_everyone_else(world, login, cycle, persona):
    client = login(getattr(world, persona))
    assert client.get(reverse("evaluation:cycle_create")).status_code == 403
    assert client.get(page("assignments", cycle)).status_code == 403
    assert client.get(page("cycle_tiers", cycle)).status_code == 403
    assert client.post(page("cycle_action", cycle, "close")).status_code == 403
    # and nothing changed
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.SCORING
    # nor are the buttons drawn
    body = text_of(client.get(page("cycle_detail", cycle)))
    assert "نهایی کردن رتبه‌بندی" not in body
    assert "ارزیابان" not in body


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, cycle):
    response = client.get(page("cycle_detail", cycle))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- cycles ------------------------------------------------------------------------------


def test_the_ministry_creates_a_cycle_typing_the_year_in_persian_digits(world, login):
    # given the ministry centre
    client = login(world.ministry)
    assert client.get(reverse("evaluation:cycle_create")).status_code == 200
    # when it asks for a spring cycle of ۱۴۰۶ with the default catalogue
    response = client.post(
        reverse("evaluation:cycle_create"), {"year": "۱۴۰۶", "quarter": "1", "title": ""}
    )
    # then the draft exists with its fifteen criteria, and the catalogue opens
    cycle = Cycle.objects.get(year=1406, quarter=1)
    assert response.status_code == 302
    assert response["Location"] == page("catalogue", cycle)
    assert cycle.status == CycleStatus.DRAFT
    assert cycle.criteria.count() == 15
    assert cycle.title == "ارزیابی روابط عمومی‌ها — بهار ۱۴۰۶"
    listing = text_of(client.get(reverse("evaluation:cycle_list")))
    assert cycle.title in listing
    assert "پیش‌نویس" in listing


def test_a_second_cycle_for_the_same_period_is_refused_and_the_form_keeps_the_input(
    world, login, draft_cycle
):
    client = login(world.ministry)
    response = client.post(
        reverse("evaluation:cycle_create"),
        {"year": str(draft_cycle.year), "quarter": "0", "title": "ارزیابی تکراری"},
    )
    assert response.status_code == 400
    body = text_of(response)
    assert "برای این دوره پیش‌تر ارزیابی تعریف شده است" in body
    assert 'value="ارزیابی تکراری"' in body
    assert Cycle.objects.count() == 1


def test_a_cycle_copies_the_catalogue_and_tiers_of_an_earlier_one(world, login, draft_cycle):
    # given a draft whose catalogue was trimmed to one criterion
    draft_cycle.criteria.exclude(code="Q1").delete()
    client = login(world.ministry)
    # when the next year copies it
    client.post(
        reverse("evaluation:cycle_create"),
        {"year": str(draft_cycle.year + 1), "quarter": "0", "copy_from": str(draft_cycle.pk)},
    )
    # then the new cycle has that one criterion
    copy = Cycle.objects.get(year=draft_cycle.year + 1)
    assert list(copy.criteria.values_list("code", flat=True)) == ["Q1"]
    assert copy.tiers == draft_cycle.tiers


def test_the_cycle_page_shows_status_period_provinces_and_offices(world, login, cycle):
    client = login(world.ministry)
    body = text_of(client.get(page("cycle_detail", cycle)))
    assert "در حال ارزیابی" in body
    start, end = cycle.bounds
    assert jalali.format_date(start, "long") in body
    assert jalali.format_date(end, "long") in body
    assert "نسخه ۱" in body
    # the two provinces with their links, and the offices
    for province_id in (
        world.chair_office.agency.province_id,
        world.fars_office.agency.province_id,
    ):
        assert page("province_detail", cycle, province_id) in body
    assert world.chair_office.name in body
    assert page("office_detail", cycle, world.chair_office.pk) in body
    assert page("office_ranking", cycle) in body
    assert page("cycle_pdf", cycle) in body
    assert page("cycle_xlsx", cycle) in body
    assert 'id="hs-ranking-data"' in body
    assert "محاسبه دوباره" in body


def test_an_office_sees_scorecard_links_only_for_its_own_province(world, login, cycle):
    client = login(world.staff)
    body = text_of(client.get(page("office_ranking", cycle)))
    assert page("office_detail", cycle, world.member_office.pk) in body
    assert page("office_detail", cycle, world.fars_office.pk) not in body
    assert world.fars_office.name in body


def test_criteria_without_values_are_listed_with_their_reason(world, login, cycle):
    # given a criterion the engine could not read
    Criterion.objects.filter(cycle=cycle, code="Q1").update(
        missing_reason="شاخص «x.y» در این سامانه محاسبه نمی‌شود (بخش آن نصب نیست)."
    )
    body = text_of(login(world.staff).get(page("cycle_detail", cycle)))
    assert 'id="missing"' in body
    assert "در این سامانه محاسبه نمی‌شود" in body


# --- the catalogue -------------------------------------------------------------------------


def q1(cycle: Cycle) -> Criterion:
    return cycle.criteria.get(code="Q1")


def criterion_post(criterion: Criterion, **changes: str) -> dict[str, str]:
    data = {
        "code": criterion.code,
        "name": criterion.name,
        "kind": criterion.kind,
        "weight": str(criterion.weight),
        "position": str(criterion.position),
        "description": criterion.description,
        "provider": criterion.provider,
        "normalisation": criterion.normalisation,
        "target": "" if criterion.target is None else str(criterion.target),
        **{f"rubric_{i}": criterion.level_description(i) for i in range(1, 6)},
    }
    data.update(changes)
    return data


def test_the_catalogue_shows_every_criterion_with_its_provider_and_a_sound_total(
    world, login, draft_cycle
):
    client = login(world.ministry)
    body = text_of(client.get(page("catalogue", draft_cycle)))
    assert "جمع وزن‌ها" in body
    assert 'id="weights-error"' not in body
    assert "activities.news_releases" in body
    assert page("criterion_edit", draft_cycle, q1(draft_cycle).pk) in body
    assert "سطوح ۱ تا ۵" in body


def test_the_ministry_edits_a_criterion_and_sees_the_weights_no_longer_sum_to_100(
    world, login, draft_cycle
):
    # given the default catalogue (weights sum to 100)
    client = login(world.ministry)
    criterion = q1(draft_cycle)
    url = page("criterion_edit", draft_cycle, criterion.pk)
    assert 'value="Q1"' in text_of(client.get(url))
    # when Q1 is given 15 instead of 12, typed in Persian digits
    response = client.post(url, criterion_post(criterion, weight="۱۵", name="خبرهای منتشرشده"))
    # then it is saved and the catalogue warns that the sum is 103
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.weight == Decimal(15)
    assert criterion.name == "خبرهای منتشرشده"
    body = text_of(client.get(page("catalogue", draft_cycle)))
    assert 'id="weights-error"' in body
    assert "جمع وزن شاخص‌ها باید ۱۰۰ باشد؛ اکنون ۱۰۳" in body
    # and scoring cannot start: the cycle's page says why, and the cycle stays a draft
    response = client.post(page("cycle_action", draft_cycle, "start"), follow=True)
    assert "جمع وزن شاخص‌ها باید ۱۰۰ باشد" in text_of(response)
    draft_cycle.refresh_from_db()
    assert draft_cycle.status == CycleStatus.DRAFT


def test_a_refused_criterion_keeps_what_the_user_typed(world, login, draft_cycle):
    client = login(world.ministry)
    criterion = q1(draft_cycle)
    # when the target method is chosen without a target
    response = client.post(
        page("criterion_edit", draft_cycle, criterion.pk),
        criterion_post(criterion, name="نام تازه", weight="۱۲٫۵", normalisation="target"),
    )
    # then the form comes back with the error beside the target and the input kept
    assert response.status_code == 400
    body = text_of(response)
    assert "هدفی بزرگ‌تر از صفر بنویسید" in body
    assert 'value="نام تازه"' in body
    assert 'value="۱۲٫۵"' in body
    criterion.refresh_from_db()
    assert criterion.name != "نام تازه"


def test_a_new_qualitative_criterion_needs_all_five_levels(world, login, draft_cycle):
    client = login(world.ministry)
    url = page("criterion_create", draft_cycle)
    data = {
        "code": "L9",
        "name": "پاسخ‌گویی",
        "kind": "qualitative",
        "weight": "5",
        "rubric_1": "هیچ",
        "rubric_2": "کم",
        "rubric_3": "",
        "rubric_4": "خوب",
        "rubric_5": "عالی",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "شرح این سطح را بنویسید" in text_of(response)
    assert 'value="عالی"' in text_of(response)
    # with the third level written it is added
    response = client.post(url, {**data, "rubric_3": "متوسط"})
    assert response.status_code == 302
    added = draft_cycle.criteria.get(code="L9")
    assert added.rubric == ["هیچ", "کم", "متوسط", "خوب", "عالی"]
    assert added.provider == ""


def test_the_provider_list_keeps_an_unregistered_provider(world, login, draft_cycle):
    criterion = q1(draft_cycle)
    Criterion.objects.filter(pk=criterion.pk).update(provider="gone.away")
    body = text_of(login(world.ministry).get(page("criterion_edit", draft_cycle, criterion.pk)))
    assert 'value="gone.away" selected' in body
    assert "در این سامانه محاسبه نمی‌شود" in body
    catalogue = text_of(login(world.ministry).get(page("catalogue", draft_cycle)))
    assert "ثبت‌نشده" in catalogue


def test_the_ministry_removes_a_criterion_from_a_draft(world, login, draft_cycle):
    client = login(world.ministry)
    criterion = q1(draft_cycle)
    response = client.post(page("criterion_delete", draft_cycle, criterion.pk))
    assert response.status_code == 302
    assert not draft_cycle.criteria.filter(code="Q1").exists()


def test_starting_scoring_freezes_the_catalogue_and_ranks(world, login, draft_cycle):
    client = login(world.ministry)
    # when the ministry starts scoring
    response = client.post(page("cycle_action", draft_cycle, "start"), follow=True)
    # then the catalogue is version 1, read-only, and the offices are ranked
    draft_cycle.refresh_from_db()
    assert draft_cycle.status == CycleStatus.SCORING
    assert draft_cycle.catalogue_version == 1
    assert "قطعی شد (نسخه ۱)" in text_of(response)
    assert Result.objects.filter(cycle=draft_cycle).count() == 3
    catalogue = text_of(client.get(page("catalogue", draft_cycle)))
    assert 'id="frozen"' in catalogue
    assert page("criterion_edit", draft_cycle, q1(draft_cycle).pk) not in catalogue
    # and a late edit is refused
    response = client.post(
        page("criterion_edit", draft_cycle, q1(draft_cycle).pk),
        criterion_post(q1(draft_cycle), weight="20"),
        follow=True,
    )
    assert "قطعی شده و دیگر تغییر نمی‌کند" in text_of(response)
    assert q1(draft_cycle).weight == Decimal(12)


def test_tiers_change_and_the_ranking_is_tiered_again(world, login, cycle):
    client = login(world.ministry)
    url = page("cycle_tiers", cycle)
    # when every office reaches the one tier "همه"
    response = client.post(url, {"label_0": "همه", "min_0": "۰", "label_1": "", "min_1": ""})
    # then the tiers are saved and every result carries it
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.tiers == [{"min": 0.0, "label": "همه"}]
    assert set(Result.objects.filter(cycle=cycle).values_list("tier", flat=True)) == {"همه"}
    assert "همه" in text_of(client.get(page("cycle_detail", cycle)))


def test_a_tier_without_a_number_is_refused_and_the_rows_are_kept(world, login, cycle):
    client = login(world.ministry)
    before = list(cycle.tiers)
    response = client.post(page("cycle_tiers", cycle), {"label_0": "عالی", "min_0": "زیاد"})
    assert response.status_code == 400
    body = text_of(response)
    assert "کمینه هر سطح باید عدد باشد" in body
    assert 'value="زیاد"' in body
    cycle.refresh_from_db()
    assert cycle.tiers == before


def test_the_ministry_opens_the_window_for_objections(world, login, cycle):
    client = login(world.ministry)
    response = client.post(page("cycle_action", cycle, "appeals"), {"days": "۱۰"})
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.APPEALS
    assert cycle.appeals_until == jalali.today() + dt.timedelta(days=9)
    body = text_of(client.get(page("cycle_detail", cycle)))
    assert "مهلت اعتراض" in body
    assert jalali.format_date(cycle.appeals_until, "long") in body


def test_a_window_of_no_days_is_refused_on_the_cycle_page(world, login, cycle):
    client = login(world.ministry)
    response = client.post(
        page("cycle_action", cycle, "appeals"), {"days": "۰", "appeals_from": "1405/13/01"}
    )
    assert response.status_code == 400
    body = text_of(response)
    assert 'value="1405/13/01"' in body
    assert 'id="appeals-form"' in body
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.SCORING


def test_the_ministry_recomputes_and_closes_the_cycle(world, login, cycle):
    client = login(world.ministry)
    response = client.post(page("cycle_action", cycle, "recompute"), follow=True)
    assert "رتبه‌بندی به‌روز شد" in text_of(response)
    response = client.post(page("cycle_action", cycle, "close"), follow=True)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED
    assert "نهایی شد" in text_of(response)
    # a closed cycle is not recomputed
    response = client.post(page("cycle_action", cycle, "recompute"), follow=True)
    assert "هنوز نهایی نشده" in text_of(response)


def test_an_unknown_action_is_not_found(world, login, cycle):
    assert login(world.ministry).post(page("cycle_action", cycle, "explode")).status_code == 404


# --- rankings -----------------------------------------------------------------------------


def test_the_office_ranking_filters_by_province_and_finds_a_name_however_it_is_spelt(
    world, login, cycle
):
    client = login(world.fars_chair)
    isfahan = world.chair_office.agency.province_id
    body = results_of(client.get(page("office_ranking", cycle), {"province": isfahan}))
    assert world.chair_office.name in body
    assert world.fars_office.name not in body
    # "راه آهن" with a space finds "راه‌آهن" with a half-space
    body = results_of(client.get(page("office_ranking", cycle), {"q": "راه آهن"}))
    assert world.member_office.name in body
    assert world.chair_office.name not in body
    # Arabic ي is Persian ی; every word must match
    body = results_of(client.get(page("office_ranking", cycle), {"q": "شهرسازي اصفهان"}))
    assert world.chair_office.name in body
    assert world.fars_office.name not in body
    assert world.member_office.name not in body
    body = results_of(client.get(page("office_ranking", cycle), {"q": "كشتيراني"}))
    assert "روابط عمومی‌ای با این نام" in body


def test_the_ranking_filter_answers_htmx_with_the_results_only(world, login, cycle):
    response = login(world.staff).get(
        page("office_ranking", cycle), {"q": "فارس"}, HTTP_HX_REQUEST="true"
    )
    body = text_of(response)
    assert body.lstrip().startswith("<div")
    assert 'id="office-results"' in body
    assert world.fars_office.name in body
    assert "<html" not in body


def test_the_province_page_ranks_its_offices(world, login, cycle):
    isfahan = world.chair_office.agency.province_id
    body = text_of(login(world.partner).get(page("province_detail", cycle, isfahan)))
    assert world.chair_office.name in body
    assert world.member_office.name in body
    assert world.fars_office.name not in body
    assert page("province_pdf", cycle, isfahan) in body
    assert page("province_xlsx", cycle, isfahan) in body
    assert "رتبه کشوری استان" in body


def test_a_province_without_ranked_offices_has_no_page(world, login, cycle):
    from hamseda.directory.tests.factories import province

    assert (
        login(world.staff).get(page("province_detail", cycle, province("tehran").pk)).status_code
        == 404
    )


def _grow(world, count: int, cycle: Cycle) -> None:
    for n in range(count):
        member_office(world.isfahan_council, f"شرکت آزمایشی شماره {n}")
    cycle_rank(cycle=cycle)


@pytest.mark.parametrize(
    ("name", "limit"),
    [("cycle_detail", 8), ("office_ranking", 6), ("province_detail", 6)],
)
def test_the_ranking_pages_cost_the_same_queries_for_three_or_twenty_offices(
    world, login, cycle, django_assert_max_num_queries, name, limit
):
    client = login(world.ministry)
    args = [world.chair_office.agency.province_id] if name == "province_detail" else []
    with django_assert_max_num_queries(limit):
        assert client.get(page(name, cycle, *args)).status_code == 200
    _grow(world, 17, cycle)
    assert Result.objects.filter(cycle=cycle).count() == 20
    with django_assert_max_num_queries(limit):
        assert client.get(page(name, cycle, *args)).status_code == 200


# --- evaluators ---------------------------------------------------------------------------


def test_the_ministry_appoints_an_evaluator_to_every_office_of_a_province(world, login, cycle):
    client = login(world.ministry)
    url = page("assignments", cycle)
    assert client.get(url).status_code == 200
    isfahan = world.chair_office.agency.province_id
    # when the Fars evaluator is given Isfahan
    response = client.post(url, {"evaluator": world.evaluator.pk, "province": isfahan})
    # then both Isfahan offices are theirs, listed under their name
    assert response.status_code == 302
    offices = set(
        Assignment.objects.filter(cycle=cycle, evaluator=world.evaluator).values_list(
            "office_id", flat=True
        )
    )
    assert offices == {world.chair_office.pk, world.member_office.pk}
    body = text_of(client.get(url))
    assert world.evaluator.display_name in body
    assert world.member_office.name in body


def test_an_evaluator_is_refused_their_own_province_and_the_form_keeps_the_choice(
    world, login, cycle
):
    client = login(world.ministry)
    response = client.post(
        page("assignments", cycle),
        {"evaluator": world.evaluator.pk, "offices": [world.fars_office.pk]},
    )
    assert response.status_code == 400
    body = text_of(response)
    assert "ارزیاب روابط عمومی‌های استان خود را ارزیابی نمی‌کند" in body
    assert f'value="{world.fars_office.pk}" selected' in body
    assert not Assignment.objects.filter(cycle=cycle).exists()


def test_the_ministry_removes_an_assignment(world, login, cycle):
    assignment = Assignment.objects.create(
        cycle=cycle, evaluator=world.evaluator, office=world.chair_office
    )
    client = login(world.ministry)
    assert client.get(page("assignment_delete", cycle, assignment.pk)).status_code == 405
    response = client.post(page("assignment_delete", cycle, assignment.pk))
    assert response.status_code == 302
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_an_office_cannot_remove_an_assignment(world, login, cycle):
    assignment = Assignment.objects.create(
        cycle=cycle, evaluator=world.evaluator, office=world.chair_office
    )
    assert (
        login(world.chair).post(page("assignment_delete", cycle, assignment.pk)).status_code == 403
    )
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_a_cycle_made_by_the_service_appears_in_the_list_for_its_managers_only(world, login):
    year = this_year() + 2
    cycle_create(actor=world.ministry, year=year)
    assert "پیش‌نویس" in text_of(login(world.admin).get(reverse("evaluation:cycle_list")))
    assert "هنوز دوره ارزیابی‌ای اعلام نشده است" in text_of(
        login(world.staff).get(reverse("evaluation:cycle_list"))
    )
