"""The national-scale generator of channels, posts, deliveries and campaign
joint posts, on top of the directory and campaigns generators (2 provinces over
2 years)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from io import StringIO

import pytest
from django.db.models import Count, F

from hamseda.campaigns.generate import generate_campaigns
from hamseda.core import indicators, jalali
from hamseda.directory.generate import generate_directory
from hamseda.directory.models import CouncilMembership, MembershipRole, Person
from hamseda.social import coverage, crypto
from hamseda.social.generate import POSTS_PER_OFFICE_PER_MONTH, TOKENS, generate_social
from hamseda.social.models import (
    MAIN_PLATFORMS,
    PUBLISHED_STATUSES,
    Delivery,
    DeliveryStatus,
    ErrorKind,
    InviteStatus,
    JointInvite,
    JointPost,
    Post,
    PostStatus,
    SocialAccount,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    rng = random.Random(11)
    out = StringIO()
    generate_directory(provinces=2, years=2, rng=rng, out=out)
    generate_campaigns(provinces=2, years=2, rng=rng, out=out)
    generate_social(provinces=2, years=2, rng=rng, out=out)
    return rng, out


def _offices() -> set[int]:
    return set(
        CouncilMembership.objects.exclude(role=MembershipRole.BROADCASTER).values_list(
            "office_id", flat=True
        )
    )


def test_most_offices_on_most_messengers_but_not_all(generated):
    _rng, out = generated
    offices = _offices()
    accounts = list(SocialAccount.objects.all())
    with_channel = {a.office_id for a in accounts}
    assert with_channel <= offices
    assert len(with_channel) >= 0.8 * len(offices)
    pairs = {(a.office_id, a.platform) for a in accounts if a.platform in MAIN_PLATFORMS}
    assert 0.5 * len(offices) * 4 < len(pairs) < len(offices) * 4  # not 100%
    assert any(a.is_manual for a in accounts)
    assert all(a.chat_id for a in accounts if not a.is_manual)
    assert not any(a.chat_id for a in accounts if a.is_manual)
    tokened = [a for a in accounts if a.has_token]
    assert 0 < len(tokened) <= TOKENS
    assert all(not a.is_manual for a in tokened)
    assert all(crypto.hint(crypto.decrypt(a.token_encrypted)) == a.token_hint for a in tokened)
    assert f"social: {len(accounts)} channels" in out.getvalue()


def test_posts_and_deliveries_are_consistent(generated):
    # every delivery's platform is its channel's, and the channel is the post's office's
    assert not Delivery.objects.exclude(platform=F("account__platform")).exists()
    assert not Delivery.objects.exclude(account__office_id=F("post__office_id")).exists()
    # each delivery is on a channel chosen for the post
    chosen = set(Post.accounts.through.objects.values_list("post_id", "socialaccount_id"))
    assert set(Delivery.objects.values_list("post_id", "account_id")) <= chosen

    posts = Post.objects.exclude(joint__isnull=False)
    per_office_month = posts.count() / len(_offices()) / 24
    low, high = POSTS_PER_OFFICE_PER_MONTH
    assert low * 0.5 < per_office_month <= high
    assert not Post.objects.filter(text_key="").exists()

    statuses = Counter(Delivery.objects.values_list("status", flat=True))
    total = sum(statuses.values())
    assert statuses[DeliveryStatus.SENT] > 0.7 * total
    for status in (
        DeliveryStatus.FAILED,
        DeliveryStatus.UNCERTAIN,
        DeliveryStatus.MANUAL_DONE,
        DeliveryStatus.MANUAL,
    ):
        assert 0 < statuses[status] < 0.3 * total, status
    sent = Delivery.objects.filter(status=DeliveryStatus.SENT)
    assert not sent.filter(remote_id="").exists()
    assert not sent.filter(sent_at=None).exists()
    assert sent.exclude(views=None).exists()
    assert sent.filter(views=None).exists()
    failed = Delivery.objects.filter(status=DeliveryStatus.FAILED)
    assert not failed.filter(error_kind="").exists()
    assert not failed.exclude(sent_at=None).exists()
    assert not failed.filter(attempt_log=None).exists()
    assert not Delivery.objects.filter(
        status=DeliveryStatus.UNCERTAIN, error_kind=ErrorKind.NONE
    ).exists()
    # bots send to API channels only; manual channels wait for (or got) a person
    assert not sent.filter(account__chat_id="").exists()
    assert (
        not Delivery.objects.filter(status=DeliveryStatus.MANUAL)
        .exclude(account__chat_id="")
        .exists()
    )
    keys = Delivery.objects.values_list("idempotency_key", flat=True)
    assert len(set(keys)) == len(keys)

    now = jalali.today()
    # a post's status follows its deliveries
    published = dict(
        Delivery.objects.filter(status__in=PUBLISHED_STATUSES)
        .values_list("post_id")
        .annotate(n=Count("pk"))
        .values_list("post_id", "n")
    )
    totals = dict(
        Delivery.objects.values_list("post_id").annotate(n=Count("pk")).values_list("post_id", "n")
    )
    for post in Post.objects.all():
        n, done = totals.get(post.pk, 0), published.get(post.pk, 0)
        if post.status == PostStatus.DONE:
            assert n
            assert done == n
        elif post.status == PostStatus.PARTLY:
            assert 0 < done < n
        elif post.status in (PostStatus.DRAFT, PostStatus.CANCELLED, PostStatus.SCHEDULED):
            assert n == 0
            assert post.released_at is None
        if post.status == PostStatus.SCHEDULED:
            assert jalali.local_date(post.scheduled_at) >= now
    assert Post.objects.filter(status=PostStatus.SCHEDULED).exists()
    assert Post.objects.filter(status=PostStatus.PARTLY).exists()
    oldest = Post.objects.order_by("created_at").first()
    assert jalali.local_date(oldest.created_at) < now - dt.timedelta(days=300)


def test_joint_posts_invite_campaign_offices_and_are_adopted(generated):
    joints = list(JointPost.objects.select_related("campaign").prefetch_related("invites"))
    assert joints
    states = Counter(JointInvite.objects.values_list("status", flat=True))
    assert states[InviteStatus.APPROVED] > states[InviteStatus.DECLINED] > 0
    assert states[InviteStatus.PENDING] > 0
    for joint in joints[:10]:
        invited = {i.office_id for i in joint.invites.all()}
        expected = set(joint.campaign.co_owners.values_list("pk", flat=True)) | set(
            joint.campaign.participants.values_list("pk", flat=True)
        )
        assert invited == expected
        assert joint.office_id in set(joint.campaign.co_owners.values_list("pk", flat=True))
    approved = JointInvite.objects.filter(status=InviteStatus.APPROVED)
    adoptions = set(Post.objects.exclude(joint=None).values_list("joint_id", "office_id"))
    assert set(approved.values_list("joint_id", "office_id")) == adoptions
    assert not Post.objects.exclude(joint=None).filter(campaign=None).exists()
    assert (
        not JointInvite.objects.exclude(status=InviteStatus.PENDING)
        .filter(decided_at=None)
        .exists()
    )
    assert not JointInvite.objects.filter(created_at__lt=F("joint__created_at")).exists()


def test_indicators_and_matrix_have_values_for_generated_offices(generated):
    today = jalali.today()
    start = today - dt.timedelta(days=365)
    offices = sorted(_offices())
    values = {
        code: indicators.REGISTRY[code].compute(start=start, end=today, office_ids=offices)
        for code in (
            "social.posts",
            "social.posts.eitaa",
            "social.channel_coverage",
            "social.campaign_republished",
        )
    }
    assert len(values["social.posts"]) >= 0.8 * len(offices)
    assert values["social.posts.eitaa"]
    coverage_values = values["social.channel_coverage"]
    assert set(coverage_values) == set(offices)
    assert 0 < sum(coverage_values.values()) / len(offices) < 100
    assert any(v == 100 for v in coverage_values.values())
    assert values["social.campaign_republished"]
    assert all(0 <= v <= 100 for v in values["social.campaign_republished"].values())

    ministry = Person.objects.get(username="gen-ministry-0")
    matrix = coverage.coverage_matrix(viewer=ministry)
    assert len(matrix.rows) == CouncilMembership.objects.count()
    assert 0 < matrix.share < 100


def test_second_run_adds_nothing(generated):
    rng, out = generated
    counts = (SocialAccount.objects.count(), Post.objects.count(), Delivery.objects.count())
    generate_social(provinces=2, years=2, rng=rng, out=out)
    assert (SocialAccount.objects.count(), Post.objects.count(), Delivery.objects.count()) == counts
    assert JointPost.objects.count() == len({j for j in JointPost.objects.values_list("pk")})
