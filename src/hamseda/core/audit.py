"""The audit trail: services record every create, update and delete here.

Why not django-simple-history or django-auditlog: both hook model signals and
record *rows*, while Hamseda's audit speaks in domain events named by the
service (``minutes_approved``, ``person_role_changed``) and must be written in
the service's transaction with the actor the service was given. What is left
to write is a snapshot/diff of a few fields and one insert.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hamseda.core import jalali, persian, policy
from hamseda.core.models import AuditEvent

Changes = dict[str, list[Any]]

# Persian labels of audit events, and of changed "fields" that are not model
# fields (``members``, ``aliases``), shown on a record's history. Apps add theirs
# with ``register_events`` at import of their services module.
EVENT_LABELS: dict[str, Any] = {}
FIELD_LABELS: dict[str, Any] = {}


def register_events(labels: Mapping[str, Any], fields: Mapping[str, Any] | None = None) -> None:
    EVENT_LABELS.update(labels)
    FIELD_LABELS.update(fields or {})


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value."""
    if isinstance(value, models.Model):
        return {"id": value.pk, "label": str(value)}
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields`` (foreign keys as id and label)."""
    values: dict[str, Any] = {}
    for name in fields:
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            values[name] = _plain(getattr(obj, name))
            continue
        if isinstance(field, models.ForeignKey):
            related = getattr(obj, name)
            values[name] = _plain(related) if related is not None else None
        elif isinstance(field, models.ManyToManyField):
            values[name] = sorted(str(o) for o in getattr(obj, name).all())
        else:
            values[name] = _plain(getattr(obj, getattr(field, "attname", name)))
    return values


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    """``{field: [before, after]}`` for each field whose value changed (an empty
    value becoming another empty value, None to "", is no change)."""
    changes: Changes = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old != new and not (_blank(old) and _blank(new)):
            changes[name] = [old, new]
    return changes


def audit_record(
    *,
    actor: Any,
    event: str,
    target: models.Model,
    changes: Changes | None = None,
) -> AuditEvent:
    """Write one audit row. Call inside the service's ``transaction.atomic``."""
    scope: policy.Scope | None = None
    if hasattr(target, "policy_scope"):
        scope = target.policy_scope()
    actor_label = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_label = str(getattr(actor, "display_name", "") or actor)
    return AuditEvent.objects.create(
        actor=actor if actor_label else None,
        actor_label=actor_label,
        event=event,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=str(target.pk),
        target_label=str(target)[:300],
        province_id=scope.province_id if scope else None,
        office_id=scope.office_id if scope else None,
        changes=changes or {},
    )


@dataclass(frozen=True)
class ChangeLine:
    field: str
    before: str
    after: str


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str) and _ISO_DATE.match(value):
        return jalali.format_date(dt.date.fromisoformat(value), "long")
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        return jalali.format_datetime(dt.datetime.fromisoformat(value), "long")
    if isinstance(value, dict) and "label" in value:
        return str(value["label"])
    if isinstance(value, bool):
        return str(_("بله")) if value else str(_("خیر"))
    if isinstance(value, list):
        return "، ".join(_show(v) for v in value) or "—"
    if isinstance(value, dict):
        return "؛ ".join(f"{key}: {_show(v)}" for key, v in value.items()) or "—"
    if isinstance(value, int):
        return persian.fa_digits(value)
    if isinstance(value, float | Decimal):
        return persian.format_number(value)
    if isinstance(value, str) and _DECIMAL.match(value):
        # A Decimal field is stored as its string ("1.50").
        return persian.format_number(Decimal(value))
    return str(value)


def change_lines(event: AuditEvent) -> list[ChangeLine]:
    """The changes of one event with Persian field names, for display."""
    model = event.target_type.model_class()
    lines = []
    for name, pair in event.changes.items():
        # The model's own field label first: the registered labels are for
        # names that are not fields of every model (another app may register
        # the same name with its own meaning).
        field: Any = None
        if model is not None:
            with contextlib.suppress(FieldDoesNotExist):
                field = model._meta.get_field(name)
        verbose = getattr(field, "verbose_name", None)
        label = str(verbose) if verbose else str(FIELD_LABELS.get(name, name))
        before, after = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        choices = dict(getattr(field, "flatchoices", None) or ())
        if choices:
            # Stored as codes ("planned"), shown as their Persian labels.
            before, after = choices.get(before, before), choices.get(after, after)
        lines.append(ChangeLine(field=label, before=_show(before), after=_show(after)))
    return lines


def event_label(event: AuditEvent) -> str:
    return str(EVENT_LABELS.get(event.event, event.event))


def audit_for(*, viewer: Any, target: models.Model, limit: int = 50) -> QuerySet[AuditEvent]:
    """The history of one record, or nothing if ``viewer`` may not see it."""
    if not hasattr(target, "policy_scope") or not policy.can(viewer, "audit.view", target):
        return AuditEvent.objects.none()
    content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
    return (
        AuditEvent.objects.filter(target_type=content_type, target_id=str(target.pk))
        .select_related("target_type")
        .order_by("-created_at", "-id")[:limit]
    )


def audit_history(*, viewer: Any, target: models.Model) -> list[dict[str, Any]]:
    """A record's history ready for ``core/partials/_audit.html``: each event with
    its Persian label and changed fields (empty when ``viewer`` may not see it)."""
    return [
        {"event": event, "label": event_label(event), "lines": change_lines(event)}
        for event in audit_for(viewer=viewer, target=target)
    ]
