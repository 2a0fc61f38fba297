"""The broadcast demo: Isfahan pitches in every state, one letter with its
answers (one aired), written through the services; loading again adds nothing."""

from __future__ import annotations

import pytest

from hamseda.broadcast import demo
from hamseda.broadcast.models import Dispatch, DispatchItem, Outcome, Pitch, PitchStatus
from hamseda.campaigns.demo import load_campaigns_demo
from hamseda.core.models import AuditEvent
from hamseda.directory.demo import load_directory_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    load_directory_demo()
    load_campaigns_demo()
    return demo.load_broadcast_demo()


def test_the_demo_has_pitches_in_every_state_and_an_aired_one(loaded):
    assert loaded == []
    assert set(Pitch.objects.values_list("status", flat=True)) == set(PitchStatus.values)
    dispatch = Dispatch.objects.get()
    assert dispatch.emailed_at is not None
    assert dispatch.pdf.name
    outcomes = set(DispatchItem.objects.values_list("outcome", flat=True))
    assert outcomes == {Outcome.AIRED, Outcome.ACCEPTED, Outcome.DECLINED}
    aired = DispatchItem.objects.get(outcome=Outcome.AIRED)
    assert aired.pitch.title == demo.AIRED_PITCH
    assert AuditEvent.objects.filter(event="pitch_answered").count() == 3


def test_loading_again_changes_nothing(loaded):
    pitches, events = Pitch.objects.count(), AuditEvent.objects.count()
    assert demo.load_broadcast_demo() == []
    assert (Pitch.objects.count(), AuditEvent.objects.count()) == (pitches, events)
