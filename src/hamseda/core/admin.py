"""Admin pieces shared by every app: Jalali date inputs, the audit trail."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models

from hamseda.core.forms_jalali import JalaliDateField, JalaliDateTimeField
from hamseda.core.models import AuditEvent


class JalaliAdminMixin:
    """Jalali date and date-time inputs (with the local picker) in the admin,
    instead of Django's Gregorian calendar widgets."""

    def formfield_for_dbfield(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if isinstance(db_field, models.DateTimeField):
            return db_field.formfield(form_class=JalaliDateTimeField, **_without_widget(kwargs))
        if isinstance(db_field, models.DateField):
            return db_field.formfield(form_class=JalaliDateField, **_without_widget(kwargs))
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]

    @property
    def media(self) -> forms.Media:
        return super().media + forms.Media(  # type: ignore[misc]
            css={"all": ["vendor/jalalidatepicker/jalalidatepicker.min.css"]},
            js=["vendor/jalalidatepicker/jalalidatepicker.min.js", "hamseda/admin-jalali.js"],
        )


def _without_widget(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in kwargs.items() if key != "widget"}


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_label", "event", "target_label"]
    list_filter = ["event"]
    search_fields = ["target_label", "actor_label"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
