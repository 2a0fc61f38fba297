"""The ministry's side of referred follow-ups: assign to a department, reply."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _g

from hamseda.core import policy
from hamseda.core.audit import audit_record
from hamseda.core.notifications import notify
from hamseda.core.policy import Role
from hamseda.directory.models import Person
from hamseda.followups.models import (
    Referral,
)
from hamseda.followups.services.common import (
    add_update,
    clean_text,
    council_leads,
    followup_title,
    office_people,
)

# --- ministry inbox ----------------------------------------------------------------


@transaction.atomic
def referral_assign(
    *,
    actor: Person,
    referral: Referral,
    department: str,
    assignee: Person | None = None,
) -> Referral:
    """Give a referred item to a department of the ministry and one of its staff."""
    policy.require(actor, "referral.answer", referral)
    department = clean_text(department)
    errors: dict[str, str] = {}
    if len(department) > 200:
        errors["department"] = _g("نام واحد حداکثر ۲۰۰ نویسه است.")
    if assignee is not None and (
        not assignee.is_active or assignee.effective_role not in (Role.MINISTRY_CENTRE, Role.ADMIN)
    ):
        errors["assignee"] = _g("کارشناس مسئول باید از کارکنان فعال مرکز ارتباطات وزارت باشد.")
    if errors:
        raise ValidationError(errors)
    before = {"department": referral.department, "assignee": referral.assignee}
    referral.department = department
    referral.assignee = assignee
    referral.save(update_fields=["department", "assignee", "updated_at"])
    event = audit_record(
        actor=actor,
        event="referral_assigned",
        target=referral.followup,
        changes={
            "department": [before["department"], department],
            "assignee": [
                str(before["assignee"]) if before["assignee"] else None,
                str(assignee) if assignee else None,
            ],
        },
    )
    if assignee is not None and assignee != before["assignee"] and assignee.pk != actor.pk:
        notify(
            recipients=[assignee],
            title=_g("ارجاع استان به شما سپرده شد: %(title)s")
            % {"title": followup_title(referral.followup)},
            url=reverse("followups:referral_detail", args=[referral.pk]),
            dedupe_key=f"referral-{referral.pk}-assigned-{event.pk}",
        )
    return referral


@transaction.atomic
def referral_reply(*, actor: Person, referral: Referral, reply: str) -> Referral:
    """The ministry's answer to a referred item. It is written on the follow-up's
    history (the council reads it there and on its next agenda, through
    ``selectors.followup_open_for_agenda``) and sent to the council's chair and
    secretary and to the responsible offices. A second reply replaces the
    first on the referral; both stay in the history."""
    policy.require(actor, "referral.answer", referral)
    reply = clean_text(reply)
    if not reply:
        raise ValidationError({"reply": _g("متن پاسخ وزارتخانه را بنویسید.")})
    followup = referral.followup
    before = referral.reply
    referral.reply = reply
    referral.replied_at = timezone.now()
    referral.replied_by = actor
    referral.save(update_fields=["reply", "replied_at", "replied_by", "updated_at"])
    update = add_update(
        followup, actor=actor, text=_g("پاسخ وزارتخانه: %(reply)s") % {"reply": reply}
    )
    audit_record(
        actor=actor, event="referral_replied", target=followup, changes={"reply": [before, reply]}
    )
    recipients = {
        p.pk: p for p in [*council_leads(followup), *office_people(followup.offices.all())]
    }
    notify(
        recipients=recipients.values(),
        title=_g("پاسخ وزارتخانه به مصوبه ارجاعی: %(title)s") % {"title": followup_title(followup)},
        body=reply,
        url=followup.get_absolute_url(),
        dedupe_key=f"referral-{referral.pk}-reply-{update.pk}",
    )
    return referral
