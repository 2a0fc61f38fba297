"""The broadcast services: an office writes and submits a pitch, the chair
reviews it, approved pitches go out in a numbered letter, and the
broadcaster's answer is recorded per pitch."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from hamseda.broadcast import services
from hamseda.broadcast.models import Dispatch, Outcome, Pitch, PitchStatus
from hamseda.broadcast.tests.factories import (
    approved_pitch,
    isfahan_contact,
    make_dispatch,
    make_pitch,
    pdf,
)
from hamseda.campaigns.tests.factories import make_campaign
from hamseda.core import jalali
from hamseda.core.models import AuditEvent, Notification
from hamseda.core.tests.uploads import exe
from hamseda.directory.tests.factories import AgencyFactory, OfficeFactory, province

pytestmark = pytest.mark.django_db

TODAY = jalali.today()
Decision = services.Decision


def events(target) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            target_id=str(target.pk), target_type=ContentType.objects.get_for_model(target)
        )
        .order_by("id")
        .values_list("event", flat=True)
    )


# --- pitches ---------------------------------------------------------------------------


def test_an_office_writes_a_draft_that_nobody_is_told_about(world):
    pitch = make_pitch(world.member_staff, title="  قطار گردشگري كاشان ")
    assert pitch.status == PitchStatus.DRAFT
    assert pitch.office == world.member_office
    # Arabic ي/ك typed on a phone are stored as Persian letters
    assert pitch.title == "قطار گردشگری کاشان"
    assert events(pitch) == ["pitch_created"]
    assert not Notification.objects.filter(recipient=world.chair).exists()


def test_submitting_tells_the_chair_of_the_province(world):
    pitch = make_pitch(world.member_staff)
    services.pitch_submit(actor=world.member_staff, pitch=pitch)
    pitch.refresh_from_db()
    assert pitch.status == PitchStatus.SUBMITTED
    assert pitch.submitted_at is not None
    notice = Notification.objects.get(recipient=world.chair)
    assert pitch.title in notice.title
    assert not Notification.objects.filter(recipient=world.fars_chair).exists()


def test_a_pitch_needs_a_title_a_summary_and_a_format(world):
    with pytest.raises(ValidationError) as error:
        make_pitch(world.member_staff, title=" ", summary="", format="podcast")
    assert set(error.value.message_dict) == {"title", "summary", "format"}
    assert not Pitch.objects.exists()


def test_an_office_pitches_only_for_itself(world):
    with pytest.raises(PermissionDenied):
        services.pitch_create(
            actor=world.member_staff,
            office=world.chair_office,
            title="سوژه",
            summary="خلاصه",
            format="news",
        )


def test_a_campaign_of_another_province_is_refused_beside_the_field(world):
    fars_campaign = make_campaign(
        world,
        actor=world.fars_chair,
        province=world.fars_council.province,
        co_owners=[world.fars_office],
        participants=[],
    )
    with pytest.raises(ValidationError) as error:
        make_pitch(world.member_staff, campaign=fars_campaign)
    assert "campaign" in error.value.message_dict


def test_a_disguised_program_is_refused_as_an_attachment(world):
    with pytest.raises(ValidationError) as error:
        make_pitch(world.member_staff, files=[exe()])
    assert "file" in error.value.message_dict
    assert not Pitch.objects.exists()


def test_files_are_kept_with_the_pitch(world):
    pitch = make_pitch(world.member_staff, files=[pdf("plan.pdf")])
    assert [f.title for f in pitch.files.all()] == ["plan"]
    assert "pitch_file_added" in events(pitch)


def test_a_submitted_pitch_cannot_be_edited_but_a_returned_one_can(world):
    pitch = make_pitch(world.member_staff, submit=True)
    with pytest.raises(ValidationError):
        services.pitch_edit(actor=world.member_staff, pitch=pitch, title="عنوان تازه")
    services.pitch_review(
        actor=world.chair, pitch=pitch, decision=Decision.RETURN, comment="مکان را دقیق کنید."
    )
    services.pitch_edit(actor=world.member_staff, pitch=pitch, place="ایستگاه کاشان")
    services.pitch_submit(actor=world.member_staff, pitch=pitch)
    pitch.refresh_from_db()
    assert pitch.place == "ایستگاه کاشان"
    assert pitch.status == PitchStatus.SUBMITTED
    assert events(pitch) == [
        "pitch_created",
        "pitch_submitted",
        "pitch_returned",
        "pitch_edited",
        "pitch_submitted",
    ]


# --- review ----------------------------------------------------------------------------


def test_the_chair_approves_and_the_office_is_told(world):
    pitch = make_pitch(world.member_staff, submit=True)
    services.pitch_review(actor=world.chair, pitch=pitch, decision=Decision.APPROVE)
    pitch.refresh_from_db()
    assert pitch.status == PitchStatus.APPROVED
    assert pitch.approved_on == TODAY
    assert pitch.reviewed_by == world.chair
    assert Notification.objects.filter(
        recipient=world.member_staff, title__contains="تأیید"
    ).exists()


def test_returning_or_rejecting_needs_a_reason(world):
    pitch = make_pitch(world.member_staff, submit=True)
    for decision in (Decision.RETURN, Decision.REJECT):
        with pytest.raises(ValidationError) as error:
            services.pitch_review(actor=world.chair, pitch=pitch, decision=decision, comment=" ")
        assert "comment" in error.value.message_dict
    pitch.refresh_from_db()
    assert pitch.status == PitchStatus.SUBMITTED


@pytest.mark.parametrize("reviewer", ["secretary", "member_staff", "fars_chair", "ministry"])
def test_only_the_chair_of_the_province_reviews(world, reviewer):
    pitch = make_pitch(world.member_staff, submit=True)
    with pytest.raises(PermissionDenied):
        services.pitch_review(
            actor=getattr(world, reviewer), pitch=pitch, decision=Decision.APPROVE
        )


def test_a_draft_cannot_be_reviewed(world):
    pitch = make_pitch(world.member_staff)
    with pytest.raises(ValidationError):
        services.pitch_review(actor=world.chair, pitch=pitch, decision=Decision.APPROVE)


# --- dispatches ------------------------------------------------------------------------


def test_a_dispatch_is_numbered_per_province_and_jalali_year(world):
    first = make_dispatch(world)
    second = make_dispatch(world)
    year = jalali.to_jalali(TODAY).year
    assert first.number == f"{year}/0001"
    assert second.number == f"{year}/0002"
    assert first.number_fa == first.number.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    # the first letter of the next Jalali year starts again at 1
    next_year = jalali.from_jalali(year + 1, 1, 5)
    third = make_dispatch(world, date=next_year)
    assert third.number == f"{year + 1}/0001"


def test_a_dispatch_takes_approved_pitches_marks_them_and_stores_the_letter(world):
    a = approved_pitch(world)
    b = approved_pitch(world, world.staff, title="بزرگراه شرق")
    dispatch = make_dispatch(world, [a, b])
    assert [i.pitch for i in dispatch.items.order_by("position")] == [a, b]
    assert set(Pitch.objects.values_list("status", flat=True)) == {PitchStatus.DISPATCHED}
    assert dispatch.pdf.name.endswith(".pdf")
    with dispatch.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert dispatch.recipient == "صدا و سیمای مرکز اصفهان"
    assert events(dispatch) == ["dispatch_created"]
    assert Notification.objects.filter(
        recipient=world.member_staff, dedupe_key=f"pitch-{a.pk}-dispatched"
    ).exists()


def test_a_pitch_not_approved_is_not_dispatched(world):
    isfahan_contact(world)
    submitted = make_pitch(world.member_staff, submit=True)
    with pytest.raises(ValidationError) as error:
        services.dispatch_create(actor=world.chair, pitches=[submitted], subject="نامه")
    assert "pitches" in error.value.message_dict
    assert not Dispatch.objects.exists()


def test_a_pitch_goes_out_once(world):
    pitch = approved_pitch(world)
    make_dispatch(world, [pitch])
    with pytest.raises(ValidationError):
        make_dispatch(world, [pitch])


def test_a_letter_holds_pitches_of_one_province(world):
    isfahan_contact(world)
    other = OfficeFactory(agency=AgencyFactory(province=province("isfahan")))
    assert other  # an unrelated office exists; the Fars pitch is what matters
    fars_pitch = make_pitch(world.fars_chair, submit=True)
    services.pitch_review(actor=world.fars_chair, pitch=fars_pitch, decision=Decision.APPROVE)
    with pytest.raises(ValidationError) as error:
        services.dispatch_create(
            actor=world.admin, pitches=[approved_pitch(world), fars_pitch], subject="نامه"
        )
    assert "pitches" in error.value.message_dict


def test_without_the_broadcasters_contact_there_is_no_letter(world):
    with pytest.raises(ValidationError) as error:
        services.dispatch_create(actor=world.chair, pitches=[approved_pitch(world)], subject="x")
    assert "صدا و سیمای استان" in error.value.messages[0]


def test_office_staff_cannot_dispatch(world):
    isfahan_contact(world)
    with pytest.raises(PermissionDenied):
        services.dispatch_create(
            actor=world.member_staff, pitches=[approved_pitch(world)], subject="نامه"
        )


def test_the_contact_is_saved_once_per_province_with_unique_programmes(world):
    isfahan_contact(world)
    contact = services.contact_save(
        actor=world.secretary,
        province=world.isfahan_council.province,
        name="صدا و سیمای مرکز اصفهان",
        email="sima@isfahan.example",
        programmes=["گزارش ویژه", "گزارش  ويژه", "نصف جهان", ""],
    )
    assert contact.programmes == ["گزارش ویژه", "نصف جهان"]
    with pytest.raises(ValidationError) as error:
        services.contact_save(
            actor=world.chair, province=world.isfahan_council.province, name="", email="x"
        )
    assert set(error.value.message_dict) == {"name", "email"}
    with pytest.raises(PermissionDenied):
        services.contact_save(
            actor=world.fars_chair,
            province=world.isfahan_council.province,
            name="x",
            email="a@b.example",
        )


# --- answers ---------------------------------------------------------------------------


def test_an_aired_answer_needs_its_date_and_programme(world):
    item = make_dispatch(world).items.get()
    with pytest.raises(ValidationError) as error:
        services.answer_record(actor=world.secretary, item=item, outcome=Outcome.AIRED)
    assert set(error.value.message_dict) == {"aired_on", "programme"}
    with pytest.raises(ValidationError) as error:
        services.answer_record(
            actor=world.secretary,
            item=item,
            outcome=Outcome.AIRED,
            aired_on=TODAY + dt.timedelta(days=1),
            programme="گزارش ویژه",
            link="not a link",
        )
    assert set(error.value.message_dict) == {"aired_on", "link"}


def test_an_aired_answer_is_recorded_audited_and_told_to_the_office(world):
    item = make_dispatch(world).items.get()
    services.answer_record(
        actor=world.secretary,
        item=item,
        outcome=Outcome.AIRED,
        aired_on=TODAY,
        programme="گزارش ویژه",
        link="https://isfahan.example/v/1",
    )
    item.refresh_from_db()
    assert (item.outcome, item.aired_on, item.programme) == (Outcome.AIRED, TODAY, "گزارش ویژه")
    assert item.answered_by == world.secretary
    assert "pitch_answered" in events(item.pitch)
    assert Notification.objects.filter(recipient=world.member_staff, title__contains="پخش").exists()


def test_a_declined_answer_drops_the_programme(world):
    item = make_dispatch(world).items.get()
    services.answer_record(
        actor=world.chair, item=item, outcome=Outcome.DECLINED, programme="x", note="تکراری است"
    )
    item.refresh_from_db()
    assert (item.outcome, item.programme, item.aired_on, item.note) == (
        Outcome.DECLINED,
        "",
        None,
        "تکراری است",
    )


def test_only_the_chair_and_secretary_record_answers(world):
    item = make_dispatch(world).items.get()
    with pytest.raises(PermissionDenied):
        services.answer_record(actor=world.member_staff, item=item, outcome=Outcome.ACCEPTED)
