"""Writes of follow-ups: progress, closing, reopening, cancelling, reassigning,
and who may do each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hamseda.core import jalali
from hamseda.core.models import AuditEvent, Notification
from hamseda.followups import services
from hamseda.followups.models import FollowUp, FollowUpStatus, FollowUpUpdate
from hamseda.followups.tests.factories import exe, make_followup, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def followup(world):
    """A resolution assigned to the member office (railway), due in ten days."""
    return make_followup(
        world.isfahan_council,
        [world.member_office],
        actor=world.secretary,
        due_date=jalali.today() + dt.timedelta(days=10),
    )


# --- progress ----------------------------------------------------------------------


def test_staff_of_a_responsible_office_adds_progress_with_evidence(world, followup):
    # when the railway's PR staff report progress with a PDF
    update = services.followup_update_add(
        actor=world.member_staff,
        followup=followup,
        text="گزارش اولیه تهیه شد",
        status=FollowUpStatus.IN_PROGRESS,
        attachment=pdf(),
    )
    # then the history has it, with the evidence, and the follow-up is in progress
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.IN_PROGRESS
    assert update.author == world.member_staff
    assert update.status_from == FollowUpStatus.OPEN
    assert update.status_to == FollowUpStatus.IN_PROGRESS
    assert update.attachment.name.endswith(".pdf")
    assert update.attachment.read(5) == b"%PDF-"
    assert AuditEvent.objects.filter(event="followup_progress_added").count() == 1


def test_staff_of_an_office_not_responsible_cannot_update(world, followup):
    # the chair's office staff are in the same province, but not responsible
    with pytest.raises(PermissionDenied):
        services.followup_update_add(actor=world.staff, followup=followup, text="گزارش")
    assert not FollowUpUpdate.objects.filter(text="گزارش").exists()


@pytest.mark.parametrize("persona", ["chair", "secretary", "member_staff", "admin"])
def test_the_council_chair_secretary_and_responsible_staff_may_update(world, followup, persona):
    services.followup_update_add(actor=getattr(world, persona), followup=followup, text="پیشرفت")


@pytest.mark.parametrize("persona", ["staff", "partner", "evaluator", "fars_chair", "ministry"])
def test_everyone_else_may_not_update(world, followup, persona):
    with pytest.raises(PermissionDenied):
        services.followup_update_add(actor=getattr(world, persona), followup=followup, text="x")


def test_progress_needs_text(world, followup):
    with pytest.raises(ValidationError) as error:
        services.followup_update_add(actor=world.member_staff, followup=followup, text="  ")
    assert "text" in error.value.message_dict


def test_progress_cannot_mark_done_without_the_close_service(world, followup):
    with pytest.raises(ValidationError) as error:
        services.followup_update_add(
            actor=world.member_staff, followup=followup, text="تمام", status=FollowUpStatus.DONE
        )
    assert "status" in error.value.message_dict


def test_an_executable_is_refused_as_evidence_beside_the_field(world, followup):
    with pytest.raises(ValidationError) as error:
        services.followup_update_add(
            actor=world.member_staff, followup=followup, text="مدرک", attachment=exe("scan.pdf")
        )
    assert "اجرایی" in error.value.message_dict["attachment"][0]
    assert not FollowUpUpdate.objects.filter(text="مدرک").exists()


def test_a_too_large_attachment_is_refused_beside_the_field(world, followup, settings):
    settings.FOLLOWUP_ATTACHMENT_MAX_MB = 1
    with pytest.raises(ValidationError) as error:
        services.followup_update_add(
            actor=world.member_staff,
            followup=followup,
            text="مدرک",
            attachment=pdf(size=1024 * 1024 + 10),
        )
    assert "مگابایت" in error.value.message_dict["attachment"][0]


# --- close and reopen ----------------------------------------------------------------


def test_closing_without_a_note_or_evidence_is_a_field_error(world, followup):
    with pytest.raises(ValidationError) as error:
        services.followup_close(actor=world.member_staff, followup=followup, note="  ")
    assert "note" in error.value.message_dict
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.OPEN
    assert followup.closed_at is None


def test_closing_with_a_note_sets_closed_at(world, followup):
    services.followup_close(actor=world.member_staff, followup=followup, note="گزارش منتشر شد")
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.DONE
    assert followup.closed_at is not None
    assert followup.close_note == "گزارش منتشر شد"
    last = followup.updates.last()
    assert (last.status_from, last.status_to) == (FollowUpStatus.OPEN, FollowUpStatus.DONE)


def test_closing_with_evidence_only_is_enough(world, followup):
    services.followup_close(actor=world.member_staff, followup=followup, attachment=pdf())
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.DONE
    assert followup.updates.last().attachment


def test_closing_with_a_forbidden_file_is_refused(world, followup):
    with pytest.raises(ValidationError) as error:
        services.followup_close(
            actor=world.member_staff, followup=followup, attachment=exe("setup.exe")
        )
    assert "attachment" in error.value.message_dict
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.OPEN


def test_a_closed_followup_takes_no_progress_until_reopened(world, followup):
    services.followup_close(actor=world.member_staff, followup=followup, note="انجام شد")
    with pytest.raises(ValidationError):
        services.followup_update_add(actor=world.member_staff, followup=followup, text="باز هم")
    with pytest.raises(ValidationError):
        services.followup_close(actor=world.member_staff, followup=followup, note="دوباره")


def test_only_managers_reopen_and_reopening_clears_closed_at(world, followup):
    services.followup_close(actor=world.member_staff, followup=followup, note="انجام شد")
    with pytest.raises(PermissionDenied):
        services.followup_reopen(actor=world.member_staff, followup=followup)
    services.followup_reopen(actor=world.secretary, followup=followup, reason="گزارش ناقص است")
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.OPEN
    assert followup.closed_at is None
    assert followup.updates.last().text == "گزارش ناقص است"
    assert AuditEvent.objects.filter(event="followup_reopened").exists()


def test_reopening_an_open_followup_is_an_error(world, followup):
    with pytest.raises(ValidationError):
        services.followup_reopen(actor=world.chair, followup=followup)


# --- cancel and reassign -------------------------------------------------------------


def test_cancel_needs_a_reason_and_the_manage_permission(world, followup):
    with pytest.raises(PermissionDenied):
        services.followup_cancel(actor=world.member_staff, followup=followup, reason="x")
    with pytest.raises(ValidationError) as error:
        services.followup_cancel(actor=world.chair, followup=followup, reason="")
    assert "reason" in error.value.message_dict
    services.followup_cancel(actor=world.chair, followup=followup, reason="موضوع منتفی شد")
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.CANCELLED


def test_reassign_changes_offices_and_due_date_and_tells_the_new_office(world, followup):
    # given a follow-up of the railway that was escalated already
    FollowUp.objects.filter(pk=followup.pk).update(
        escalated_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    )
    followup.refresh_from_db()
    new_due = jalali.today() + dt.timedelta(days=20)
    # when the secretary gives it to the chair's office
    services.followup_reassign(
        actor=world.secretary, followup=followup, offices=[world.chair_office], due_date=new_due
    )
    # then
    followup = FollowUp.objects.get(pk=followup.pk)
    assert list(followup.offices.all()) == [world.chair_office]
    assert followup.due_date == new_due
    assert followup.escalated_at is None
    assert Notification.objects.filter(recipient=world.staff).count() == 1
    assert not Notification.objects.filter(recipient=world.member_staff).exists()
    event = AuditEvent.objects.get(event="followup_reassigned")
    assert event.changes["offices"] == [[world.member_office.name], [world.chair_office.name]]
    # and now the railway may no longer update it, the chair's office may
    with pytest.raises(PermissionDenied):
        services.followup_update_add(actor=world.member_staff, followup=followup, text="x")
    services.followup_update_add(actor=world.staff, followup=followup, text="شروع شد")


def test_reassign_refuses_offices_of_another_province_and_a_past_date(world, followup):
    with pytest.raises(ValidationError) as error:
        services.followup_reassign(
            actor=world.chair,
            followup=followup,
            offices=[world.fars_office],
            due_date=jalali.today() - dt.timedelta(days=1),
        )
    assert set(error.value.message_dict) == {"offices", "due_date"}


def test_reassign_needs_the_manage_permission(world, followup):
    with pytest.raises(PermissionDenied):
        services.followup_reassign(
            actor=world.member_staff,
            followup=followup,
            offices=[world.member_office],
            due_date=followup.due_date,
        )


def test_sync_after_a_decision_change_still_cancels_an_open_followup(world, followup):
    resolution = followup.resolution
    resolution.decision = "resolved"
    resolution.save()
    services.followup_sync_for_resolution(resolution=resolution, actor=world.secretary)
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.CANCELLED
