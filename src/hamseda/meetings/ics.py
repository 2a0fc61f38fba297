"""Meetings as iCalendar (``.ics``): one download per meeting, the email
attachment of an invitation, and each user's subscribable calendar feed.

Every meeting is one VEVENT whose UID never changes, so a calendar app updates
the event it already has. SEQUENCE says how many times the event changed in a
way a calendar must notice (rescheduled, cancelled); it is the count of those
audit events (``SEQUENCE_EVENTS``), so it needs no field of
its own and cannot drift from the history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from hamseda.core.models import AuditEvent
from hamseda.meetings.models import Meeting, MeetingStatus

PRODID = "-//Hamseda//Council meetings//FA"
# Audit events (services.meetings) that change what a calendar shows.
SEQUENCE_EVENTS = ("meeting_rescheduled", "meeting_cancelled")

FEED_SALT = "hamseda.meetings.calendar-feed"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@hamseda"


def meeting_sequences(meetings: Iterable[Meeting]) -> dict[int, int]:
    """SEQUENCE of each meeting, in one query for all of them."""
    ids = [str(meeting.pk) for meeting in meetings]
    if not ids:
        return {}
    rows = (
        AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(Meeting),
            target_id__in=ids,
            event__in=SEQUENCE_EVENTS,
        )
        .values("target_id")
        .annotate(n=Count("id"))
    )
    return {int(row["target_id"]): row["n"] for row in rows}


def _summary(meeting: Meeting) -> str:
    return f"{meeting} — {meeting.council.name}"


def meeting_event(meeting: Meeting, *, sequence: int = 0, url: str = "") -> Event:
    """The VEVENT of one meeting (needs ``meeting.council`` loaded)."""
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", sequence)
    event.add("dtstamp", meeting.updated_at or timezone.now())
    if meeting.updated_at:
        event.add("last-modified", meeting.updated_at)
    # Aware datetimes in Asia/Tehran: icalendar writes DTSTART;TZID=Asia/Tehran
    # and calendar_for adds the VTIMEZONE.
    starts = timezone.localtime(meeting.starts_at, timezone.get_default_timezone())
    event.add("dtstart", starts)
    event.add("dtend", starts + dt.timedelta(minutes=meeting.duration_minutes))
    event.add("summary", _summary(meeting))
    event.add("location", meeting.place)
    description = [_("جلسه شماره %(number)s") % {"number": meeting.number}]
    if meeting.status == MeetingStatus.CANCELLED:
        event.add("status", "CANCELLED")
        if meeting.cancel_reason:
            description.append(_("دلیل لغو: %(reason)s") % {"reason": meeting.cancel_reason})
    else:
        event.add("status", "CONFIRMED")
    if url:
        event.add("url", url)
        description.append(url)
    event.add("description", "\n".join(description))
    return event


def calendar_for(
    meetings: Iterable[Meeting],
    *,
    sequences: Mapping[int, int] | None = None,
    name: str = "",
    url_of: Mapping[int, str] | None = None,
) -> bytes:
    """An ``.ics`` calendar of ``meetings`` (with their councils loaded);
    ``sequences`` from ``meeting_sequences``, computed here when not given."""
    meetings = list(meetings)
    if sequences is None:
        sequences = meeting_sequences(meetings)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(
            meeting_event(
                meeting,
                sequence=sequences.get(meeting.pk, 0),
                url=(url_of or {}).get(meeting.pk, ""),
            )
        )
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


# --- the per-user feed -------------------------------------------------------------------
# Calendar apps fetch the feed without a session, so the URL carries a signed
# token of the user's pk. It does not expire; deactivating the person ends it.


def feed_token(user_pk: int) -> str:
    return signing.dumps(user_pk, salt=FEED_SALT)


def feed_user_pk(token: str) -> int | None:
    """The pk a feed token was made for, or None if it was not made here."""
    try:
        value = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
