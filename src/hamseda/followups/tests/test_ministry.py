"""The ministry inbox: every province's referred items, assignment, the reply
that the council sees on its follow-up and on its next agenda."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hamseda.core import jalali
from hamseda.core.models import AuditEvent, Notification
from hamseda.core.policy import Role
from hamseda.directory.tests.factories import PersonFactory
from hamseda.followups import selectors, services
from hamseda.followups.models import Referral
from hamseda.followups.selectors import ReferralFilters
from hamseda.followups.tests.factories import make_followup

pytestmark = pytest.mark.django_db


@pytest.fixture
def referrals(world):
    """Two referred items of Isfahan (the older first) and one of Fars, plus an
    item assigned to an office (not referred)."""
    old = make_followup(
        world.isfahan_council, [world.member_office], actor=world.chair, referred=True, text="الف"
    )
    Referral.objects.filter(followup=old).update(created_at=timezone.now() - dt.timedelta(days=20))
    new = make_followup(
        world.isfahan_council, [world.chair_office], actor=world.chair, referred=True, text="ب"
    )
    fars = make_followup(
        world.fars_council, [world.fars_office], actor=world.fars_chair, referred=True, text="پ"
    )
    Referral.objects.filter(followup=fars).update(created_at=timezone.now() - dt.timedelta(days=10))
    make_followup(world.isfahan_council, [world.member_office], actor=world.chair, text="ت")
    return {"old": old.referral, "new": new.referral, "fars": fars.referral}


def test_inbox_lists_referrals_of_every_province_oldest_unanswered_first(world, referrals):
    inbox = list(selectors.referral_inbox(viewer=world.ministry))
    assert inbox == [referrals["old"], referrals["fars"], referrals["new"]]


def test_an_answered_referral_goes_after_the_unanswered(world, referrals):
    services.referral_reply(actor=world.ministry, referral=referrals["old"], reply="پاسخ")
    inbox = list(selectors.referral_inbox(viewer=world.ministry))
    assert inbox == [referrals["fars"], referrals["new"], referrals["old"]]
    unanswered = selectors.referral_inbox(
        viewer=world.ministry, filters=ReferralFilters(answered=False)
    )
    assert referrals["old"] not in unanswered


def test_inbox_filters_by_province_and_department(world, referrals):
    services.referral_assign(
        actor=world.ministry, referral=referrals["fars"], department="دفتر حمل‌ونقل ریلی"
    )
    fars = world.fars_council.province_id
    assert list(
        selectors.referral_inbox(viewer=world.ministry, filters=ReferralFilters(province_id=fars))
    ) == [referrals["fars"]]
    assert list(
        selectors.referral_inbox(
            viewer=world.ministry, filters=ReferralFilters(department="دفتر حمل‌ونقل ریلی")
        )
    ) == [referrals["fars"]]


@pytest.mark.parametrize("persona", ["chair", "secretary", "staff", "partner", "evaluator"])
def test_only_the_ministry_centre_has_an_inbox_and_answers(world, referrals, persona):
    person = getattr(world, persona)
    with pytest.raises(PermissionDenied):
        selectors.referral_inbox(viewer=person)
    with pytest.raises(PermissionDenied):
        services.referral_reply(actor=person, referral=referrals["old"], reply="پاسخ")
    referrals["old"].refresh_from_db()
    assert referrals["old"].reply == ""


def test_assign_to_a_department_and_a_ministry_person(world, referrals):
    colleague = PersonFactory(office=world.ministry_office, role=Role.MINISTRY_CENTRE)
    services.referral_assign(
        actor=world.ministry,
        referral=referrals["old"],
        department="معاونت حمل‌ونقل",
        assignee=colleague,
    )
    referrals["old"].refresh_from_db()
    assert referrals["old"].department == "معاونت حمل‌ونقل"
    assert referrals["old"].assignee == colleague
    assert Notification.objects.filter(recipient=colleague).count() == 1
    assert AuditEvent.objects.filter(event="referral_assigned").exists()
    # an Isfahan person cannot be the ministry's assignee
    with pytest.raises(ValidationError) as error:
        services.referral_assign(
            actor=world.ministry, referral=referrals["old"], department="x", assignee=world.chair
        )
    assert "assignee" in error.value.message_dict


def test_a_reply_reaches_the_council_the_history_and_the_next_agenda(world, referrals):
    # when the ministry replies to Isfahan's older referral
    referral = referrals["old"]
    services.referral_reply(
        actor=world.ministry, referral=referral, reply="اعتبار در بودجه سال آینده پیش‌بینی شد."
    )
    # then the referral carries the reply
    referral.refresh_from_db()
    assert referral.replied_by == world.ministry
    assert referral.replied_at is not None
    # the follow-up's history has it
    update = referral.followup.updates.last()
    assert "اعتبار در بودجه سال آینده پیش‌بینی شد." in update.text
    assert update.author == world.ministry
    # the chair, the secretary and the railway office are told; Fars is not
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"chair", "secretary", "rail"}
    # and the next agenda's carry-over shows the reply
    agenda = selectors.followup_open_for_agenda(
        council=world.isfahan_council,
        before=dt.datetime.now(jalali.TEHRAN) + dt.timedelta(days=1),
    )
    by_pk = {f.pk: f for f in agenda}
    assert by_pk[referral.followup_id].referral.reply == "اعتبار در بودجه سال آینده پیش‌بینی شد."


def test_a_reply_needs_text(world, referrals):
    with pytest.raises(ValidationError) as error:
        services.referral_reply(actor=world.ministry, referral=referrals["old"], reply=" ")
    assert "reply" in error.value.message_dict


def test_the_reply_shows_on_the_councils_followup_page(client, world, referrals):
    referral = referrals["old"]
    services.referral_reply(actor=world.ministry, referral=referral, reply="پاسخ وزارت به شورا")
    client.force_login(world.member_staff)
    response = client.get(reverse("followups:followup_detail", args=[referral.followup_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "hs-referral-reply" in html
    assert "پاسخ وزارت به شورا" in html


def test_inbox_page_lists_referrals_of_several_provinces(client, world, referrals):
    client.force_login(world.ministry)
    response = client.get(reverse("followups:ministry_inbox"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "اصفهان" in html
    assert "فارس" in html
    # the htmx filter answers with the results only
    response = client.get(
        reverse("followups:ministry_inbox"),
        {"province": world.fars_council.province_id},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="inbox-results"' in html
    assert "اصفهان" not in html


def test_inbox_page_is_forbidden_to_a_council_chair(client, world, referrals):
    client.force_login(world.chair)
    assert client.get(reverse("followups:ministry_inbox")).status_code == 403
    url = reverse("followups:referral_detail", args=[referrals["old"].pk])
    assert client.get(url).status_code == 403


def test_the_ministry_replies_through_the_page(client, world, referrals):
    referral = referrals["fars"]
    client.force_login(world.ministry)
    url = reverse("followups:referral_detail", args=[referral.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        reverse("followups:referral_reply", args=[referral.pk]), {"reply": "پاسخ از صفحه"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.reply == "پاسخ از صفحه"
    # an empty reply is shown beside the field
    response = client.post(reverse("followups:referral_reply", args=[referral.pk]), {"reply": ""})
    assert response.status_code == 400
    assert "reply_reply_error" in response.content.decode()
    # assignment through the page
    response = client.post(
        reverse("followups:referral_assign", args=[referral.pk]),
        {"department": "دفتر فنی", "assignee": world.ministry.pk},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.department == "دفتر فنی"
