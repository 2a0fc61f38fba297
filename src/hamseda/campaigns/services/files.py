"""Writes of a campaign's files (brief, poster, guideline): add and remove."""

from __future__ import annotations

import os

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _g

from hamseda.campaigns.models import Campaign, CampaignFile
from hamseda.campaigns.services.common import clean_text
from hamseda.core import policy
from hamseda.core.attachments import validate_attachment
from hamseda.core.audit import audit_record
from hamseda.directory.models import Person


@transaction.atomic
def file_add(*, actor: Person, campaign: Campaign, title: str, file: File[bytes]) -> CampaignFile:
    """Attach a document to the campaign (brief, poster, guideline): a PDF,
    image or Office document within the size limit (``core.attachments``)."""
    policy.require(actor, "campaign.manage", campaign)
    if file is None:
        raise ValidationError({"file": _g("فایلی انتخاب نشده است.")})
    try:
        validate_attachment(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    name = os.path.basename(file.name or "file")
    title = clean_text(title) or os.path.splitext(name)[0]
    if len(title) > 200:
        raise ValidationError({"title": _g("عنوان فایل حداکثر ۲۰۰ نویسه است.")})
    document = CampaignFile(campaign=campaign, title=title, uploaded_by=actor)
    # The stored name keeps only the base name: the storage makes it unique.
    document.file.save(name, file, save=False)
    document.save()
    audit_record(
        actor=actor,
        event="campaign_file_added",
        target=campaign,
        changes={"campaign_file": [None, f"{title} ({name})"]},
    )
    return document


@transaction.atomic
def file_remove(*, actor: Person, document: CampaignFile) -> None:
    campaign = document.campaign
    policy.require(actor, "campaign.manage", campaign)
    label = f"{document.title} ({os.path.basename(document.file.name or '')})"
    stored = document.file.name
    storage = document.file.storage
    document.delete()
    # The file goes only once the row is surely gone.
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
    audit_record(
        actor=actor,
        event="campaign_file_removed",
        target=campaign,
        changes={"campaign_file": [label, None]},
    )
