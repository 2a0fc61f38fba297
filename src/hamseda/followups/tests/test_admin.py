"""The follow-up admin is read-mostly: a due date may be corrected, and is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from hamseda.core.models import AuditEvent
from hamseda.followups.models import FollowUp
from hamseda.followups.tests.factories import make_followup

pytestmark = pytest.mark.django_db


def test_admin_pages_render_and_a_due_date_correction_is_audited(client, world):
    followup = make_followup(
        world.isfahan_council, [world.member_office], actor=world.chair, referred=True
    )
    client.force_login(world.admin)
    for name in ("followup", "referral", "reminderlog"):
        assert client.get(reverse(f"admin:followups_{name}_changelist")).status_code == 200
    url = reverse("admin:followups_followup_change", args=[followup.pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:followups_followup_add")).status_code == 403
    response = client.post(
        url,
        {
            "due_date": "1404/09/10",
            "_save": "1",
            "referral-TOTAL_FORMS": "1",
            "referral-INITIAL_FORMS": "1",
            "referral-MIN_NUM_FORMS": "0",
            "referral-MAX_NUM_FORMS": "1",
            "referral-0-id": followup.referral.pk,
            "referral-0-followup": followup.pk,
            "updates-TOTAL_FORMS": "0",
            "updates-INITIAL_FORMS": "0",
            "updates-MIN_NUM_FORMS": "0",
            "updates-MAX_NUM_FORMS": "1000",
            "reminders-TOTAL_FORMS": "0",
            "reminders-INITIAL_FORMS": "0",
            "reminders-MIN_NUM_FORMS": "0",
            "reminders-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert FollowUp.objects.get(pk=followup.pk).due_date == dt.date(2025, 12, 1)
    event = AuditEvent.objects.get(event="followup_admin_edited")
    assert event.changes["due_date"] == [None, "2025-12-01"]
