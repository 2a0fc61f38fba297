"""The activity services: planning with the parallel-work check, joining as a
partner, merging, dismissing, files; the policy and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hamseda.activities import indicators, overlap, selectors, services
from hamseda.activities.models import (
    Activity,
    ActivityBand,
    ActivityKind,
    ActivityPartner,
    ActivityStatus,
    OverlapDismissal,
)
from hamseda.activities.selectors import ActivityFilters
from hamseda.campaigns.models import Campaign, CampaignKind, KeyMessage
from hamseda.core import jalali
from hamseda.core.models import AuditEvent, Notification
from hamseda.core.tests.uploads import exe, pdf

pytestmark = pytest.mark.django_db

VISIT = "بازدید خبرنگاران از پروژه نهضت ملی مسکن بهارستان"
VISIT_REWORDED = "بازدید اصحاب رسانه از طرح نهضت ملی مسکن در شهر جدید بهارستان"


def _day(days: int) -> dt.date:
    return jalali.today() + dt.timedelta(days=days)


def _housing_hq(world) -> Campaign:
    campaign = Campaign.objects.create(
        title="قرارگاه رسانه‌ای نهضت ملی مسکن",
        kind=CampaignKind.MEDIA_HQ,
        province=world.isfahan_council.province,
        start_date=_day(-60),
        end_date=_day(120),
    )
    campaign.co_owners.set([world.chair_office, world.partner_office])
    KeyMessage.objects.create(campaign=campaign, position=1, text="خانه‌دار شدن مردم اولویت است")
    return campaign


def _plan(world, person, title=VISIT, days=10, **kwargs) -> Activity:
    return services.activity_create(
        actor=person,
        office=person.office,
        title=title,
        kind=kwargs.pop("kind", ActivityKind.EVENT_COVERAGE),
        start_date=_day(days),
        **kwargs,
    )


def test_staff_plan_an_activity_of_their_office_indexed_and_audited(world):
    campaign = _housing_hq(world)
    message = campaign.messages.get()
    activity = _plan(
        world,
        world.staff,
        title="بازديد خبرنگاران  از پروژه",  # Arabic ي and a double space are normalised
        description="همراه با مديران",
        campaigns=[campaign],
        messages=[message],
        channels=["website", "bale"],
        links=["https://example.ir/news/1", " ", "https://example.ir/news/1"],
        partners=[world.member_office],
    )
    assert activity.title == "بازدید خبرنگاران از پروژه"
    assert activity.description == "همراه با مدیران"
    assert activity.end_date == activity.start_date
    assert activity.province_id == world.chair_office.agency.province_id
    assert activity.links == ["https://example.ir/news/1"]
    assert list(activity.partners.all()) == [world.member_office]
    assert list(activity.messages.all()) == [message]
    assert ActivityBand.objects.filter(activity=activity).exists()
    event = AuditEvent.objects.get(event="activity_created", target_id=str(activity.pk))
    assert event.actor == world.staff
    assert "title" in event.changes
    assert "partners" in event.changes


def test_staff_cannot_plan_for_another_office(world):
    with pytest.raises(PermissionDenied):
        services.activity_create(
            actor=world.staff,
            office=world.member_office,
            title="خبر راه‌آهن",
            kind=ActivityKind.NEWS_RELEASE,
            start_date=_day(1),
        )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"title": "  "}, "title"),
        ({"kind": "gossip"}, "kind"),
        ({"start_date": None}, "start_date"),
        ({"end_date": "before"}, "end_date"),
        ({"status": ActivityStatus.DONE}, "status"),  # done, but ten days from now
        ({"channels": ["pigeon"]}, "channels"),
        ({"links": ["javascript:alert(1)"]}, "links"),
        ({"audience": -5}, "audience"),
    ],
)
def test_invalid_input_is_refused_beside_the_field(world, kwargs, field):
    values = {
        "actor": world.staff,
        "office": world.chair_office,
        "title": "نشست خبری هفته دولت",
        "kind": ActivityKind.PRESS_CONFERENCE,
        "start_date": _day(10),
    }
    if kwargs.get("end_date") == "before":
        kwargs = {"end_date": _day(5)}
    values.update(kwargs)
    with pytest.raises(ValidationError) as error:
        services.activity_create(**values)
    assert field in error.value.message_dict
    assert not Activity.objects.exists()


def test_key_messages_must_belong_to_the_chosen_campaigns(world):
    campaign = _housing_hq(world)
    with pytest.raises(ValidationError) as error:
        _plan(world, world.staff, messages=[campaign.messages.get()])
    assert "messages" in error.value.message_dict


def test_partners_come_from_the_same_province(world):
    with pytest.raises(ValidationError) as error:
        _plan(world, world.staff, partners=[world.fars_office])
    assert "partners" in error.value.message_dict


def test_a_reworded_plan_of_another_office_is_caught_before_saving(world):
    original = _plan(world, world.staff, days=10)
    with pytest.raises(services.ParallelWork) as found:
        _plan(world, world.member_staff, title=VISIT_REWORDED, days=11)
    assert [match.activity.pk for match in found.value.matches] == [original.pk]
    assert found.value.matches[0].score >= overlap.THRESHOLD
    assert Activity.objects.count() == 1
    # confirmed as other work, it is saved
    second = _plan(world, world.member_staff, title=VISIT_REWORDED, days=11, overlap_confirmed=True)
    assert second.lead_office == world.member_office


def test_own_office_work_and_done_reports_are_not_warned(world):
    _plan(world, world.staff, days=10)
    # the same office planning a similar item is its own business
    _plan(world, world.secretary, title=VISIT_REWORDED, days=11)
    # a report of done work is not a plan: no warning
    services.activity_create(
        actor=world.member_staff,
        office=world.member_office,
        title=VISIT_REWORDED,
        kind=ActivityKind.EVENT_COVERAGE,
        start_date=_day(-1),
        status=ActivityStatus.DONE,
    )
    assert Activity.objects.count() == 3


def test_joining_makes_one_joint_activity_counted_for_both(world):
    original = _plan(world, world.staff, days=-3, status=ActivityStatus.DONE)
    services.activity_join(actor=world.member_staff, activity=original, note="عکاسی و ویدئو")
    partnership = ActivityPartner.objects.get(activity=original)
    assert partnership.office == world.member_office
    assert partnership.joined_by == world.member_staff
    # in both offices' lists
    for office in (world.chair_office, world.member_office):
        listed = selectors.activity_list(
            viewer=world.chair, filters=ActivityFilters(office_id=office.pk)
        )
        assert list(listed) == [original]
    # the lead office is told, not the one who joined
    assert Notification.objects.filter(recipient=world.staff).count() == 1
    assert not Notification.objects.filter(recipient=world.member_staff).exists()
    assert AuditEvent.objects.filter(event="activity_joined", target_id=str(original.pk)).exists()
    # and counts for each participant in evaluation
    period = {"start": _day(-30), "end": _day(0)}
    joint = indicators.joint(**period)
    assert joint == {world.chair_office.pk: 1, world.member_office.pk: 1}


@pytest.mark.parametrize("who", ["again", "own", "fars", "cancelled"])
def test_joining_refusals(world, who):
    activity = _plan(world, world.staff)
    if who == "again":
        services.activity_join(actor=world.member_staff, activity=activity)
        with pytest.raises(ValidationError):
            services.activity_join(actor=world.member_staff, activity=activity)
    elif who == "own":
        with pytest.raises(ValidationError):
            services.activity_join(actor=world.secretary, activity=activity)
    elif who == "fars":
        with pytest.raises(PermissionDenied):
            services.activity_join(actor=world.fars_chair, activity=activity)
    else:
        activity.status = ActivityStatus.CANCELLED
        activity.save()
        with pytest.raises(ValidationError):
            services.activity_join(actor=world.member_staff, activity=activity)


def test_chair_merges_parallel_work_into_one_joint_activity(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    campaign = _housing_hq(world)
    target = _plan(world, world.staff, campaigns=[campaign], channels=["website"])
    source = _plan(
        world,
        world.member_staff,
        title=VISIT_REWORDED,
        days=11,
        channels=["bale"],
        links=["https://example.ir/rail"],
        overlap_confirmed=True,
    )
    services.attachment_add(
        actor=world.member_staff, activity=source, title="", file=pdf("برنامه.pdf")
    )
    services.activity_merge(actor=world.chair, source=source, target=target)
    source.refresh_from_db()
    target.refresh_from_db()
    assert source.merged_into == target
    assert list(target.partners.all()) == [world.member_office]
    assert target.channels == ["website", "bale"]
    assert target.links == ["https://example.ir/rail"]
    assert target.attachments.get().title == "برنامه.pdf"
    assert not ActivityBand.objects.filter(activity=source).exists()
    assert list(selectors.activity_list(viewer=world.chair)) == [target]
    assert AuditEvent.objects.filter(
        event="activity_merged_away", target_id=str(source.pk)
    ).exists()
    # a merged activity is read-only and cannot be joined
    with pytest.raises(ValidationError):
        services.activity_join(actor=world.partner, activity=source)


def test_an_office_may_fold_its_own_activity_into_another(world):
    target = _plan(world, world.staff)
    source = _plan(world, world.member_staff, title="خبر دیگر راه‌آهن", overlap_confirmed=True)
    services.activity_merge(actor=world.member_staff, source=source, target=target)
    assert Activity.objects.get(pk=source.pk).merged_into_id == target.pk
    # but not someone else's activity
    third = _plan(world, world.partner, title="نمایشگاه استانداری", overlap_confirmed=True)
    with pytest.raises(PermissionDenied):
        services.activity_merge(actor=world.member_staff, source=third, target=target)


def test_dismissed_pair_is_stored_once_in_order(world):
    first = _plan(world, world.staff)
    second = _plan(world, world.member_staff, title=VISIT_REWORDED, overlap_confirmed=True)
    services.overlap_dismiss(actor=world.chair, first=second, second=first)
    services.overlap_dismiss(actor=world.chair, first=first, second=second)
    dismissal = OverlapDismissal.objects.get()
    assert (dismissal.first_id, dismissal.second_id) == (first.pk, second.pk)
    with pytest.raises(PermissionDenied):
        services.overlap_dismiss(actor=world.member_staff, first=first, second=second)


def test_edit_reindexes_text_and_audits_changes(world):
    activity = _plan(
        world, world.staff, title="نشست خبری هفته دولت", kind=ActivityKind.PRESS_CONFERENCE
    )
    bands_before = set(
        ActivityBand.objects.filter(activity=activity).values_list("hash", flat=True)
    )
    services.activity_edit(
        actor=world.secretary,
        activity=activity,
        title="نمایشگاه عکس طرح‌های راه روستایی",
        kind=ActivityKind.EXHIBITION,
        start_date=activity.start_date,
        status=ActivityStatus.PLANNED,
    )
    bands_after = set(ActivityBand.objects.filter(activity=activity).values_list("hash", flat=True))
    assert bands_before != bands_after
    event = AuditEvent.objects.get(event="activity_edited")
    assert set(event.changes) >= {"title", "kind"}
    with pytest.raises(PermissionDenied):
        services.activity_edit(
            actor=world.member_staff,
            activity=activity,
            title="x",
            kind=ActivityKind.NEWS_RELEASE,
            start_date=activity.start_date,
            status=ActivityStatus.PLANNED,
        )


def test_a_partner_may_edit_the_joint_activity(world):
    activity = _plan(world, world.staff)
    services.activity_join(actor=world.member_staff, activity=activity)
    activity = Activity.objects.get(pk=activity.pk)
    services.activity_edit(
        actor=world.member_staff,
        activity=activity,
        title=activity.title,
        kind=activity.kind,
        start_date=activity.start_date,
        status=ActivityStatus.PLANNED,
        outcome="پوشش در ۱۲ رسانه",
    )
    assert Activity.objects.get(pk=activity.pk).outcome == "پوشش در ۱۲ رسانه"


def test_attachments_are_checked_by_content(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    activity = _plan(world, world.staff)
    with pytest.raises(ValidationError) as error:
        services.attachment_add(actor=world.staff, activity=activity, title="", file=exe("a.pdf"))
    assert "file" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.attachment_add(actor=world.member_staff, activity=activity, title="", file=pdf())


def test_indicators_count_done_work_by_kind_and_skip_merged(world):
    def done(person, title, kind, days=-5, **kwargs):
        return services.activity_create(
            actor=person,
            office=person.office,
            title=title,
            kind=kind,
            start_date=_day(days),
            status=ActivityStatus.DONE,
            **kwargs,
        )

    done(world.staff, "خبر یک", ActivityKind.NEWS_RELEASE)
    done(world.staff, "خبر دو", ActivityKind.NEWS_RELEASE)
    done(world.staff, "خبر قدیمی", ActivityKind.NEWS_RELEASE, days=-400)
    done(world.member_staff, "مصاحبه مدیرکل", ActivityKind.INTERVIEW)
    done(world.member_staff, "نشست خبری", ActivityKind.PRESS_CONFERENCE)
    merged = done(world.member_staff, "خبر ادغام‌شده", ActivityKind.NEWS_RELEASE)
    target = done(world.staff, "خبر مقصد", ActivityKind.NEWS_RELEASE)
    services.activity_merge(actor=world.chair, source=merged, target=target)
    _plan(world, world.staff, title="خبر برنامه‌ریزی‌شده", kind=ActivityKind.NEWS_RELEASE)
    period = {"start": _day(-30), "end": _day(30)}
    assert indicators.news_releases(**period) == {
        world.chair_office.pk: 3,
        world.member_office.pk: 1,  # as partner of the merged news, not twice
    }
    assert indicators.interviews_press(**period) == {world.member_office.pk: 2}
    assert indicators.news_releases(**period, office_ids=[world.member_office.pk]) == {
        world.member_office.pk: 1
    }
