"""Time the hot pages on generated national data (not a test).

    HAMSEDA_SECRET_KEY=x HAMSEDA_DATA_DIR=$(mktemp -d) python scripts/bench_pages.py [N] [YEARS]
    (add HAMSEDA_DATABASE_URL=postgres://... to measure PostgreSQL; the database
    is migrated and filled with `hamseda generate --provinces 31 --years YEARS`
    (default 5) if it is empty)

Prints the median and 95th percentile of each page over N requests, served
in-process through Django's full middleware stack (no network, one thread).
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamseda.settings")
os.environ.setdefault("HAMSEDA_ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from hamseda.activities.models import Activity  # noqa: E402
from hamseda.campaigns.models import Campaign  # noqa: E402
from hamseda.directory.models import Council, Person  # noqa: E402
from hamseda.followups.models import FollowUp  # noqa: E402
from hamseda.meetings.models import Meeting  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200
YEARS = int(sys.argv[2]) if len(sys.argv) > 2 else 5


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not Council.objects.exists():
        call_command("generate", provinces=31, years=YEARS, verbosity=0)
    chair = Person.objects.filter(role="council_chair").first()
    assert chair is not None
    ministry = Person.objects.filter(role="ministry_centre").first() or Person.objects.get(
        username="admin"
    )
    council = Council.objects.get(province_id=chair.province_id)
    latest = Meeting.objects.filter(council=council).order_by("-starts_at").first()
    held = Meeting.objects.filter(council=council, status="approved").order_by("-starts_at")[0]
    campaign = Campaign.objects.filter(province_id=chair.province_id).order_by("-start_date")[0]
    print(
        f"{Meeting.objects.count()} meetings, {FollowUp.objects.count()} follow-ups, "
        f"{Activity.objects.count()} activities, {Campaign.objects.count()} campaigns"
    )
    pages = [
        ("agencies, search «راه آهن»", chair, "/directory/agencies/?q=راه+آهن"),
        ("agencies, all (htmx partial)", chair, "/directory/agencies/"),
        ("council page", chair, f"/directory/councils/{Council.objects.first().pk}/"),
        ("people, scoped to province", chair, "/directory/people/"),
        ("API agencies, search", chair, "/api/v1/agencies/?q=فرودگاه"),
        ("meetings list", chair, "/meetings/"),
        ("meeting page (agenda, reports)", chair, f"/meetings/{latest.pk}/"),
        ("minutes page", chair, f"/meetings/{held.pk}/minutes/"),
        ("follow-ups list", chair, "/followups/"),
        ("follow-ups list, overdue", chair, "/followups/?state=overdue"),
        ("follow-ups board", chair, "/followups/board/"),
        ("ministry inbox (all provinces)", ministry, "/followups/ministry/"),
        ("search «سفرهای تابستانی»", chair, "/meetings/search/?q=سفرهای+تابستانی"),
        ("API follow-ups", chair, "/api/v1/followups/"),
        ("activities list", chair, "/activities/"),
        ("activities, search «نهضت ملی مسکن»", chair, "/activities/?q=نهضت+ملی+مسکن"),
        ("calendar, month", chair, "/activities/calendar/"),
        ("calendar, week", chair, "/activities/calendar/week/"),
        ("new activity form", chair, "/activities/new/"),
        ("overlap report (chair)", chair, "/activities/overlaps/"),
        ("campaigns list", chair, "/campaigns/"),
        ("campaign workspace", chair, f"/campaigns/{campaign.pk}/"),
        ("API activities", chair, "/api/v1/activities/"),
    ]
    print(f"{Person.objects.count()} people, {Council.objects.count()} councils; {N} requests each")
    for label, user, url in pages:
        client = Client()
        client.force_login(user)
        headers = {"HX-Request": "true"} if "htmx" in label else {}
        assert client.get(url, headers=headers).status_code == 200, url
        times = []
        for _ in range(N):
            started = time.perf_counter()
            client.get(url, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"  {label:<32} median {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms")


if __name__ == "__main__":
    main()
