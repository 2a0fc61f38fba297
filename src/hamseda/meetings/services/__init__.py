"""Writes of the meetings app, one module per sub-domain:

- ``schedules``: recurring schedules in Jalali terms and the meetings they plan;
- ``meetings``: meetings and invitations;
- ``agenda``: agenda items;
- ``reports``: member reports and attendance;
- ``minutes``: the minutes text, resolutions, approval, acknowledgements;
- ``common``: what they share.

Callers import the package (``from hamseda.meetings import services``) and
use the names below; the HTML views and the API call the same functions.
"""

from hamseda.meetings.services.agenda import (
    agenda_item_add,
    agenda_item_move,
    agenda_item_remove,
    agenda_item_update,
)
from hamseda.meetings.services.common import (
    AGENDA_FIELDS,
    AUTOMATIC_AGENDA,
    MAX_DURATION,
    MEETING_FIELDS,
    MIN_DURATION,
    PLAN_AHEAD_DAYS,
    REPORTING_ROLES,
    SCHEDULE_FIELDS,
    check_duration,
    check_editable,
    check_not_past,
    clean_text,
    reporting_offices,
)
from hamseda.meetings.services.meetings import (
    meeting_cancel,
    meeting_create,
    meeting_insert,
    meeting_invite,
    meeting_mark_held,
    meeting_office_emails_send,
    meeting_update,
)
from hamseda.meetings.services.minutes import (
    ATTENDED,
    RAISED_KINDS,
    RESOLUTION_FIELDS,
    MinutesConflict,
    attendee_people,
    may_acknowledge,
    meeting_day,
    minutes_acknowledge,
    minutes_approve,
    minutes_is_locked,
    minutes_save,
    resolution_add,
    resolution_remove,
    resolution_update,
)
from hamseda.meetings.services.reports import (
    attendance_record,
    report_is_open,
    report_save,
)
from hamseda.meetings.services.schedules import (
    jalali_month_weekday,
    schedule_create,
    schedule_dates,
    schedule_plan,
    schedule_set_active,
    schedules_plan,
)

__all__ = [
    "AGENDA_FIELDS",
    "ATTENDED",
    "AUTOMATIC_AGENDA",
    "MAX_DURATION",
    "MEETING_FIELDS",
    "MIN_DURATION",
    "PLAN_AHEAD_DAYS",
    "RAISED_KINDS",
    "REPORTING_ROLES",
    "RESOLUTION_FIELDS",
    "SCHEDULE_FIELDS",
    "MinutesConflict",
    "agenda_item_add",
    "agenda_item_move",
    "agenda_item_remove",
    "agenda_item_update",
    "attendance_record",
    "attendee_people",
    "check_duration",
    "check_editable",
    "check_not_past",
    "clean_text",
    "jalali_month_weekday",
    "may_acknowledge",
    "meeting_cancel",
    "meeting_create",
    "meeting_day",
    "meeting_insert",
    "meeting_invite",
    "meeting_mark_held",
    "meeting_office_emails_send",
    "meeting_update",
    "minutes_acknowledge",
    "minutes_approve",
    "minutes_is_locked",
    "minutes_save",
    "report_is_open",
    "report_save",
    "reporting_offices",
    "resolution_add",
    "resolution_remove",
    "resolution_update",
    "schedule_create",
    "schedule_dates",
    "schedule_plan",
    "schedule_set_active",
    "schedules_plan",
]
