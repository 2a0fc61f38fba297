"""Writes of campaigns: the campaign, its messages, targets, offices and files;
who may do each, and the audit trail each leaves."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hamseda.activities.models import ActivityKind
from hamseda.campaigns import services
from hamseda.campaigns.models import (
    Campaign,
    CampaignFile,
    CampaignKind,
    KeyMessage,
    Target,
    TargetMetric,
)
from hamseda.campaigns.tests.factories import day, exe, make_activity, make_campaign, pdf
from hamseda.core.audit import change_lines, event_label
from hamseda.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(world) -> Campaign:
    return make_campaign(world)


def _events(campaign: Campaign) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_id=str(campaign.pk))
        .order_by("id")
        .values_list("event", flat=True)
    )


# --- create ----------------------------------------------------------------------------


def test_the_chair_creates_a_campaign_whose_co_owners_also_participate(world):
    # when
    campaign = make_campaign(
        world,
        hashtags=["نهضت ملی مسکن", "#مسکن_اصفهان #نهضت_ملي_مسکن", "#خانه‌دار_شویم!"],
        audiences=["  زوج‌های جوان ", "زوج‌های جوان", "", "خبرنگاران"],
    )
    # then: hashtags as #word, normalised and kept once; audiences cleaned
    assert campaign.hashtags == ["#نهضت_ملی_مسکن", "#مسکن_اصفهان", "#خانه‌دار_شویم"]
    assert campaign.hashtags_text == "#نهضت_ملی_مسکن #مسکن_اصفهان #خانه‌دار_شویم"
    assert campaign.audiences == ["زوج‌های جوان", "خبرنگاران"]
    assert set(campaign.co_owners.all()) == {world.chair_office, world.partner_office}
    assert set(campaign.participants.all()) == {
        world.chair_office,
        world.partner_office,
        world.member_office,
    }
    assert campaign.created_by == world.chair
    # and the creation is audited with Persian labels
    event = AuditEvent.objects.get(event="campaign_created", target_id=str(campaign.pk))
    assert event_label(event) == "پویش ایجاد شد"
    fields = {line.field: line.after for line in change_lines(event)}
    assert fields["دستگاه‌های گرداننده"].count("روابط عمومی") == 2
    assert fields["نوع"] == "قرارگاه رسانه‌ای"
    assert fields["هشتگ‌ها"] == "#نهضت_ملی_مسکن، #مسکن_اصفهان، #خانه‌دار_شویم"


def test_the_search_key_covers_the_hashtags(world, campaign):
    campaign.refresh_from_db()
    assert "نهضتملیمسکن" in campaign.text_key


@pytest.mark.parametrize("persona", ["fars_chair", "evaluator"])
def test_people_of_another_province_cannot_create_an_isfahan_campaign(world, persona):
    with pytest.raises(PermissionDenied):
        make_campaign(world, actor=getattr(world, persona))
    assert not Campaign.objects.exists()


def test_office_staff_must_be_among_the_co_owners(world):
    # the railway's staff create a campaign run by others: said beside the field
    with pytest.raises(ValidationError) as error:
        make_campaign(world, actor=world.member_staff)
    assert "روابط عمومی خود" in error.value.message_dict["co_owners"][0]
    # with their own office among the co-owners they may
    campaign = make_campaign(
        world, actor=world.member_staff, co_owners=[world.member_office], participants=[]
    )
    assert list(campaign.co_owners.all()) == [world.member_office]


def test_only_the_ministry_centre_creates_a_national_programme(world):
    with pytest.raises(ValidationError) as error:
        make_campaign(world, province=None)
    assert "province" in error.value.message_dict
    national = make_campaign(
        world,
        actor=world.ministry,
        province=None,
        co_owners=[world.ministry_office],
        participants=[world.chair_office, world.fars_office],
    )
    assert national.province is None
    assert national.participants.count() == 3


def test_co_owners_and_participants_come_from_the_campaigns_province(world):
    with pytest.raises(ValidationError) as error:
        make_campaign(world, participants=[world.fars_office])
    assert "فارس" in error.value.message_dict["participants"][0]
    with pytest.raises(ValidationError) as error:
        make_campaign(world, co_owners=[])
    assert "co_owners" in error.value.message_dict


def test_the_period_must_end_after_it_starts_and_a_title_is_needed(world):
    with pytest.raises(ValidationError) as error:
        make_campaign(world, title="  ", start_date=day(10), end_date=day(1))
    assert set(error.value.message_dict) == {"title", "end_date"}
    assert "پیش از آغاز" in error.value.message_dict["end_date"][0]


# --- edit ------------------------------------------------------------------------------


def test_editing_is_audited_field_by_field_and_new_co_owners_participate(world, campaign):
    services.campaign_edit(
        actor=world.secretary,
        campaign=campaign,
        title="قرارگاه رسانه‌ای نهضت ملی مسکن استان اصفهان",
        end_date=day(90),
        co_owners=[world.chair_office, world.member_office],
        hashtags=["#نهضت_ملی_مسکن", "#مسکن"],
    )
    campaign.refresh_from_db()
    assert campaign.end_date == day(90)
    assert set(campaign.co_owners.all()) == {world.chair_office, world.member_office}
    # the governorate stays a participant
    assert world.partner_office in campaign.participants.all()
    event = AuditEvent.objects.get(event="campaign_edited")
    assert set(event.changes) == {"title", "end_date", "co_owners", "hashtags"}
    fields = {line.field for line in change_lines(event)}
    assert {"عنوان", "دستگاه‌های گرداننده", "هشتگ‌ها"} <= fields


def test_staff_of_a_co_owner_edit_but_cannot_hand_the_campaign_away(world, campaign):
    services.campaign_edit(actor=world.partner, campaign=campaign, description="شرح تازه")
    with pytest.raises(ValidationError) as error:
        services.campaign_edit(
            actor=world.partner, campaign=campaign, co_owners=[world.chair_office]
        )
    assert "co_owners" in error.value.message_dict
    assert world.partner_office in campaign.co_owners.all()


@pytest.mark.parametrize("persona", ["member_staff", "fars_chair", "evaluator"])
def test_others_may_not_edit(world, campaign, persona):
    with pytest.raises(PermissionDenied):
        services.campaign_edit(actor=getattr(world, persona), campaign=campaign, title="x")


def test_an_edit_that_changes_nothing_leaves_no_audit_row(world, campaign):
    services.campaign_edit(actor=world.chair, campaign=campaign, title=campaign.title)
    assert "campaign_edited" not in _events(campaign)


# --- key messages ----------------------------------------------------------------------


def test_messages_are_added_in_order_reworded_moved_and_removed(world, campaign):
    first = services.message_add(actor=world.chair, campaign=campaign, text="پیام یکم")
    second = services.message_add(actor=world.partner, campaign=campaign, text="پیام دوم")
    third = services.message_add(actor=world.chair, campaign=campaign, text="پیام سوم")
    assert [first.position, second.position, third.position] == [1, 2, 3]
    # move the third to the top
    services.message_edit(actor=world.chair, message=third, position=1)
    order = list(campaign.messages.order_by("position").values_list("text", flat=True))
    assert order == ["پیام سوم", "پیام یکم", "پیام دوم"]
    services.message_edit(actor=world.chair, message=first, text="پیام یکم، روشن‌تر")
    services.message_remove(actor=world.chair, message=second)
    assert list(campaign.messages.order_by("position").values_list("text", "position")) == [
        ("پیام سوم", 1),
        ("پیام یکم، روشن‌تر", 2),
    ]
    assert _events(campaign)[-5:] == [
        "key_message_added",
        "key_message_added",
        "key_message_edited",
        "key_message_edited",
        "key_message_removed",
    ]
    moved = AuditEvent.objects.filter(event="key_message_edited").order_by("id").first()
    assert {line.field for line in change_lines(moved)} == {"پیام کلیدی", "ردیف پیام کلیدی"}


def test_a_message_is_not_added_twice_in_another_spelling(world, campaign):
    services.message_add(actor=world.chair, campaign=campaign, text="خانه‌دار شدن مردم")
    with pytest.raises(ValidationError) as error:
        services.message_add(actor=world.chair, campaign=campaign, text="خانه دار شدن  مردم")
    assert "text" in error.value.message_dict


def test_a_used_message_is_kept(world, campaign):
    message = services.message_add(actor=world.chair, campaign=campaign, text="پیام")
    make_activity(office=world.member_office, campaigns=[campaign], messages=[message])
    with pytest.raises(ValidationError) as error:
        services.message_remove(actor=world.chair, message=message)
    assert "۱ فعالیت" in error.value.messages[0]
    assert KeyMessage.objects.filter(pk=message.pk).exists()


def test_a_participant_that_is_not_a_co_owner_may_not_write_messages(world, campaign):
    with pytest.raises(PermissionDenied):
        services.message_add(actor=world.member_staff, campaign=campaign, text="پیام")


# --- targets ---------------------------------------------------------------------------


def test_a_kind_target_needs_an_activity_kind(world, campaign):
    with pytest.raises(ValidationError) as error:
        services.target_add(
            actor=world.chair,
            campaign=campaign,
            label="خبر",
            metric=TargetMetric.KIND,
            target_value=10,
        )
    assert "activity_kind" in error.value.message_dict
    target = services.target_add(
        actor=world.chair,
        campaign=campaign,
        label="خبر",
        metric=TargetMetric.KIND,
        target_value=10,
        activity_kind=ActivityKind.NEWS_RELEASE,
    )
    assert target.position == 1
    # another metric drops a stray activity kind
    other = services.target_add(
        actor=world.chair,
        campaign=campaign,
        label="مشترک",
        metric=TargetMetric.JOINT,
        target_value=5,
        activity_kind=ActivityKind.INTERVIEW,
    )
    assert other.activity_kind == ""
    assert other.position == 2


def test_targets_need_a_positive_value_and_a_known_metric(world, campaign):
    with pytest.raises(ValidationError) as error:
        services.target_add(
            actor=world.chair, campaign=campaign, label="", metric="likes", target_value=0
        )
    assert set(error.value.message_dict) == {"label", "metric", "target_value"}


def test_a_manual_target_records_a_figure_and_others_refuse_one(world, campaign):
    manual = services.target_add(
        actor=world.chair,
        campaign=campaign,
        label="مسافران اطلاع‌یافته",
        metric=TargetMetric.MANUAL,
        target_value=1000,
    )
    services.target_record(actor=world.partner, target=manual, value=420)
    assert Target.objects.get(pk=manual.pk).manual_value == 420
    counted = services.target_add(
        actor=world.chair,
        campaign=campaign,
        label="همه",
        metric=TargetMetric.ACTIVITIES,
        target_value=10,
    )
    with pytest.raises(ValidationError) as error:
        services.target_record(actor=world.chair, target=counted, value=5)
    assert "value" in error.value.message_dict
    event = AuditEvent.objects.get(event="target_recorded")
    assert {line.field: line.after for line in change_lines(event)}["مقدار ثبت‌شده"] == "۴۲۰"


def test_editing_a_target_away_from_manual_drops_its_figure_and_removal_renumbers(world, campaign):
    first = services.target_add(
        actor=world.chair,
        campaign=campaign,
        label="الف",
        metric=TargetMetric.MANUAL,
        target_value=9,
    )
    second = services.target_add(
        actor=world.chair, campaign=campaign, label="ب", metric=TargetMetric.JOINT, target_value=3
    )
    services.target_record(actor=world.chair, target=first, value=4)
    services.target_edit(
        actor=world.chair,
        target=first,
        label="الف",
        metric=TargetMetric.ACTIVITIES,
        target_value=12,
        baseline_value=7,
    )
    first.refresh_from_db()
    assert (first.metric, first.manual_value, first.baseline_value) == ("activities", None, 7)
    services.target_remove(actor=world.chair, target=first)
    second.refresh_from_db()
    assert second.position == 1
    assert _events(campaign)[-2:] == ["target_edited", "target_removed"]


# --- participants and files --------------------------------------------------------------


def test_participants_are_added_once_and_co_owners_are_not_removed(world, campaign):
    with pytest.raises(ValidationError):
        services.participant_add(actor=world.chair, campaign=campaign, office=world.member_office)
    with pytest.raises(ValidationError) as error:
        services.participant_add(actor=world.chair, campaign=campaign, office=world.fars_office)
    assert "استان" in error.value.message_dict["office"][0]
    # the ministry centre is national: it may join a provincial campaign
    services.participant_add(actor=world.chair, campaign=campaign, office=world.ministry_office)
    with pytest.raises(ValidationError) as error:
        services.participant_remove(
            actor=world.chair, campaign=campaign, office=world.partner_office
        )
    assert "گردانندگان" in error.value.message_dict["office"][0]
    services.participant_remove(actor=world.chair, campaign=campaign, office=world.member_office)
    assert world.member_office not in campaign.participants.all()
    assert _events(campaign)[-2:] == ["campaign_participant_added", "campaign_participant_removed"]


def test_a_file_is_stored_and_a_program_is_refused_beside_the_field(world, campaign):
    document = services.file_add(
        actor=world.partner, campaign=campaign, title="", file=pdf("brief.pdf")
    )
    assert document.title == "brief"
    assert document.file.read(5) == b"%PDF-"
    with pytest.raises(ValidationError) as error:
        services.file_add(actor=world.chair, campaign=campaign, title="x", file=exe("poster.pdf"))
    assert "اجرایی" in error.value.message_dict["file"][0]
    with pytest.raises(PermissionDenied):
        services.file_add(actor=world.member_staff, campaign=campaign, title="x", file=pdf())
    services.file_remove(actor=world.chair, document=document)
    assert not CampaignFile.objects.exists()
    assert _events(campaign)[-2:] == ["campaign_file_added", "campaign_file_removed"]


def test_kind_labels_are_persian_in_the_history(world):
    campaign = make_campaign(world, kind=CampaignKind.CULTURE)
    event = AuditEvent.objects.get(event="campaign_created", target_id=str(campaign.pk))
    assert {line.field: line.after for line in change_lines(event)}["نوع"] == "فرهنگ‌سازی"
