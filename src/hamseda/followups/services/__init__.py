"""Writes of follow-ups, one module per sub-domain:

- ``followups``: kept in step with resolutions (``followup_sync_for_resolution``, called
  by the meetings app), progress and evidence, close, reopen, cancel, reassign;
- ``referrals``: the ministry inbox (assign, reply);
- ``reminders``: reminders and escalation (the daily beat task);
- ``common``: what they share.

Callers import the package: ``from hamseda.followups import services``.
"""

from hamseda.followups.services.common import (
    TRACKED,
    followup_title,
)
from hamseda.followups.services.followups import (
    followup_cancel,
    followup_close,
    followup_reassign,
    followup_reopen,
    followup_sync_for_resolution,
    followup_update_add,
)
from hamseda.followups.services.referrals import (
    referral_assign,
    referral_reply,
)
from hamseda.followups.services.reminders import (
    reminders_send,
)

__all__ = [
    "TRACKED",
    "followup_cancel",
    "followup_close",
    "followup_reassign",
    "followup_reopen",
    "followup_sync_for_resolution",
    "followup_title",
    "followup_update_add",
    "referral_assign",
    "referral_reply",
    "reminders_send",
]
