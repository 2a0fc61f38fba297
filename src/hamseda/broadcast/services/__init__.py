"""Writes of the broadcast app, one module per sub-domain:

- ``pitches``: an office's pitch (create, edit, files, submit) and the chair's review;
- ``dispatches``: the letter to the broadcaster (numbering, PDF, email), the
  broadcaster's answers, and its contact;
- ``common``: audit labels, text cleaning, who is told.

Every write is checked by ``core.policy`` and audited; HTML views and the API
call the same functions (``from hamseda.broadcast import services``).
"""

from hamseda.broadcast.services.dispatches import (
    answer_record,
    contact_save,
    dispatch_create,
    dispatch_pdf,
    dispatch_send,
    format_number,
    next_serial,
)
from hamseda.broadcast.services.pitches import (
    PITCH_FIELDS,
    Decision,
    pitch_create,
    pitch_edit,
    pitch_file_add,
    pitch_file_remove,
    pitch_review,
    pitch_submit,
)

__all__ = [
    "PITCH_FIELDS",
    "Decision",
    "answer_record",
    "contact_save",
    "dispatch_create",
    "dispatch_pdf",
    "dispatch_send",
    "format_number",
    "next_serial",
    "pitch_create",
    "pitch_edit",
    "pitch_file_add",
    "pitch_file_remove",
    "pitch_review",
    "pitch_submit",
]
