"""What an uploaded file may be (follow-up evidence, activity and campaign files):
size and type limits, checked by each upload form and again by the services,
so an API client or a script meets the same rule.

The type is checked twice: by the file name's extension (a whitelist) and by
the first bytes of the content (its "magic number"), so that ``report.pdf``
that is really a Windows program is refused, and so is a file without any
extension. Office documents of 2007 and later are ZIP archives; for those the
archive's own table of contents is read as well, so that any ZIP renamed to
``.docx`` is not let through, nor a document carrying macros.
"""

from __future__ import annotations

import os
import zipfile
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hamseda.core.persian import fa_digits

# Settings may lower or raise the limit; 10 MB fits a scanned letter or a
# dozen photos of a finished job, and keeps the media folder's growth sane.
DEFAULT_MAX_MB = 10

PDF = b"%PDF-"
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
GIF = (b"GIF87a", b"GIF89a")
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .ppt (Office 97-2003)
ZIP = b"PK\x03\x04"  # .docx, .xlsx, .pptx, .odt, .ods, .odp

# Programs and scripts, whatever they are named.
EXECUTABLE_SIGNATURES = (
    b"MZ",  # Windows .exe, .dll, .scr
    b"\x7fELF",  # Linux
    b"\xcf\xfa\xed\xfe",  # macOS Mach-O 64-bit
    b"\xce\xfa\xed\xfe",  # Mach-O 32-bit
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
    b"#!",  # shell, Python, Perl scripts
)

# extension → how its content must begin.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (PDF,),
    "png": (PNG,),
    "jpg": (JPEG,),
    "jpeg": (JPEG,),
    "gif": GIF,
    "webp": (b"RIFF",),  # and "WEBP" at offset 8, checked below
    "doc": (OLE2,),
    "xls": (OLE2,),
    "ppt": (OLE2,),
    "docx": (ZIP,),
    "xlsx": (ZIP,),
    "pptx": (ZIP,),
    "odt": (ZIP,),
    "ods": (ZIP,),
    "odp": (ZIP,),
}
ALLOWED_EXTENSIONS = frozenset(_SIGNATURES)
_OOXML = frozenset({"docx", "xlsx", "pptx"})
_ODF = frozenset({"odt", "ods", "odp"})
# The part of an OOXML package that holds each kind's main document.
_OOXML_MAIN = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


def max_bytes() -> int:
    return int(getattr(settings, "FOLLOWUP_ATTACHMENT_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024


def _types_message() -> str:
    return _(
        "فقط این نوع پرونده‌ها را می‌توان پیوست کرد: PDF، تصویر (JPG، PNG، GIF، WebP) "
        "و اسناد Office (Word، Excel، PowerPoint و نمونه‌های OpenDocument)."
    )


def _read_head(file: Any, size: int = 16) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head: bytes = file.read(size)
    file.seek(position)
    return head


def _zip_names(file: IO[bytes]) -> list[str] | None:
    position = file.tell()
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        file.seek(position)


def validate_attachment(file: Any) -> None:
    """Refuse ``file`` (an uploaded or stored Django ``File``) with a Persian
    message fit to show beside the upload field, unless it is a PDF, an image
    or an Office document of at most ``FOLLOWUP_ATTACHMENT_MAX_MB`` megabytes
    whose content agrees with its extension."""
    name = os.path.basename(getattr(file, "name", "") or "")
    size = getattr(file, "size", None)
    if size is None:
        raise ValidationError(_("پرونده پیوست خوانده نشد."), code="invalid")
    if size == 0:
        raise ValidationError(_("پرونده پیوست خالی است."), code="empty")
    limit = max_bytes()
    if size > limit:
        raise ValidationError(
            _("حجم پیوست %(size)s مگابایت است؛ حداکثر حجم مجاز %(limit)s مگابایت است.")
            % {
                "size": fa_digits(f"{size / 1024 / 1024:.1f}"),
                "limit": fa_digits(limit // (1024 * 1024)),
            },
            code="too_large",
        )
    head = _read_head(file)
    if head.startswith(EXECUTABLE_SIGNATURES):
        raise ValidationError(
            _("پرونده‌های اجرایی و اسکریپت را نمی‌توان پیوست کرد. %(types)s")
            % {"types": _types_message()},
            code="executable",
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("نوع پرونده «%(name)s» پذیرفته نیست. %(types)s")
            % {"name": name or "—", "types": _types_message()},
            code="type",
        )
    mismatch = ValidationError(
        _(
            "محتوای پرونده «%(name)s» با پسوند «.%(ext)s» آن جور نیست؛ "
            "پرونده را دوباره با همان نرم‌افزاری که ساخته شده ذخیره کنید و پیوست کنید."
        )
        % {"name": name, "ext": extension},
        code="content",
    )
    if not head.startswith(_SIGNATURES[extension]):
        raise mismatch
    if extension == "webp" and head[8:12] != b"WEBP":
        raise mismatch
    if extension in _OOXML or extension in _ODF:
        names = _zip_names(file)
        if names is None:
            raise mismatch
        if extension in _OOXML and (
            "[Content_Types].xml" not in names
            or not any(n.startswith(_OOXML_MAIN[extension]) for n in names)
        ):
            raise mismatch
        if extension in _ODF and "mimetype" not in names:
            raise mismatch
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise ValidationError(
                _("سندهای دارای ماکرو را نمی‌توان پیوست کرد؛ سند را بدون ماکرو ذخیره کنید."),
                code="macro",
            )
