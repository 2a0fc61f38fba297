"""Meetings that took place before they were entered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from hamseda.core import jalali
from hamseda.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def test_a_past_meeting_can_be_recorded_when_said_so(client, world):
    # given the secretary entering a meeting held last month from paper minutes
    client.force_login(world.secretary)
    data = {
        "title": "",
        "starts_at": "1405/08/02 10:00",
        "duration_minutes": 90,
        "place": "سالن اجتماعات",
    }
    # when the past time is sent as a new plan, it is refused beside the field
    response = client.post(reverse("meetings:meeting_create"), data)
    assert response.status_code == 200
    assert "starts_at" in response.context["form"].errors
    # then, marked as held before, it is recorded at its real time
    response = client.post(reverse("meetings:meeting_create"), {**data, "in_the_past": "on"})
    meeting = Meeting.objects.get(council=world.isfahan_council)
    assert response.status_code == 302
    assert meeting.starts_at == dt.datetime(2026, 10, 24, 10, tzinfo=jalali.TEHRAN)
