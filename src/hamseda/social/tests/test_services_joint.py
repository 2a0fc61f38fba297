"""A campaign's joint post: invitations, adoption on every channel of the
office (its own post, sharing the pictures), declining, closing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hamseda.campaigns.tests.factories import make_campaign
from hamseda.core.models import Notification
from hamseda.core.tests.uploads import png
from hamseda.social.models import InviteStatus, JointStatus, Platform, PostStatus
from hamseda.social.services import joint as service
from hamseda.social.tests.factories import SocialAccountFactory

TEXT = "نهضت ملی مسکن در اصفهان: ۱۲ هزار خانواده صاحب‌خانه شدند"


@pytest.fixture
def campaign(world):
    return make_campaign(world)


def _joint(world, campaign, **fields):
    values = {
        "actor": world.staff,
        "campaign": campaign,
        "office": world.chair_office,
        "title": "گزارش پیشرفت نهضت ملی مسکن",
        "text": TEXT,
    }
    values.update(fields)
    return service.joint_create(**values)


def test_every_office_of_the_campaign_is_invited_and_told(world, campaign):
    joint = _joint(world, campaign)
    invited = set(joint.invites.values_list("office", flat=True))
    assert invited == {world.chair_office.pk, world.partner_office.pk, world.member_office.pk}
    assert set(joint.invites.values_list("status", flat=True)) == {InviteStatus.PENDING}
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"rail", "partner", "chair"} <= told
    assert "staff" not in told  # the writer


def test_the_joint_post_is_checked(world, campaign):
    with pytest.raises(ValidationError) as error:
        _joint(
            world,
            campaign,
            title="",
            text="",
            publish_at=timezone.now() - dt.timedelta(hours=1),
            variants={"myspace": "x"},
        )
    assert set(error.value.message_dict) == {"title", "text", "publish_at", "variants"}
    with pytest.raises(PermissionDenied):
        _joint(world, campaign, actor=world.member_staff)


def test_an_office_adopts_it_on_all_its_active_channels(world, campaign, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    bale = SocialAccountFactory(office=world.member_office, platform=Platform.BALE)
    eitaa = SocialAccountFactory(office=world.member_office, platform=Platform.EITAA)
    SocialAccountFactory(office=world.member_office, platform=Platform.RUBIKA, is_active=False)
    joint = _joint(world, campaign, variants={Platform.EITAA: "متن ایتا"}, images=[png("map.png")])

    post = service.joint_adopt(actor=world.member_staff, joint=joint, office=world.member_office)

    assert (post.joint, post.campaign, post.office) == (joint, campaign, world.member_office)
    assert set(post.accounts.all()) == {bale, eitaa}
    assert post.status == PostStatus.PUBLISHING
    assert post.deliveries.count() == 2
    assert {v.platform: v.text for v in post.variants.all()} == {Platform.EITAA: "متن ایتا"}
    [media] = post.media.all()
    assert media.file.name == joint.media.get().file.name  # the same file, shared
    invite = joint.invites.get(office=world.member_office)
    assert (invite.status, invite.decided_by) == (InviteStatus.APPROVED, world.member_staff)
    with pytest.raises(ValidationError):
        service.joint_adopt(actor=world.member_staff, joint=joint, office=world.member_office)


def test_adoption_waits_for_the_joint_publish_time(world, campaign):
    SocialAccountFactory(office=world.member_office, platform=Platform.BALE)
    at = timezone.now() + dt.timedelta(hours=2)
    joint = _joint(world, campaign, publish_at=at)
    post = service.joint_adopt(actor=world.member_staff, joint=joint, office=world.member_office)
    assert (post.status, post.scheduled_at) == (PostStatus.SCHEDULED, at)


def test_an_office_without_channels_or_invitation_cannot_adopt(world, campaign):
    joint = _joint(world, campaign)
    with pytest.raises(ValidationError) as error:
        service.joint_adopt(actor=world.member_staff, joint=joint, office=world.member_office)
    assert "accounts" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        service.joint_adopt(actor=world.member_staff, joint=joint, office=world.chair_office)


def test_declining_needs_a_reason_and_closing_stops_adoptions(world, campaign):
    SocialAccountFactory(office=world.partner_office, platform=Platform.BALE)
    joint = _joint(world, campaign)
    with pytest.raises(ValidationError) as error:
        service.joint_decline(
            actor=world.partner, joint=joint, office=world.partner_office, reason=" "
        )
    assert "reason" in error.value.message_dict
    invite = service.joint_decline(
        actor=world.partner,
        joint=joint,
        office=world.partner_office,
        reason="با مناسبت استانداری هم‌زمان است",
    )
    assert (invite.status, invite.reason) == (
        InviteStatus.DECLINED,
        "با مناسبت استانداری هم‌زمان است",
    )

    with pytest.raises(PermissionDenied):
        service.joint_close(actor=world.member_staff, joint=joint)
    joint = service.joint_close(actor=world.staff, joint=joint)
    assert joint.status == JointStatus.CLOSED
    with pytest.raises(ValidationError):
        service.joint_adopt(actor=world.partner, joint=joint, office=world.partner_office)
