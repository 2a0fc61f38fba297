"""Evidence attachments: size and type limits, by extension and by content."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hamseda.core.attachments import validate_attachment
from hamseda.core.tests.uploads import docx, exe, pdf, png


@pytest.mark.parametrize("upload", [pdf(), png(), docx()], ids=["pdf", "png", "docx"])
def test_pdf_images_and_office_documents_are_accepted(upload):
    validate_attachment(upload)


def test_a_file_over_ten_megabytes_is_refused_with_its_size_in_persian(settings):
    settings.FOLLOWUP_ATTACHMENT_MAX_MB = 10
    with pytest.raises(ValidationError) as error:
        validate_attachment(pdf(size=10 * 1024 * 1024 + 1))
    assert error.value.code == "too_large"
    assert "حداکثر حجم مجاز ۱۰ مگابایت" in error.value.messages[0]


def test_a_file_of_exactly_the_limit_is_accepted(settings):
    settings.FOLLOWUP_ATTACHMENT_MAX_MB = 1
    validate_attachment(pdf(size=1024 * 1024))


def test_an_unlisted_extension_is_refused():
    upload = SimpleUploadedFile("notes.txt", b"%PDF-1.4 looks like a pdf")
    with pytest.raises(ValidationError) as error:
        validate_attachment(upload)
    assert error.value.code == "type"
    assert "notes.txt" in error.value.messages[0]


@pytest.mark.parametrize("name", ["setup.exe", "report.pdf", "photo.jpg", "no-extension"])
def test_an_executable_is_refused_whatever_its_name(name):
    with pytest.raises(ValidationError) as error:
        validate_attachment(exe(name))
    assert error.value.code == "executable"
    assert "اجرایی" in error.value.messages[0]


def test_a_script_renamed_to_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_attachment(SimpleUploadedFile("a.pdf", b"#!/bin/sh\nrm -rf /\n"))
    assert error.value.code == "executable"


def test_content_that_does_not_match_the_extension_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_attachment(SimpleUploadedFile("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20))
    assert error.value.code == "content"


def test_a_zip_renamed_to_docx_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.js", "alert(1)")
    with pytest.raises(ValidationError) as error:
        validate_attachment(SimpleUploadedFile("report.docx", buffer.getvalue()))
    assert error.value.code == "content"


def test_an_office_document_with_macros_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_attachment(docx(macro=True))
    assert error.value.code == "macro"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_attachment(SimpleUploadedFile("empty.pdf", b""))
    assert error.value.code == "empty"


def test_the_check_leaves_the_file_readable_from_the_start():
    upload = pdf()
    validate_attachment(upload)
    assert upload.read(5) == b"%PDF-"
