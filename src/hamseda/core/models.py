"""Cross-cutting records: the audit trail, worker heartbeats."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("زمان ایجاد"), auto_now_add=True)
    updated_at = models.DateTimeField(_("زمان آخرین تغییر"), auto_now=True)

    class Meta:
        abstract = True


class SearchKeyed(models.Model):
    """A record found by Persian full-text search: ``text_key`` holds the
    ``persian.compact_key`` of the fields named in ``search_fields``, refreshed
    on every save (bulk loaders call ``fill_text_key`` themselves). A query
    matches when each of its words (``persian.query_terms``) is a substring."""

    search_fields: tuple[str, ...] = ()
    text_key = models.TextField(editable=False, default="")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_text_key()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "text_key"}
        super().save(*args, **kwargs)

    def fill_text_key(self) -> None:
        from hamseda.core import persian

        text = " ".join(str(getattr(self, name) or "") for name in self.search_fields)
        self.text_key = persian.compact_key(text)


class AuditEvent(models.Model):
    """One change made through a service: who, when, what, and the fields that
    changed (``{"field": [before, after]}``). Written in the service's own
    transaction by ``core.audit.audit_record``, so a rolled-back change leaves
    no trace and a committed one always has its row.

    ``province_id``/``office_id`` copy the target's policy scope at the time of
    the change; ``core.audit.audit_for`` filters on them without loading targets.
    """

    created_at = models.DateTimeField(_("زمان"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("انجام‌دهنده"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("نام انجام‌دهنده"), max_length=200, blank=True)
    event = models.CharField(_("رویداد"), max_length=80, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64)
    target_label = models.CharField(_("رکورد"), max_length=300, blank=True)
    province_id = models.BigIntegerField(null=True, blank=True)
    office_id = models.BigIntegerField(null=True, blank=True)
    changes = models.JSONField(_("تغییرات"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("رویداد ممیزی")
        verbose_name_plural = _("سابقه تغییرات")
        indexes = [models.Index(fields=["target_type", "target_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.event} {self.target_label}"


class WorkerHeartbeat(models.Model):
    """Last sign of life of each Celery worker (``core.tasks.worker_heartbeat``,
    scheduled by beat); ``GET /healthz`` reports the freshest one. Kept in the
    database so it is shared by every machine without another service."""

    worker = models.CharField(max_length=200, primary_key=True)
    seen_at = models.DateTimeField()

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return self.worker


class Notification(models.Model):
    """An in-app notice to one person (and, if wanted, an email); written by
    ``core.notifications.notify``, which every feature uses. ``dedupe_key``
    makes a notice idempotent: the same key for the same person is stored once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("عنوان"), max_length=300)
    body = models.TextField(_("متن"), blank=True)
    url = models.CharField(_("پیوند"), max_length=500, blank=True)
    dedupe_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("اعلان")
        verbose_name_plural = _("اعلان‌ها")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notification_once_per_key"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title
