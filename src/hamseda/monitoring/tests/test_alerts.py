"""Alerts: a negative story and a spike of coverage warn the agency's PR office,
in the app and by email, once, however often ingestion runs; who sees which
alerts; the home-page panel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from hamseda.core import jalali
from hamseda.core.models import Notification
from hamseda.directory.tests.factories import AgencyFactory, PersonFactory
from hamseda.monitoring.alerts import SPIKE_BASELINE_DAYS, alerts_for_stories
from hamseda.monitoring.feeds import ParsedItem, canonical_url, content_hash
from hamseda.monitoring.models import Alert, AlertKind, Mention, Story
from hamseda.monitoring.services.ingest import ingest_items
from hamseda.monitoring.tests.test_dashboards import at, outlet, publish, story

pytestmark = pytest.mark.django_db

COMPLAINT = (
    "مسافران قطار اصفهان به تهران از تأخیر پنج ساعته و لغو حرکت قطار گلایه کردند. "
    "به گفته مسافران راه‌آهن منطقه اصفهان هیچ اطلاع‌رسانی نکرد و مسئولان پاسخگو نبودند. "
    "این نخستین بار نیست که قطارهای این مسیر با تأخیر طولانی و نارضایتی مسافران روبه‌رو می‌شوند."
)
OPENING = (
    "مدیرکل راه‌آهن منطقه اصفهان از بهره‌برداری از ایستگاه جدید مسافری شهرک صنعتی خبر داد "
    "و گفت این ایستگاه با سرمایه‌گذاری دویست میلیارد ریال ساخته شده است و قطارهای حومه‌ای "
    "از هفته آینده در آن توقف می‌کنند."
)


def item(title: str, text: str, url: str) -> ParsedItem:
    return ParsedItem(
        url=url,
        canonical_url=canonical_url(url),
        title=title,
        summary_html=f"<p>{text}</p>",
        text=text,
        published=timezone.now() - dt.timedelta(hours=1),
        guid=url,
        content_hash=content_hash(title, text),
    )


def ingest(source, title, text, url, capture):
    """Ingest one item the way a poll does: alerts are raised once it commits."""
    with capture(execute=True):
        [result] = ingest_items(source=source, items=[item(title, text, url)])
    return result


@pytest.fixture
def people(world):
    """The railway office has two active people with email and one who left."""
    for person in (world.staff, world.member_staff, world.chair):
        person.email = f"{person.username}@example.ir"
        person.save()
    PersonFactory(username="rail2", office=world.member_office, email="rail2@example.ir")
    PersonFactory(
        username="gone", office=world.member_office, email="gone@example.ir", is_active=False
    )
    return world


def test_a_negative_story_alerts_the_agencys_office_once(
    people, django_capture_on_commit_callbacks
):
    # given two outlets
    irna, mehr = outlet("ایرنا"), outlet("مهر")
    rail = people.member_office.agency

    # when one publishes passengers' complaints about the railway
    first = ingest(
        irna,
        "گلایه مسافران از تأخیر قطار",
        COMPLAINT,
        "https://irna.ir/1",
        django_capture_on_commit_callbacks,
    )

    # then the railway's PR office is warned about the story, in the app and by email
    assert first.tones == {rail.pk: "negative"}
    alert = Alert.objects.get()
    assert (alert.kind, alert.agency_id, alert.office_id, alert.story_id) == (
        AlertKind.NEGATIVE_STORY,
        rail.pk,
        people.member_office.pk,
        first.story_id,
    )
    assert alert.dedupe_key == f"neg:{first.story_id}:{rail.pk}"
    notices = Notification.objects.filter(dedupe_key=alert.dedupe_key)
    assert sorted(n.recipient.username for n in notices) == ["rail", "rail2"]
    assert {n.url for n in notices} == {reverse("monitoring:story_detail", args=[first.story_id])}
    assert sorted(m.to[0] for m in mail.outbox) == ["rail2@example.ir", "rail@example.ir"]
    assert all(rail.name in m.subject for m in mail.outbox)
    assert "گلایه مسافران از تأخیر قطار" in mail.outbox[0].body

    # when another outlet runs the same complaint, and ingestion runs again
    second = ingest(
        mehr,
        "گلایه مسافران از تأخیر قطار اصفهان",
        "خبرگزاری مهر: " + COMPLAINT,
        "https://mehr.ir/2",
        django_capture_on_commit_callbacks,
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = alerts_for_stories([first.story_id])

    # then it is the same story and nobody is told twice
    assert second.story_id == first.story_id
    assert second.tones == {rail.pk: "negative"}
    assert again == 0
    assert Alert.objects.count() == 1
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2


def test_good_news_raises_no_alert(people, django_capture_on_commit_callbacks):
    result = ingest(
        outlet("ایرنا"),
        "افتتاح ایستگاه تازه",
        OPENING,
        "https://irna.ir/3",
        django_capture_on_commit_callbacks,
    )
    assert result.tones[people.member_office.agency_id] != "negative"
    assert Alert.objects.count() == 0
    assert mail.outbox == []


def test_an_agency_without_a_pr_office_is_not_alerted(world, django_capture_on_commit_callbacks):
    orphan = AgencyFactory(name="شرکت بی‌روابط‌عمومی")
    bad = story("ماجرای ناخوشایند", at(0, 1))
    publish(outlet("ایرنا"), at(0, 1), {orphan: "negative"}, in_story=bad)
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts_for_stories([bad.pk]) == 0
    assert Alert.objects.count() == 0


def _daily(source, agency, days_back: int, per_day: int) -> None:
    for days in range(1, days_back + 1):
        for n in range(per_day):
            publish(source, at(-days, 8 + n), {agency: "neutral"})


def test_a_spike_of_coverage_alerts_once_a_day(people, django_capture_on_commit_callbacks):
    # given the railway named once a day for four weeks, the roads office twice a
    # day, and Fars' roads office never
    irna = outlet("ایرنا")
    rail, roads, fars = (
        people.member_office.agency,
        people.chair_office.agency,
        people.fars_office.agency,
    )
    _daily(irna, rail, SPIKE_BASELINE_DAYS, 1)
    _daily(irna, roads, SPIKE_BASELINE_DAYS, 2)

    # when today five articles name the railway and the roads office, and four Fars'
    today = story("سفرهای نوروزی", at(0, 0, 30))
    for n in range(5):
        publish(irna, at(0, 0, 30 + n), {rail: "neutral", roads: "neutral"}, in_story=today)
    for n in range(4):
        publish(irna, at(0, 0, 40 + n), {fars: "neutral"}, in_story=today)
    with django_capture_on_commit_callbacks(execute=True):
        created = alerts_for_stories([today.pk])

    # then the railway (5 ≥ 3 × 1) is warned; the roads office (5 < 3 × 2) and
    # Fars (4 < 5) are not
    assert created == 1
    alert = Alert.objects.get()
    assert (alert.kind, alert.agency_id, alert.day) == (AlertKind.SPIKE, rail.pk, jalali.today())
    assert alert.dedupe_key == f"spike:{rail.pk}:{jalali.today().isoformat()}"
    assert "۵" in alert.detail
    assert sorted(m.to[0] for m in mail.outbox) == ["rail2@example.ir", "rail@example.ir"]

    # when more articles come today and ingestion runs again: nothing new
    publish(irna, at(0, 0, 50), {rail: "neutral"}, in_story=today)
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts_for_stories([today.pk]) == 0
    assert len(mail.outbox) == 2
    # and the next day is another day
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts_for_stories([today.pk], today=jalali.today() + dt.timedelta(days=1)) == 0


def test_alerts_take_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    irna = outlet("ایرنا")
    agencies = [world.chair_office.agency, world.member_office.agency, world.fars_office.agency]
    stories = [story(f"رویداد {n}", at(-1)) for n in range(30)]
    for n, each in enumerate(stories):
        publish(irna, at(-1, n % 20), {a: "negative" for a in agencies}, in_story=each)
    # the first run raises 90 alerts: two queries for each one's notices
    # (ten: nine and the savepoint pair of the transaction, less without a spike to check)
    with django_assert_max_num_queries(10 + 2 * 90):
        assert alerts_for_stories([s.pk for s in stories]) == 90
    # a second run finds them all stored, whatever their number
    with django_assert_max_num_queries(8):
        assert alerts_for_stories([s.pk for s in stories]) == 0
    with django_assert_max_num_queries(8):
        assert alerts_for_stories([stories[0].pk]) == 0
    assert Mention.objects.count() == 90


# --- who sees which alerts ---------------------------------------------------------------


@pytest.fixture
def alerts(world):
    bad = Story.objects.create(title="خبر بد", first_published_at=at(-1), last_published_at=at(-1))

    def alert(office, key):
        return Alert.objects.create(
            kind=AlertKind.NEGATIVE_STORY,
            agency=office.agency,
            office=office,
            story=bad,
            detail=f"شرح {key}",
            dedupe_key=key,
        )

    return {
        "roads": alert(world.chair_office, "a"),
        "rail": alert(world.member_office, "b"),
        "fars": alert(world.fars_office, "c"),
    }


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("staff", {"roads"}),
        ("member_staff", {"rail"}),
        ("partner", set()),
        ("chair", {"roads", "rail"}),
        ("secretary", {"roads", "rail"}),
        ("fars_chair", {"fars"}),
        ("evaluator", {"fars"}),  # their own office's
        ("ministry", {"roads", "rail", "fars"}),
        ("admin", {"roads", "rail", "fars"}),
    ],
)
def test_each_viewer_sees_the_alerts_of_their_office_or_province(
    world, alerts, login, persona, visible
):
    client = login(getattr(world, persona))
    page = client.get(reverse("monitoring:alert_list")).content.decode()
    shown = {name for name, alert in alerts.items() if f"شرح {alert.dedupe_key}" in page}
    assert shown == visible
    api = client.get(reverse("api-monitoring-alerts")).json()
    assert {row["id"] for row in api["results"]} == {alerts[name].pk for name in visible}


def test_alert_list_newest_first_filtered_by_kind(world, alerts, login):
    Alert.objects.create(
        kind=AlertKind.SPIKE,
        agency=world.chair_office.agency,
        office=world.chair_office,
        day=jalali.today(),
        detail="شرح جهش",
        dedupe_key="d",
    )
    client = login(world.chair)
    page = client.get(reverse("monitoring:alert_list")).content.decode()
    assert page.index("شرح جهش") < page.index("شرح b") < page.index("شرح a")
    assert reverse("monitoring:office_dashboard", args=[world.chair_office.pk]) in page
    assert reverse("monitoring:story_detail", args=[alerts["roads"].story_id]) in page
    page = client.get(reverse("monitoring:alert_list"), {"kind": "spike"}).content.decode()
    assert "شرح جهش" in page
    assert "شرح a" not in page
    assert client.get(reverse("api-monitoring-alerts"), {"kind": "x"}).status_code == 400


# --- the home page ---------------------------------------------------------------------------


def test_home_panel_shows_the_offices_week_and_its_latest_alerts(world, alerts, login):
    irna = outlet("ایرنا", 2.0)
    roads = world.chair_office.agency
    publish(irna, at(-1), {roads: "negative"})
    publish(irna, at(-6), {roads: "positive"})
    publish(irna, at(-7), {roads: "positive"})  # eight days ago counting today: not shown
    page = login(world.staff).get(reverse("home")).content.decode()
    assert "بازتاب خبری دستگاه شما در ۷ روز گذشته" in page
    assert '<a href="/monitoring/?' in page
    assert '<dd class="fs-5 mb-0">۴٫۰</dd>' in page  # two articles of weight 2
    assert "شرح a" in page
    assert "شرح b" not in page
    assert reverse("monitoring:office_dashboard", args=[world.chair_office.pk]) in page
