"""Follow-ups for tests, made the way the meetings app makes them: a meeting and
a resolution written with the ORM, then ``followup_sync_for_resolution``."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hamseda.directory.models import Council, Office, Person
from hamseda.followups.models import FollowUp
from hamseda.followups.services import followup_sync_for_resolution
from hamseda.meetings.models import Decision, Meeting, Resolution


def make_meeting(council: Council, *, starts_at: dt.datetime | None = None) -> Meeting:
    number = Meeting.objects.filter(council=council).count() + 1
    return Meeting.objects.create(
        council=council,
        number=number,
        starts_at=starts_at or timezone.now() - dt.timedelta(days=30),
        place="سالن جلسات",
    )


def make_followup(
    council: Council,
    offices: Iterable[Office],
    *,
    actor: Person,
    due_date: dt.date | None = None,
    referred: bool = False,
    text: str = "تهیه گزارش تصویری پیشرفت پروژه‌های نهضت ملی مسکن",
    meeting: Meeting | None = None,
) -> FollowUp:
    meeting = meeting or make_meeting(council)
    number = Resolution.objects.filter(meeting=meeting).count() + 1
    resolution = Resolution.objects.create(
        meeting=meeting,
        number=number,
        text=text,
        decision=Decision.REFERRED if referred else Decision.ASSIGNED,
        due_date=due_date,
    )
    resolution.responsible_offices.set(list(offices))
    followup = followup_sync_for_resolution(resolution=resolution, actor=actor)
    assert followup is not None
    return followup


# --- files ---------------------------------------------------------------------------


def pdf(name: str = "evidence.pdf", size: int = 0) -> SimpleUploadedFile:
    body = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"
    if size:
        body = body + b"0" * (size - len(body))
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")


def docx(name: str = "report.docx", *, macro: bool = False) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if macro:
            archive.writestr("word/vbaProject.bin", b"\x00")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def exe(name: str = "setup.exe") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 60, content_type="application/pdf")
