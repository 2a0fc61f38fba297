"""The social demo: channels that leave the matrix not all green, deliveries in
every state, a joint post with invitations in every state, idempotent, and its
scheduled post really delivered to the local fakes the demo starts."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from hamseda.campaigns.demo import load_campaigns_demo
from hamseda.directory.demo import load_directory_demo
from hamseda.directory.models import Person
from hamseda.social import coverage, demo
from hamseda.social.fakes import serve_demo
from hamseda.social.models import (
    Delivery,
    DeliveryStatus,
    InviteStatus,
    JointInvite,
    Post,
    PostStatus,
    SocialAccount,
)
from hamseda.social.services.delivery import sweep

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def loaded(db):
    load_directory_demo()
    load_campaigns_demo()
    return demo.load_social_demo()


def _counts() -> tuple[int, ...]:
    return (
        SocialAccount.objects.count(),
        Post.objects.count(),
        Delivery.objects.count(),
        JointInvite.objects.count(),
    )


def test_the_demo_has_deliveries_in_every_state_and_a_matrix_not_all_green(loaded):
    assert loaded == []
    statuses = set(Delivery.objects.values_list("status", flat=True))
    assert {
        DeliveryStatus.SENT,
        DeliveryStatus.FAILED,
        DeliveryStatus.MANUAL,
        DeliveryStatus.MANUAL_DONE,
        DeliveryStatus.UNCERTAIN,
    } <= statuses
    failed = Delivery.objects.filter(status=DeliveryStatus.FAILED)
    assert all(d.error_kind for d in failed)
    assert Delivery.objects.filter(status=DeliveryStatus.SENT, views__isnull=False).exists()
    # every API channel points at the fakes beside the demo site
    hosts = {
        a.api_base_url for a in SocialAccount.objects.filter(chat_id__startswith=demo.CHAT_PREFIX)
    }
    assert hosts == {"http://127.0.0.1:8001", "http://127.0.0.1:8002", "http://127.0.0.1:8003"}
    # the matrix: some offices complete, some with nothing
    matrix = coverage.coverage_matrix(viewer=Person.objects.get(username="isf-chair"))
    shares = {row.share for row in matrix.rows}
    assert 100.0 in shares
    assert 0.0 in shares
    assert 0 < matrix.share < 100
    states = {cell.state for row in matrix.rows for cell in row.cells}
    assert states == {"active", "idle", "none"}


def test_the_joint_post_has_invitations_in_every_state(loaded):
    statuses = set(JointInvite.objects.values_list("status", flat=True))
    assert statuses == {InviteStatus.APPROVED, InviteStatus.DECLINED, InviteStatus.PENDING}
    campaign = JointInvite.objects.first().joint.campaign
    [joint] = coverage.campaign_coverage(
        viewer=Person.objects.get(username="isf-chair"), campaign=campaign
    )
    assert joint.full >= 2
    assert joint.partly >= 1
    assert joint.not_published >= 1


def test_loading_again_changes_nothing(loaded):
    before = _counts()
    assert demo.load_social_demo() == []
    assert _counts() == before


def test_point_demo_channels_follows_the_port(loaded):
    changed = demo.point_demo_channels("127.0.0.1", 9000)
    assert changed == SocialAccount.objects.exclude(api_base_url="").count()
    bale = SocialAccount.objects.filter(platform="bale", chat_id__startswith="@isf_").first()
    assert bale.api_base_url == "http://127.0.0.1:9001"
    assert demo.point_demo_channels("127.0.0.1", 9000) == 0


def _fakes_on_free_ports() -> tuple[int, list]:
    for _ in range(20):
        port = random.randint(20_000, 60_000)
        try:
            return port, serve_demo("127.0.0.1", port + 1, verbose=False)
        except OSError:
            continue
    raise RuntimeError("no three free ports in a row")


def test_the_scheduled_post_is_delivered_to_the_demo_fakes(
    loaded, django_capture_on_commit_callbacks
):
    # given: the fakes the demo starts (any token, any chat), the channels pointed there
    port, fakes = _fakes_on_free_ports()
    try:
        demo.point_demo_channels("127.0.0.1", port)
        post = Post.objects.get(text=demo.SCHEDULED_TEXT)
        assert post.status == PostStatus.SCHEDULED
        # when: its time has come and beat's sweep runs (the worker is eager in tests)
        with django_capture_on_commit_callbacks(execute=True):
            sweep(now=timezone.now() + demo.SCHEDULED_IN + dt.timedelta(minutes=1))
        # then: once on each of the chair office's four messengers
        post.refresh_from_db()
        assert post.status == PostStatus.DONE
        received = [message for fake in fakes for message in fake.received]
        assert len(received) == 4
        assert {m.chat_id for m in received} == {"@isf_rah"}
        assert all(m.text.startswith(demo.SCHEDULED_TEXT) for m in received)
    finally:
        for fake in fakes:
            fake.stop()
