"""The evaluation REST API: cycles and their catalogue, rankings, scorecards and
the records behind them, ratings, self-assessments, evaluators and objections,
through the same services and policy as the pages, with strict input."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from hamseda.core import indicators, jalali
from hamseda.core.indicators import Evidence
from hamseda.evaluation.models import Appeal, Assignment, Cycle, CycleStatus, Rating
from hamseda.evaluation.services.cycles import cycle_create
from hamseda.evaluation.services.ratings import assignments_add

pytestmark = pytest.mark.django_db

API = "/api/v1/evaluation/cycles"
UNKNOWN_FIELD = "این فیلد شناخته‌شده نیست."
FORBIDDEN = {"detail": "شما اجازه این کار را ندارید."}
LEVEL_RANGE = "سطح باید یکی از ۱ تا ۵ باشد."
FROZEN = "فهرست شاخص‌های این دوره از آغاز ارزیابی قطعی شده و دیگر تغییر نمی‌کند."
FAILING = "tests.evaluation_api_failing"
COUNTED = "tests.evaluation_api_counted"

PERSONAS = [
    "chair",
    "secretary",
    "staff",
    "member_staff",
    "partner",
    "evaluator",
    "fars_chair",
    "ministry",
    "admin",
]


@pytest.fixture
def api_as():
    """``api_as(person)``: an API client authenticated as that person."""

    def sign_in(person) -> APIClient:
        client = APIClient()
        client.force_authenticate(person)
        return client

    return sign_in


@pytest.fixture
def failing_indicator():
    """A provider that raises, registered for the test only."""

    @indicators.indicator(FAILING, name="شاخص آزمایشی ناکام", unit="", direction=indicators.HIGHER)
    def failing(*, start, end, office_ids):
        raise RuntimeError("پایگاه داده رسانه‌ها در دسترس نیست")

    yield FAILING
    indicators.REGISTRY.pop(FAILING, None)


@pytest.fixture
def counted_indicator(world):
    """A provider that counts three records for the Isfahan chair's office and
    one for the member office, with the records behind the three."""

    def counted(*, start, end, office_ids):
        return {world.chair_office.pk: 3.0, world.member_office.pk: 1.0}

    def listing(*, start, end, office_id, limit):
        if office_id != world.chair_office.pk:
            return []
        return [
            Evidence(label="نشست خبری سفرهای نوروزی", url="/activities/7/", date=start),
            Evidence(label="گزارش دیرهنگام", url="", date=None, counted=False, note="با تأخیر"),
        ]

    indicators.indicator(
        COUNTED, name="شاخص آزمایشی شمارش", unit="مورد", direction=indicators.HIGHER
    )(counted)
    indicators.evidence_for(COUNTED)(listing)
    yield COUNTED
    indicators.REGISTRY.pop(COUNTED, None)


def put_in_catalogue(client: APIClient, cycle: Cycle, *, code: str, provider: str) -> None:
    """Give ``provider`` five of Q1's twelve points, so the weights still sum to 100."""
    q1 = cycle.criteria.get(code="Q1")
    edited = client.patch(f"{API}/{cycle.pk}/catalogue/{q1.pk}/", {"weight": "7"}, format="json")
    assert edited.status_code == 200, edited.json()
    added = client.post(
        f"{API}/{cycle.pk}/catalogue/",
        {
            "code": code,
            "kind": "quantitative",
            "name": "شاخص آزمایشی",
            "weight": "5",
            "provider": provider,
            "normalisation": "minmax",
        },
        format="json",
    )
    assert added.status_code == 201, added.json()


def office_url(cycle: Cycle, office) -> str:
    return f"{API}/{cycle.pk}/offices/{office.pk}"


@pytest.fixture
def assigned(world, cycle) -> Assignment:
    """The Fars evaluator is appointed to the Isfahan chair's office."""
    [assignment] = assignments_add(
        actor=world.ministry, cycle=cycle, evaluator=world.evaluator, offices=[world.chair_office]
    )
    return assignment


def rate(api_as, world, cycle, office=None, **body):
    payload = {"criterion": "L1", "level": 4, "comment": "هم‌افزایی خوب", **body}
    return api_as(world.evaluator).post(
        f"{office_url(cycle, office or world.chair_office)}/ratings/", payload, format="json"
    )


def open_appeals(api_as, world, cycle) -> None:
    response = api_as(world.ministry).post(
        f"{API}/{cycle.pk}/actions/appeals/",
        {"days": 7, "appeals_from": jalali.today().isoformat()},
        format="json",
    )
    assert response.status_code == 200, response.json()


# --- cycles ---------------------------------------------------------------------------


def test_a_cycle_shows_its_status_period_tiers_and_catalogue_version(api_as, world, cycle):
    # when
    response = api_as(world.partner).get(f"{API}/{cycle.pk}/")
    # then
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "scoring"
    assert data["catalogue_version"] == 1
    assert data["start_date"] == cycle.start_date.isoformat()
    assert data["end_date"] == cycle.end_date.isoformat()
    assert data["start_date_jalali"] == f"{cycle.year}/01/01"
    assert data["period"] == cycle.period_label()
    assert [t["label"] for t in data["tiers"]] == ["ممتاز", "خوب", "متوسط", "نیازمند بهبود"]
    assert data["appeals_open"] is False
    assert data["appeals_from"] is None
    assert data["problems"] == []


def test_drafts_are_listed_only_for_the_ministry_centre(api_as, world, draft_cycle):
    # given a draft, when the list is read
    staff_list = api_as(world.staff).get(f"{API}/")
    ministry_list = api_as(world.ministry).get(f"{API}/")
    # then
    assert staff_list.json()["count"] == 0
    assert api_as(world.staff).get(f"{API}/{draft_cycle.pk}/").status_code == 404
    assert [c["id"] for c in ministry_list.json()["results"]] == [draft_cycle.pk]
    assert ministry_list.json()["results"][0]["criteria_count"] == 15


def test_the_ministry_creates_a_cycle_with_a_copy_of_another_catalogue(api_as, world, cycle):
    # given a smaller catalogue in the scoring cycle
    cycle.criteria.filter(code="L6").delete()
    client = api_as(world.ministry)
    # when
    response = client.post(
        f"{API}/",
        {"year": cycle.year, "quarter": 2, "title": "", "copy_from": cycle.pk},
        format="json",
    )
    # then
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["status"], data["quarter"], data["criteria_count"]) == ("draft", 2, 14)
    assert data["title"].startswith("ارزیابی روابط عمومی‌ها")
    assert data["problems"]  # the copy lacks L6's four points
    # the same period again is refused in Persian
    again = client.post(f"{API}/", {"year": cycle.year, "quarter": 2}, format="json")
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["برای این دوره پیش‌تر ارزیابی تعریف شده است."]}
    # strict input, and a copy from nowhere
    typo = client.post(f"{API}/", {"year": cycle.year, "quater": 3}, format="json")
    assert typo.json() == {"quater": [UNKNOWN_FIELD]}
    nowhere = client.post(f"{API}/", {"year": cycle.year, "copy_from": 999999}, format="json")
    assert nowhere.status_code == 400
    assert "copy_from" in nowhere.json()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_ministry_centre_creates_a_cycle(api_as, world, persona):
    # when
    response = api_as(getattr(world, persona)).post(f"{API}/", {"year": 1406}, format="json")
    # then
    if persona in ("ministry", "admin"):
        assert response.status_code == 201
    else:
        assert response.status_code == 403
        assert response.json() == FORBIDDEN


def test_start_refuses_weights_that_do_not_sum_to_100(api_as, world, draft_cycle):
    # given Q1 weighs 10 instead of 12
    client = api_as(world.ministry)
    q1 = draft_cycle.criteria.get(code="Q1")
    client.patch(f"{API}/{draft_cycle.pk}/catalogue/{q1.pk}/", {"weight": "10"}, format="json")
    assert client.get(f"{API}/{draft_cycle.pk}/").json()["problems"] == [
        "جمع وزن شاخص‌ها باید ۱۰۰ باشد؛ اکنون ۹۸ است."
    ]
    # when
    refused = client.post(f"{API}/{draft_cycle.pk}/actions/start/")
    # then
    assert refused.status_code == 400
    assert refused.json() == {"non_field_errors": ["جمع وزن شاخص‌ها باید ۱۰۰ باشد؛ اکنون ۹۸ است."]}
    draft_cycle.refresh_from_db()
    assert draft_cycle.status == CycleStatus.DRAFT
    # and once they do, scoring starts and the offices are ranked
    client.patch(f"{API}/{draft_cycle.pk}/catalogue/{q1.pk}/", {"weight": "12"}, format="json")
    started = client.post(f"{API}/{draft_cycle.pk}/actions/start/")
    assert started.status_code == 200, started.json()
    assert (started.json()["status"], started.json()["catalogue_version"]) == ("scoring", 1)
    ranking = client.get(f"{API}/{draft_cycle.pk}/rankings/offices/").json()
    assert ranking["count"] == 3


def test_an_action_takes_no_fields_it_does_not_know(api_as, world, draft_cycle):
    response = api_as(world.ministry).post(
        f"{API}/{draft_cycle.pk}/actions/start/", {"force": True}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"force": [UNKNOWN_FIELD]}


def test_recompute_is_for_the_ministry_on_a_cycle_being_scored(api_as, world, cycle):
    # given a second, draft cycle for another quarter
    other = cycle_create(actor=world.ministry, year=cycle.year, quarter=1)
    # when, then
    done = api_as(world.ministry).post(f"{API}/{cycle.pk}/actions/recompute/")
    assert done.status_code == 200
    assert done.json()["ranked_at"] is not None
    assert api_as(world.chair).post(f"{API}/{cycle.pk}/actions/recompute/").status_code == 403
    draft = api_as(world.ministry).post(f"{API}/{other.pk}/actions/recompute/")
    assert draft.status_code == 400


def test_tiers_are_replaced_and_the_ranking_follows(api_as, world, cycle):
    client = api_as(world.ministry)
    # when
    response = client.put(
        f"{API}/{cycle.pk}/tiers/",
        {"tiers": [{"min": 0, "label": "همه"}, {"min": 99.5, "label": "بی‌نظیر"}]},
        format="json",
    )
    # then
    assert response.status_code == 200, response.json()
    assert response.json()["tiers"] == [
        {"min": 99.5, "label": "بی‌نظیر"},
        {"min": 0.0, "label": "همه"},
    ]
    tiers = {r["tier"] for r in client.get(f"{API}/{cycle.pk}/rankings/offices/").json()["results"]}
    assert tiers <= {"همه", "بی‌نظیر"}
    # a tier without a label is refused in Persian; a nested typo is named
    unnamed = client.put(
        f"{API}/{cycle.pk}/tiers/", {"tiers": [{"min": 10, "label": " "}]}, format="json"
    )
    assert unnamed.status_code == 400
    typo = client.put(
        f"{API}/{cycle.pk}/tiers/", {"tiers": [{"min": 10, "name": "x"}]}, format="json"
    )
    assert typo.status_code == 400
    assert typo.json() == {"tiers": {"0": {"name": [UNKNOWN_FIELD]}}}
    assert (
        api_as(world.chair)
        .put(f"{API}/{cycle.pk}/tiers/", {"tiers": []}, format="json")
        .status_code
        == 403
    )


# --- catalogue ------------------------------------------------------------------------


def test_the_catalogue_is_edited_while_the_cycle_is_a_draft(api_as, world, draft_cycle):
    client = api_as(world.ministry)
    # when a qualitative criterion is added
    rubric = ["ضعیف", "کم", "متوسط", "خوب", "عالی"]
    added = client.post(
        f"{API}/{draft_cycle.pk}/catalogue/",
        {"code": "l7", "kind": "qualitative", "name": "اقناع", "weight": "2", "rubric": rubric},
        format="json",
    )
    # then
    assert added.status_code == 201, added.json()
    assert (added.json()["code"], added.json()["rubric"]) == ("L7", rubric)
    criterion_id = added.json()["id"]
    # a rubric without five levels is refused beside its field
    short = client.patch(
        f"{API}/{draft_cycle.pk}/catalogue/{criterion_id}/", {"rubric": ["یک"]}, format="json"
    )
    assert short.status_code == 400
    assert short.json() == {"rubric": ["شاخص کیفی باید شرح هر پنج سطح ۱ تا ۵ را داشته باشد."]}
    renamed = client.patch(
        f"{API}/{draft_cycle.pk}/catalogue/{criterion_id}/", {"name": "اقناع افکار"}, format="json"
    )
    assert renamed.json()["name"] == "اقناع افکار"
    assert renamed.json()["weight"] == "2.00"
    # strict input
    typo = client.patch(
        f"{API}/{draft_cycle.pk}/catalogue/{criterion_id}/", {"wieght": "3"}, format="json"
    )
    assert typo.json() == {"wieght": [UNKNOWN_FIELD]}
    # a draft is not even visible to an office
    denied = api_as(world.chair).delete(f"{API}/{draft_cycle.pk}/catalogue/{criterion_id}/")
    assert denied.status_code == 404
    # removal
    assert client.delete(f"{API}/{draft_cycle.pk}/catalogue/{criterion_id}/").status_code == 204
    codes = [c["code"] for c in client.get(f"{API}/{draft_cycle.pk}/catalogue/").json()]
    assert "L7" not in codes
    assert len(codes) == 15


def test_a_frozen_catalogue_is_read_by_everyone_and_edited_by_nobody(api_as, world, cycle):
    client = api_as(world.ministry)
    q1 = cycle.criteria.get(code="Q1")
    # when
    edited = client.patch(f"{API}/{cycle.pk}/catalogue/{q1.pk}/", {"weight": "5"}, format="json")
    removed = client.delete(f"{API}/{cycle.pk}/catalogue/{q1.pk}/")
    # then
    assert edited.status_code == removed.status_code == 400
    assert edited.json() == removed.json() == {"non_field_errors": [FROZEN]}
    # and every signed-in user reads it
    catalogue = api_as(world.partner).get(f"{API}/{cycle.pk}/catalogue/").json()
    assert [c["code"] for c in catalogue][:2] == ["Q1", "Q2"]
    denied = api_as(world.chair).patch(
        f"{API}/{cycle.pk}/catalogue/{q1.pk}/", {"weight": "5"}, format="json"
    )
    assert denied.status_code == 403


def test_a_provider_that_raises_leaves_its_criterion_missing_not_zero(
    api_as, world, draft_cycle, failing_indicator
):
    # given the failing indicator is in the catalogue
    client = api_as(world.ministry)
    put_in_catalogue(client, draft_cycle, code="QF", provider=failing_indicator)
    # when scoring starts
    started = client.post(f"{API}/{draft_cycle.pk}/actions/start/")
    # then the cycle names the criterion missing, with the provider's error
    assert started.status_code == 200, started.json()
    missing = {m["code"]: m["reason"] for m in started.json()["missing"]}
    assert "پایگاه داده رسانه‌ها در دسترس نیست" in missing["QF"]
    # and no office is scored zero on it: its weight is left out
    card = api_as(world.chair).get(office_url(draft_cycle, world.chair_office) + "/").json()
    [line] = [line for line in card["lines"] if line["code"] == "QF"]
    assert line["item"]["score"] is None
    assert line["item"]["points"] is None
    assert line["item"]["missing"] == missing["QF"]


# --- rankings and scorecards ----------------------------------------------------------


def test_rankings_of_provinces_and_offices_are_open_to_everyone(api_as, world, cycle):
    client = api_as(world.fars_chair)
    # when
    provinces = client.get(f"{API}/{cycle.pk}/rankings/provinces/")
    offices = client.get(f"{API}/{cycle.pk}/rankings/offices/", {"limit": 2})
    isfahan = client.get(
        f"{API}/{cycle.pk}/rankings/offices/",
        {"province": world.chair_office.agency.province_id},
    )
    # then
    assert provinces.status_code == 200
    assert {p["province"] for p in provinces.json()} == {
        world.chair_office.agency.province_id,
        world.fars_office.agency.province_id,
    }
    isfahan_row = next(
        p for p in provinces.json() if p["province"] == world.chair_office.agency.province_id
    )
    assert isfahan_row["offices"] == 2
    assert offices.json()["count"] == 3
    assert len(offices.json()["results"]) == 2
    assert offices.json()["next"] is not None
    assert {r["office"] for r in isfahan.json()["results"]} == {
        world.chair_office.pk,
        world.member_office.pk,
    }
    assert sorted(r["rank_in_province"] for r in isfahan.json()["results"])[0] == 1
    bad = client.get(f"{API}/{cycle.pk}/rankings/offices/", {"province": "اصفهان"})
    assert bad.status_code == 400


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_offices_scorecard_follows_its_province(api_as, world, cycle, persona):
    # when
    response = api_as(getattr(world, persona)).get(office_url(cycle, world.chair_office) + "/")
    # then: the office's province, the evaluators and the ministry centre read it
    if persona == "fars_chair":
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        data = response.json()
        assert data["office"]["id"] == world.chair_office.pk
        assert data["result"]["office"] == world.chair_office.pk
        assert len(data["lines"]) == 15
        assert data["offices_ranked"] == 3
        assert data["province_offices"] == 2


def test_the_scorecard_hides_evaluators_names_from_the_office(api_as, world, cycle, assigned):
    # given the evaluator rated L1 with evidence
    rated = rate(api_as, world, cycle, evidence=[{"label": "صورتجلسه", "url": "/meetings/3/"}])
    assert rated.status_code == 200, rated.json()
    # when
    for_office = api_as(world.chair).get(office_url(cycle, world.chair_office) + "/").json()
    for_ministry = api_as(world.ministry).get(office_url(cycle, world.chair_office) + "/").json()
    for_evaluator = api_as(world.evaluator).get(office_url(cycle, world.chair_office) + "/").json()

    # then
    def l1_rating(card):
        [line] = [line for line in card["lines"] if line["code"] == "L1"]
        [rating] = line["ratings"]
        return line, rating

    line, rating = l1_rating(for_office)
    assert rating["evaluator"] != world.evaluator.display_name
    assert rating["evaluator"].startswith("ارزیاب")
    assert (rating["level"], rating["mine"]) == (4, False)
    assert rating["evidence"][0]["url"] == "/meetings/3/"
    assert (line["item"]["level"], line["item"]["score"]) == (4, 80)
    assert l1_rating(for_ministry)[1]["evaluator"] == world.evaluator.display_name
    assert l1_rating(for_evaluator)[1]["mine"] is True
    assert for_evaluator["may_rate"] is True
    assert for_office["may_rate"] is False


def test_a_scorecard_costs_the_same_queries_however_many_ratings_and_objections(
    api_as, world, cycle, assigned
):
    # given one rating and one objection
    client = api_as(world.ministry)
    url = office_url(cycle, world.chair_office) + "/"
    appeals = f"{API}/{cycle.pk}/appeals/"
    text = {"text": "رتبه ما با کارهای انجام‌شده نمی‌خواند."}
    rate(api_as, world, cycle, evidence=[{"label": "صورتجلسه", "url": "/meetings/3/"}])
    open_appeals(api_as, world, cycle)
    api_as(world.chair).post(appeals, text, format="json")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    # when there are more of each, from two evaluators
    for code in ("L2", "L3"):
        rate(api_as, world, cycle, criterion=code, evidence=[{"label": "خبر", "url": "/a/1/"}])
        client.post(
            f"{url}ratings/", {"criterion": code, "level": 2, "comment": "کم"}, format="json"
        )
        api_as(world.chair).post(appeals, {**text, "criterion": code}, format="json")
    with CaptureQueriesContext(connection) as many:
        card = client.get(url).json()
    # then
    assert (len(card["appeals"]), sum(len(line["ratings"]) for line in card["lines"])) == (3, 5)
    assert len(many.captured_queries) == len(one.captured_queries)


def test_the_drill_down_lists_the_records_behind_a_number(
    api_as, world, draft_cycle, counted_indicator
):
    # given the counting indicator is in the catalogue and scoring started
    client = api_as(world.ministry)
    put_in_catalogue(client, draft_cycle, code="QC", provider=counted_indicator)
    assert client.post(f"{API}/{draft_cycle.pk}/actions/start/").status_code == 200
    # when the office drills into it
    response = api_as(world.staff).get(
        office_url(draft_cycle, world.chair_office) + "/evidence/QC/"
    )
    # then
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["item"]["value"] == 3.0
    assert data["item"]["score"] == 100.0
    assert data["indicator"]["code"] == COUNTED
    counted, late = data["records"]
    assert (counted["label"], counted["url"], counted["counted"]) == (
        "نشست خبری سفرهای نوروزی",
        "/activities/7/",
        True,
    )
    assert counted["date"] == draft_cycle.start_date.isoformat()
    assert counted["date_jalali"] == f"{draft_cycle.year}/01/01"
    assert (late["counted"], late["note"], late["date"]) == (False, "با تأخیر", None)
    # another province may not; a code the cycle lacks is a 404
    other = api_as(world.fars_chair).get(
        office_url(draft_cycle, world.chair_office) + "/evidence/QC/"
    )
    assert other.status_code == 403
    assert (
        client.get(office_url(draft_cycle, world.chair_office) + "/evidence/ZZ/").status_code == 404
    )


# --- ratings and self-assessments -----------------------------------------------------


def test_an_evaluator_rates_an_assigned_office_and_gets_its_new_standing(
    api_as, world, cycle, assigned
):
    before = api_as(world.ministry).get(office_url(cycle, world.chair_office) + "/").json()
    # when
    response = rate(api_as, world, cycle, level=5)
    # then
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["rating"]["level"] == 5
    assert data["rating"]["evaluator"] == world.evaluator.display_name
    assert data["result"]["office"] == world.chair_office.pk
    assert data["result"]["total"] != before["result"]["total"]
    assert data["result"]["rank"] == 1
    assert Rating.objects.get(office=world.chair_office).comment == "هم‌افزایی خوب"
    # rating again changes the same rating
    assert rate(api_as, world, cycle, level=3).json()["rating"]["id"] == data["rating"]["id"]


def test_a_rating_outside_the_rubric_or_on_a_quantitative_criterion_is_refused(
    api_as, world, cycle, assigned
):
    level_six = rate(api_as, world, cycle, level=6)
    assert level_six.status_code == 400
    assert level_six.json() == {"level": [LEVEL_RANGE]}
    quantitative = rate(api_as, world, cycle, criterion="Q1")
    assert quantitative.status_code == 400
    assert "کمی است" in quantitative.json()["non_field_errors"][0]
    unknown = rate(api_as, world, cycle, criterion="X9")
    assert unknown.json() == {"criterion": ["این شاخص در این دوره نیست."]}
    typo = rate(api_as, world, cycle, levle=3)
    assert typo.json() == {"levle": [UNKNOWN_FIELD]}
    outside = rate(api_as, world, cycle, evidence=[{"label": "x", "url": "https://example.com/"}])
    assert outside.status_code == 400
    assert "evidence" in outside.json()
    assert not Rating.objects.exists()


def test_an_evaluator_may_not_rate_their_own_province_or_an_office_not_assigned(
    api_as, world, cycle, assigned
):
    own = rate(api_as, world, cycle, office=world.fars_office)
    assert own.status_code == 403
    assert own.json() == {"detail": "ارزیاب روابط عمومی‌های استان خود را ارزیابی نمی‌کند."}
    not_assigned = rate(api_as, world, cycle, office=world.member_office)
    assert not_assigned.status_code == 403
    assert not_assigned.json() == {"detail": "شما ارزیاب این روابط عمومی در این دوره نیستید."}
    by_the_office = api_as(world.chair).post(
        office_url(cycle, world.chair_office) + "/ratings/",
        {"criterion": "L1", "level": 5},
        format="json",
    )
    assert by_the_office.status_code == 403
    assert not Rating.objects.exists()


def test_an_office_assesses_itself_and_the_evaluator_sees_it(api_as, world, cycle):
    # when
    response = api_as(world.secretary).post(
        office_url(cycle, world.chair_office) + "/self-assessment/",
        {
            "criterion": "L2",
            "level": 4,
            "comment": "پنج نشست مشترک",
            "evidence": [{"label": "گزارش", "url": "/activities/5/"}],
        },
        format="json",
    )
    # then
    assert response.status_code == 200, response.json()
    assert (response.json()["level"], response.json()["comment"]) == (4, "پنج نشست مشترک")
    card = api_as(world.evaluator).get(office_url(cycle, world.chair_office) + "/").json()
    [line] = [line for line in card["lines"] if line["code"] == "L2"]
    assert line["self_assessment"]["evidence"][0]["url"] == "/activities/5/"
    # a fellow office of the province may read but not assess it
    other = api_as(world.member_staff).post(
        office_url(cycle, world.chair_office) + "/self-assessment/",
        {"criterion": "L2", "level": 5},
        format="json",
    )
    assert other.status_code == 403
    six = api_as(world.chair).post(
        office_url(cycle, world.chair_office) + "/self-assessment/",
        {"criterion": "L2", "level": 6},
        format="json",
    )
    assert six.json() == {"level": [LEVEL_RANGE]}


# --- evaluators -----------------------------------------------------------------------


def test_the_ministry_appoints_evaluators_by_office_or_province(api_as, world, cycle):
    client = api_as(world.ministry)
    isfahan = world.chair_office.agency.province_id
    # when
    response = client.post(
        f"{API}/{cycle.pk}/evaluators/",
        {"evaluator": world.evaluator.pk, "province": isfahan},
        format="json",
    )
    # then every evaluated office of Isfahan (not the governorate) is assigned
    assert response.status_code == 201, response.json()
    assert {a["office"]["id"] for a in response.json()} == {
        world.chair_office.pk,
        world.member_office.pk,
    }
    listed = client.get(f"{API}/{cycle.pk}/evaluators/").json()
    assert listed["count"] == 2
    assert listed["results"][0]["evaluator"]["id"] == world.evaluator.pk
    # their own province is refused; offices and province together are a 400
    own = client.post(
        f"{API}/{cycle.pk}/evaluators/",
        {"evaluator": world.evaluator.pk, "offices": [world.fars_office.pk]},
        format="json",
    )
    assert own.status_code == 400
    assert "استان خود" in own.json()["non_field_errors"][0]
    both = client.post(
        f"{API}/{cycle.pk}/evaluators/",
        {"evaluator": world.evaluator.pk, "offices": [world.chair_office.pk], "province": isfahan},
        format="json",
    )
    assert both.status_code == 400
    # nobody but the ministry centre reads or appoints
    assert api_as(world.evaluator).get(f"{API}/{cycle.pk}/evaluators/").status_code == 403
    denied = api_as(world.chair).post(
        f"{API}/{cycle.pk}/evaluators/",
        {"evaluator": world.evaluator.pk, "province": isfahan},
        format="json",
    )
    assert denied.status_code == 403


def test_an_assignment_is_removed_until_the_evaluator_has_rated(api_as, world, cycle, assigned):
    client = api_as(world.ministry)
    [other] = assignments_add(
        actor=world.ministry, cycle=cycle, evaluator=world.evaluator, offices=[world.member_office]
    )
    assert client.delete(f"{API}/{cycle.pk}/evaluators/{other.pk}/").status_code == 204
    assert rate(api_as, world, cycle).status_code == 200
    kept = client.delete(f"{API}/{cycle.pk}/evaluators/{assigned.pk}/")
    assert kept.status_code == 400
    assert (
        api_as(world.chair).delete(f"{API}/{cycle.pk}/evaluators/{assigned.pk}/").status_code == 403
    )
    assert client.delete(f"{API}/{cycle.pk}/evaluators/999999/").status_code == 404
    assert list(Assignment.objects.all()) == [assigned]


# --- appeals --------------------------------------------------------------------------


def test_an_office_objects_and_the_ministry_answers_with_a_corrected_level(api_as, world, cycle):
    # given the ranking is published with a window for objections
    open_appeals(api_as, world, cycle)
    detail = api_as(world.chair).get(f"{API}/{cycle.pk}/").json()
    assert detail["status"] == "appeals"
    assert detail["appeals_open"] is True
    assert detail["appeals_from"] == jalali.today().isoformat()
    # when the office objects to L1
    filed = api_as(world.chair).post(
        f"{API}/{cycle.pk}/appeals/",
        {"criterion": "L1", "text": "هم‌افزایی ما در نشست‌های مشترک دیده نشده است."},
        format="json",
    )
    # then
    assert filed.status_code == 201, filed.json()
    appeal = filed.json()
    assert (appeal["office"], appeal["criterion"], appeal["status"]) == (
        world.chair_office.pk,
        "L1",
        "open",
    )
    # the office's province reads it, another province does not
    assert api_as(world.member_staff).get(f"{API}/{cycle.pk}/appeals/").json()["count"] == 1
    assert api_as(world.fars_chair).get(f"{API}/{cycle.pk}/appeals/").json()["count"] == 0
    # an office may not answer; a level outside the rubric is refused
    url = f"{API}/{cycle.pk}/appeals/{appeal['id']}/answer/"
    body = {"upheld": True, "answer": "مستندات پذیرفته شد.", "level": 5}
    assert api_as(world.chair).post(url, body, format="json").status_code == 403
    six = api_as(world.ministry).post(url, {**body, "level": 6}, format="json")
    assert six.json() == {"level": [LEVEL_RANGE]}
    # when the ministry upholds it with level 5
    answered = api_as(world.ministry).post(url, body, format="json")
    # then the score is corrected and re-ranked, before and after kept
    assert answered.status_code == 200, answered.json()
    data = answered.json()
    assert data["status"] == "upheld"
    assert data["total_after"] > data["total_before"]
    card = api_as(world.chair).get(office_url(cycle, world.chair_office) + "/").json()
    [line] = [line for line in card["lines"] if line["code"] == "L1"]
    assert (line["item"]["level"], line["item"]["adjusted"]) == (5, True)
    assert card["appeals"][0]["answer"] == "مستندات پذیرفته شد."
    again = api_as(world.ministry).post(url, body, format="json")
    assert again.status_code == 400


def test_objections_need_the_window_and_the_offices_own_staff(api_as, world, cycle):
    body = {"text": "رتبه ما با کارهای انجام‌شده نمی‌خواند."}
    # before the window
    early = api_as(world.chair).post(f"{API}/{cycle.pk}/appeals/", body, format="json")
    assert early.status_code == 400
    assert early.json() == {"non_field_errors": ["مهلت اعتراض این دوره هنوز اعلام نشده است."]}
    open_appeals(api_as, world, cycle)
    # a fellow office of the province may not object for the chair's office
    other = api_as(world.member_staff).post(
        f"{API}/{cycle.pk}/appeals/", {**body, "office": world.chair_office.pk}, format="json"
    )
    assert other.status_code == 403
    typo = api_as(world.chair).post(
        f"{API}/{cycle.pk}/appeals/", {**body, "criteria": "L1"}, format="json"
    )
    assert typo.json() == {"criteria": [UNKNOWN_FIELD]}
    whole = api_as(world.chair).post(f"{API}/{cycle.pk}/appeals/", body, format="json")
    assert whole.status_code == 201
    assert whole.json()["criterion"] is None
    bad_status = api_as(world.ministry).get(f"{API}/{cycle.pk}/appeals/", {"status": "x"})
    assert bad_status.status_code == 400
    open_list = api_as(world.ministry).get(f"{API}/{cycle.pk}/appeals/", {"status": "open"})
    assert open_list.json()["count"] == 1


def test_a_cycle_closes_once_every_objection_is_answered(api_as, world, cycle):
    open_appeals(api_as, world, cycle)
    filed = api_as(world.chair).post(
        f"{API}/{cycle.pk}/appeals/",
        {"text": "رتبه ما با کارهای انجام‌شده نمی‌خواند."},
        format="json",
    )
    client = api_as(world.ministry)
    # when closing with an objection open
    refused = client.post(f"{API}/{cycle.pk}/actions/close/")
    # then
    assert refused.status_code == 400
    assert refused.json() == {"non_field_errors": ["پیش از نهایی کردن، به همه اعتراض‌ها پاسخ دهید."]}
    client.post(
        f"{API}/{cycle.pk}/appeals/{filed.json()['id']}/answer/",
        {"upheld": False, "answer": "رتبه بر پایه داده‌ها درست است."},
        format="json",
    )
    assert Appeal.objects.get().status == "rejected"
    closed = client.post(f"{API}/{cycle.pk}/actions/close/")
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert api_as(world.chair).post(f"{API}/{cycle.pk}/actions/close/").status_code == 403


def test_the_api_needs_a_signed_in_user(cycle):
    response = APIClient().get(f"{API}/{cycle.pk}/")
    assert response.status_code in (401, 403)


def test_the_schema_documents_every_evaluation_endpoint(api_as, world):
    response = api_as(world.staff).get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    paths = [path for path in response.json()["paths"] if path.startswith("/api/v1/evaluation/")]
    assert len(paths) == 19
    scorecard = response.json()["paths"][
        "/api/v1/evaluation/cycles/{cycle_id}/offices/{office_id}/"
    ]
    assert (
        "ScorecardOutput"
        in scorecard["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    )
