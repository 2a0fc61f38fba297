"""Activities as iCalendar (``.ics``): the subscribable feed of an office or of a
campaign, for Google Calendar, Outlook or a phone's calendar.

Each activity is an all-day VEVENT whose UID never changes, so a calendar app
updates the event it already has when the activity is moved or cancelled.

Calendar apps fetch a feed without a session, so its URL carries a signed
token of (kind, pk, person pk): the feed lists what *that person* may see
(``activity_list(viewer=person)``) and ends when the person is deactivated.
The token does not expire, like the meeting feed's (``meetings.ics``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from hamseda.activities.models import Activity, ActivityStatus

PRODID = "-//Hamseda//Shared PR calendar//FA"
# Different from the meeting feed's salt: a meeting token is not an activity token.
FEED_SALT = "hamseda.activities.calendar-feed"

FeedKind = Literal["office", "campaign"]
FEED_KINDS: tuple[FeedKind, ...] = ("office", "campaign")

# RFC 5545 STATUS of a VEVENT: a planned activity may still move or be dropped.
_STATUS = {
    ActivityStatus.PLANNED: "TENTATIVE",
    ActivityStatus.DONE: "CONFIRMED",
    ActivityStatus.CANCELLED: "CANCELLED",
}


def activity_uid(activity: Activity) -> str:
    return f"activity-{activity.pk}@hamseda"


def _description(activity: Activity, url: str) -> str:
    lines = [
        _("نوع: %(kind)s") % {"kind": activity.get_kind_display()},
        _("دستگاه مجری: %(office)s") % {"office": activity.lead_office.name},
    ]
    partners = [office.name for office in activity.partners.all()]
    if partners:
        lines.append(_("دستگاه‌های همکار: %(offices)s") % {"offices": "، ".join(partners)})
    lines.append(_("وضعیت: %(status)s") % {"status": activity.get_status_display()})
    if url:
        lines.append(url)
    return "\n".join(lines)


def activity_event(activity: Activity, *, url: str = "") -> Event:
    """The all-day VEVENT of one activity (needs its lead office and partners
    loaded, as ``activity_list`` does)."""
    event = Event()
    event.add("uid", activity_uid(activity))
    event.add("dtstamp", activity.updated_at or timezone.now())
    if activity.updated_at:
        event.add("last-modified", activity.updated_at)
    # Plain dates make an all-day event (DTSTART;VALUE=DATE); DTEND is the day
    # after the last one, as RFC 5545 counts it exclusive.
    event.add("dtstart", activity.start_date)
    event.add("dtend", activity.end_date + dt.timedelta(days=1))
    event.add("summary", activity.title)
    event.add("description", _description(activity, url))
    event.add("categories", [activity.get_kind_display()])
    event.add("status", _STATUS.get(ActivityStatus(activity.status), "TENTATIVE"))
    # An activity does not make its office busy for a whole day.
    event.add("transp", "TRANSPARENT")
    if url:
        event.add("url", url)
    return event


def calendar_for(
    activities: Iterable[Activity], *, name: str = "", url_of: Mapping[int, str] | None = None
) -> bytes:
    """An ``.ics`` calendar of ``activities``; ``url_of`` maps a pk to the
    absolute URL of its page."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Tehran")
    urls = url_of or {}
    for activity in activities:
        calendar.add_component(activity_event(activity, url=urls.get(activity.pk, "")))
    return bytes(calendar.to_ical())


# --- tokens ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedTarget:
    """What a feed token was made for: the office or campaign, and whose eyes."""

    kind: FeedKind
    pk: int
    person_pk: int


def feed_token(kind: FeedKind, pk: int, person_pk: int) -> str:
    """The token of the feed of office/campaign ``pk`` as ``person_pk`` sees it."""
    if kind not in FEED_KINDS:
        raise ValueError(f"unknown feed kind {kind!r}")
    return signing.dumps([kind, pk, person_pk], salt=FEED_SALT)


def feed_target(token: str) -> FeedTarget | None:
    """What ``token`` was made for, or None if it was not made here (altered,
    truncated, or signed with another salt or key)."""
    try:
        value = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 3):
        return None
    kind, pk, person_pk = value
    if kind not in FEED_KINDS or not isinstance(pk, int) or not isinstance(person_pk, int):
        return None
    return FeedTarget(kind=kind, pk=pk, person_pk=person_pk)
