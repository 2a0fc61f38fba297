"""The campaign admin renders, and a correction saved there is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hamseda.campaigns.tests.factories import make_campaign
from hamseda.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_admin_pages_render_and_an_edit_is_audited(client, world):
    campaign = make_campaign(world)
    client.force_login(world.admin)
    assert client.get(reverse("admin:campaigns_campaign_changelist")).status_code == 200
    change = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    page = client.get(change)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: form.initial.get(name, "")
        for name in form.fields
        if name not in ("co_owners", "participants")
    }
    data.update(
        {
            "title": "عنوان اصلاح‌شده",
            "start_date": "1405/01/15",
            "end_date": "1405/12/29",
            "co_owners": [o.pk for o in campaign.co_owners.all()],
            "participants": [o.pk for o in campaign.participants.all()],
            "previous": "",
            "created_by": world.chair.pk,
            "hashtags": '["#نهضت_ملی_مسکن"]',
            "audiences": "[]",
            "season_year": "",
        }
    )
    for prefix in ("messages", "targets", "files"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    response = client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    campaign.refresh_from_db()
    assert campaign.title == "عنوان اصلاح‌شده"
    event = AuditEvent.objects.get(event="campaign_admin_edited")
    assert "title" in event.changes
