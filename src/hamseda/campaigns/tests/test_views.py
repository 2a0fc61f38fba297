"""The campaign pages: the list for every persona, the workspace and its links,
the panels managed in place with htmx (and without JavaScript), the forms,
files through the policy, and who sees which controls."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hamseda.activities.models import ActivityKind
from hamseda.campaigns import services
from hamseda.campaigns.models import Campaign, CampaignFile, KeyMessage, Season, Target
from hamseda.campaigns.tests.factories import day, exe, make_activity, make_campaign, pdf
from hamseda.core import jalali

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
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
def campaign(world) -> Campaign:
    campaign = make_campaign(world, hashtags=["#نهضت_ملی_مسکن", "#مسکن_اصفهان"])
    services.message_add(
        actor=world.chair, campaign=campaign, text="خانه‌دار شدن خانواده‌ها اولویت است"
    )
    services.target_add(
        actor=world.chair,
        campaign=campaign,
        label="انتشار خبر",
        metric="kind",
        activity_kind=ActivityKind.NEWS_RELEASE,
        target_value=4,
        baseline_value=2,
    )
    services.target_add(
        actor=world.chair, campaign=campaign, label="پیامک", metric="manual", target_value=1000
    )
    return campaign


def _url(name: str, *args) -> str:
    return reverse(f"campaigns:{name}", args=args)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_list_and_the_workspace_render_for_every_persona(client, world, campaign, persona):
    client.force_login(getattr(world, persona))
    response = client.get(_url("campaign_list"), {"province": ""})
    assert response.status_code == 200
    assert campaign.title in response.content.decode()
    response = client.get(_url("campaign_detail", campaign.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert "خانه‌دار شدن خانواده‌ها اولویت است" in html
    assert 'data-copy="#نهضت_ملی_مسکن"' in html
    assert jalali.format_date(campaign.start_date, "long") in html


def test_the_workspace_shows_progress_baseline_usage_and_links(client, world, campaign):
    message = campaign.messages.get()
    for _ in range(3):
        make_activity(
            office=world.member_office,
            campaigns=[campaign],
            on=day(-2),
            messages=[message],
            title="خبر پیشرفت طرح بهارستان",
        )
    client.force_login(world.staff)
    html = client.get(_url("campaign_detail", campaign.pk)).content.decode()
    # 3 of 4 news releases, 75%, one more than last year's 2
    assert "<strong>۳</strong> / ۴" in html
    assert "۷۵٪ هدف" in html
    assert "سال قبل: ۲" in html
    assert "۱ بیشتر" in html
    assert 'style="width: 75%"' in html
    assert "۳ بار به کار رفته" in html
    assert "خبر پیشرفت طرح بهارستان" in html
    pk = campaign.pk
    assert f"{reverse('activities:activity_create')}?campaign={pk}" in html
    assert f"{reverse('activities:activity_list')}?campaign={pk}" in html
    assert f"{reverse('activities:calendar_month')}?campaign={pk}" in html
    assert f"{reverse('activities:feeds')}?campaign={pk}" in html
    # the contribution table names the railway with its three activities
    assert world.member_office.name in html
    # the history of the campaign is there
    assert "سابقه تغییرات" in html


def test_another_provinces_people_see_the_campaign_but_not_isfahans_activities(
    client, world, campaign
):
    make_activity(
        office=world.member_office, campaigns=[campaign], on=day(-1), title="بازدید محرمانه"
    )
    client.force_login(world.fars_chair)
    html = client.get(_url("campaign_detail", campaign.pk)).content.decode()
    assert campaign.title in html
    # the activity itself is an internal record of Isfahan; the figures are public
    assert "بازدید محرمانه" not in html
    assert _url("message_add", campaign.pk) not in html
    assert client.post(_url("message_add", campaign.pk), {"text": "x"}).status_code == 403


def test_an_unknown_campaign_is_404(client, world):
    client.force_login(world.chair)
    assert client.get(_url("campaign_detail", 999999)).status_code == 404
    assert client.post(_url("message_add", 999999), {"text": "x"}).status_code == 404


def test_managers_see_the_controls_and_participants_do_not(client, world, campaign):
    client.force_login(world.partner)  # staff of a co-owner
    html = client.get(_url("campaign_detail", campaign.pk)).content.decode()
    assert _url("campaign_edit", campaign.pk) in html
    assert _url("message_add", campaign.pk) in html
    assert _url("target_add", campaign.pk) in html
    assert _url("file_add", campaign.pk) in html
    client.force_login(world.member_staff)  # a participant only
    html = client.get(_url("campaign_detail", campaign.pk)).content.decode()
    assert _url("campaign_edit", campaign.pk) not in html
    assert _url("message_add", campaign.pk) not in html
    assert client.get(_url("campaign_edit", campaign.pk)).status_code == 403


def test_htmx_adds_a_message_and_answers_with_the_panel(client, world, campaign):
    client.force_login(world.chair)
    response = client.post(
        _url("message_add", campaign.pk), {"text": "با قطار سفر کنید"}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="key-messages"' in html
    assert "با قطار سفر کنید" in html
    assert "پیام کلیدی افزوده شد." in html
    # an empty message comes back in the panel with its error
    response = client.post(_url("message_add", campaign.pk), {"text": " "}, headers=HTMX)
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()


def test_without_javascript_a_change_redirects_back_to_its_panel(client, world, campaign):
    client.force_login(world.chair)
    response = client.post(_url("message_add", campaign.pk), {"text": "پیام تازه"})
    assert response.status_code == 302
    assert response["Location"] == campaign.get_absolute_url() + "#key-messages"
    # errors: the form on a page of its own, 400
    response = client.post(_url("message_add", campaign.pk), {"text": ""})
    assert response.status_code == 400
    assert "<html" in response.content.decode()


def test_messages_are_edited_moved_and_removed_in_place(client, world, campaign):
    first = campaign.messages.get()
    second = services.message_add(actor=world.chair, campaign=campaign, text="پیام دوم")
    client.force_login(world.secretary)
    response = client.get(_url("message_edit", campaign.pk, first.pk), headers=HTMX)
    assert 'hx-post="' + _url("message_edit", campaign.pk, first.pk) in response.content.decode()
    client.post(
        _url("message_edit", campaign.pk, first.pk), {"text": "پیام یکم، بازنویسی"}, headers=HTMX
    )
    client.post(_url("message_move", campaign.pk, second.pk), {"direction": "up"}, headers=HTMX)
    assert list(campaign.messages.order_by("position").values_list("text", flat=True)) == [
        "پیام دوم",
        "پیام یکم، بازنویسی",
    ]
    # a used message is kept, and the panel says why
    make_activity(office=world.member_office, campaigns=[campaign], messages=[second])
    response = client.post(_url("message_remove", campaign.pk, second.pk), headers=HTMX)
    assert "حذف نمی‌شود" in response.content.decode()
    client.post(_url("message_remove", campaign.pk, first.pk), headers=HTMX)
    assert list(KeyMessage.objects.filter(campaign=campaign)) == [second]


def test_targets_are_added_recorded_and_edited_in_place(client, world, campaign):
    client.force_login(world.chair)
    response = client.post(
        _url("target_add", campaign.pk),
        {"label": "مصاحبه", "metric": "kind", "activity_kind": "", "target_value": "5"},
        headers=HTMX,
    )
    # the service's rule comes back beside the field
    assert "نوع فعالیت را انتخاب کنید" in response.content.decode()
    client.post(
        _url("target_add", campaign.pk),
        {"label": "مصاحبه", "metric": "kind", "activity_kind": "interview", "target_value": "5"},
        headers=HTMX,
    )
    assert campaign.targets.count() == 3
    manual = campaign.targets.get(metric="manual")
    response = client.post(
        _url("target_record", campaign.pk, manual.pk), {"value": "-4"}, headers=HTMX
    )
    assert 'id="record' in response.content.decode()
    assert "invalid-feedback" in response.content.decode()
    response = client.post(
        _url("target_record", campaign.pk, manual.pk), {"value": "640"}, headers=HTMX
    )
    assert "<strong>۶۴۰</strong> / ۱٬۰۰۰" in response.content.decode()
    news = campaign.targets.get(label="انتشار خبر")
    response = client.get(_url("target_edit", campaign.pk, news.pk), headers=HTMX)
    assert 'value="انتشار خبر"' in response.content.decode()
    client.post(
        _url("target_edit", campaign.pk, news.pk),
        {
            "label": "انتشار خبر و اطلاعیه",
            "metric": "kind",
            "activity_kind": "news_release",
            "target_value": "6",
        },
        headers=HTMX,
    )
    assert Target.objects.get(pk=news.pk).target_value == 6
    client.post(_url("target_remove", campaign.pk, news.pk), headers=HTMX)
    assert not Target.objects.filter(pk=news.pk).exists()


def test_offices_are_added_and_removed_in_place(client, world, campaign):
    client.force_login(world.chair)
    response = client.post(
        _url("participant_add", campaign.pk), {"office": world.ministry_office.pk}, headers=HTMX
    )
    assert world.ministry_office.name in response.content.decode()
    assert world.ministry_office in campaign.participants.all()
    # a co-owner cannot be removed: the panel says so
    response = client.post(
        _url("participant_remove", campaign.pk, world.partner_office.pk), headers=HTMX
    )
    assert "گردانندگان" in response.content.decode()
    client.post(_url("participant_remove", campaign.pk, world.member_office.pk), headers=HTMX)
    assert world.member_office not in campaign.participants.all()


def test_files_are_uploaded_and_downloaded_through_the_policy(client, world, campaign):
    client.force_login(world.partner)
    response = client.post(
        _url("file_add", campaign.pk), {"title": "شیوه‌نامه", "file": exe("brief.pdf")}, headers=HTMX
    )
    assert "اجرایی" in response.content.decode()
    response = client.post(
        _url("file_add", campaign.pk), {"title": "شیوه‌نامه", "file": pdf("brief.pdf")}, headers=HTMX
    )
    assert "شیوه‌نامه" in response.content.decode()
    document = CampaignFile.objects.get()
    client.force_login(world.fars_chair)  # campaigns are public programmes
    response = client.get(_url("file", document.pk))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client.get(_url("file", 999999)).status_code == 404
    assert client.post(_url("file_remove", campaign.pk, document.pk)).status_code == 403


def test_the_create_form_makes_a_campaign_of_the_viewers_province(client, world):
    client.force_login(world.chair)
    page = client.get(_url("campaign_create"))
    assert page.status_code == 200
    html = page.content.decode()
    assert world.chair_office.name in html
    assert world.fars_office.name not in html
    response = client.post(
        _url("campaign_create"),
        {
            "title": "پویش ساختمان ایمن",
            "kind": "culture",
            "start_date": jalali.format_date(day(1), "input"),
            "end_date": jalali.format_date(day(60), "input"),
            "co_owners": [world.chair_office.pk],
            "participants": [world.member_office.pk],
            "hashtags": "#ساختمان_ایمن #نظام_مهندسی\nشناسنامه فنی",
            "audiences": "مالکان\nسازندگان",
        },
    )
    campaign = Campaign.objects.get(title="پویش ساختمان ایمن")
    assert response.status_code == 302
    assert response["Location"] == campaign.get_absolute_url()
    assert campaign.province == world.isfahan_council.province
    assert campaign.hashtags == ["#ساختمان_ایمن", "#نظام_مهندسی", "#شناسنامه_فنی"]
    assert campaign.audiences == ["مالکان", "سازندگان"]


def test_the_create_form_keeps_input_and_shows_errors(client, world):
    client.force_login(world.member_staff)
    response = client.post(
        _url("campaign_create"),
        {
            "title": "پویش راه‌آهن",
            "kind": "other",
            "start_date": "1405/02/31",
            "end_date": "1405/02/01",
            "co_owners": [world.chair_office.pk],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "پویش راه‌آهن" in html
    assert "روابط عمومی خود" in html
    assert "پیش از آغاز" in html


def test_the_ministry_picks_a_province_and_the_office_lists_follow(client, world):
    client.force_login(world.ministry)
    isfahan = world.isfahan_council.province.pk
    response = client.get(_url("campaign_create"), {"province": isfahan}, headers=HTMX)
    html = response.content.decode()
    assert 'id="campaign-offices"' in html
    assert world.chair_office.name in html
    assert world.fars_office.name not in html
    # the ministry centre is national: offered everywhere
    assert world.ministry_office.name in html


def test_the_evaluator_may_not_create(client, world):
    client.force_login(world.evaluator)
    assert client.get(_url("campaign_create")).status_code == 403
    assert client.get(_url("season_start")).status_code == 403
    html = client.get(_url("campaign_list")).content.decode()
    assert _url("campaign_create") not in html


def test_the_season_form_starts_a_programme(client, world):
    client.force_login(world.chair)
    page = client.get(_url("season_start"))
    assert page.status_code == 200
    response = client.post(
        _url("season_start"),
        {"season": Season.SUMMER, "year": "1405", "co_owners": [world.chair_office.pk]},
    )
    campaign = Campaign.objects.get(season=Season.SUMMER, season_year=1405)
    assert response["Location"] == campaign.get_absolute_url()
    # the same again is refused beside the year
    response = client.post(
        _url("season_start"),
        {"season": Season.SUMMER, "year": "1405", "co_owners": [world.chair_office.pk]},
    )
    assert response.status_code == 400
    assert "پیش‌تر آغاز شده" in response.content.decode()


def test_the_edit_form_saves_through_the_service(client, world, campaign):
    client.force_login(world.chair)
    page = client.get(_url("campaign_edit", campaign.pk))
    assert "#نهضت_ملی_مسکن" in page.content.decode()
    response = client.post(
        _url("campaign_edit", campaign.pk),
        {
            "title": "قرارگاه رسانه‌ای نهضت ملی مسکن استان اصفهان",
            "kind": "media_hq",
            "start_date": jalali.format_date(campaign.start_date, "input"),
            "end_date": jalali.format_date(day(100), "input"),
            "co_owners": [world.chair_office.pk, world.partner_office.pk],
            "hashtags": "#نهضت_ملی_مسکن",
            "audiences": "",
        },
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.end_date == day(100)
    assert campaign.hashtags == ["#نهضت_ملی_مسکن"]


def test_list_filters_answer_htmx_with_the_results(client, world, campaign):
    make_campaign(
        world,
        actor=world.fars_chair,
        title="قرارگاه فارس",
        province=world.fars_council.province,
        co_owners=[world.fars_office],
        participants=[],
    )
    client.force_login(world.chair)
    # by default: the viewer's province (and national programmes)
    html = client.get(_url("campaign_list")).content.decode()
    assert campaign.title in html
    assert "قرارگاه فارس" not in html
    response = client.get(_url("campaign_list"), {"province": "", "q": "فارس"}, headers=HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="campaign-results"' in html
    assert "قرارگاه فارس" in html
    assert campaign.title not in html


def test_the_workspace_costs_the_same_queries_however_much_it_shows(client, world, campaign):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # given one joint activity and a target of each metric (every query runs)
    make_activity(
        office=world.chair_office, campaigns=[campaign], on=day(-1), partners=[world.member_office]
    )
    for metric in ("activities", "joint", "offices"):
        services.target_add(
            actor=world.chair, campaign=campaign, label=metric, metric=metric, target_value=2
        )
    client.force_login(world.chair)
    url = _url("campaign_detail", campaign.pk)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    # given many more activities, messages, targets and offices
    message = campaign.messages.get()
    for n in range(6):
        make_activity(
            office=world.member_office,
            campaigns=[campaign],
            on=day(-n),
            partners=[world.partner_office],
            messages=[message],
        )
        services.message_add(actor=world.chair, campaign=campaign, text=f"پیام {n}")
        services.target_add(
            actor=world.chair, campaign=campaign, label=f"هدف {n}", metric="joint", target_value=3
        )
    services.participant_add(actor=world.chair, campaign=campaign, office=world.ministry_office)
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    # The history (core/partials/_audit.html) reads each event's content type on
    # its own, one row per event: counted apart, it is not this page's doing.
    def ours(queries):
        return [q["sql"] for q in queries if "django_content_type" not in q["sql"]]

    assert len(ours(many)) == len(ours(few)), "\n".join(s[:150] for s in ours(many))
