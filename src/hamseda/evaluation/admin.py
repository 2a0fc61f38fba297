"""Django admin for evaluation: for looking things up. Cycles, catalogues,
ratings and objections change through their pages and services (audited, and
re-ranked); results are written only by the engine, so they are read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hamseda.evaluation.models import (
    Appeal,
    Assignment,
    Criterion,
    Cycle,
    ProvinceResult,
    Rating,
    Result,
    SelfAssessment,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ("position", "code", "kind", "name", "weight", "provider", "normalisation", "target")
    readonly_fields = fields
    can_delete = False


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdmin):
    list_display = ("title", "year", "quarter", "status", "catalogue_version", "ranked_at")
    list_filter = ("status", "year")
    inlines = [CriterionInline]


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ("cycle", "office", "province", "total", "rank", "rank_in_province", "tier")
    list_filter = ("cycle", "province")
    search_fields = ("office__name_key",)
    list_select_related = ("cycle", "office", "province")


@admin.register(ProvinceResult)
class ProvinceResultAdmin(ReadOnlyAdmin):
    list_display = ("cycle", "province", "total", "rank", "tier", "offices")
    list_filter = ("cycle",)
    list_select_related = ("cycle", "province")


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("criterion", "office", "evaluator", "level", "updated_at")
    list_filter = ("criterion__cycle",)
    list_select_related = ("criterion", "office", "evaluator")


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(ReadOnlyAdmin):
    list_display = ("criterion", "office", "level", "updated_at")
    list_select_related = ("criterion", "office")


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("cycle", "evaluator", "office")
    list_filter = ("cycle",)
    list_select_related = ("cycle", "evaluator", "office")


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ("cycle", "office", "criterion", "status", "created_at", "answered_at")
    list_filter = ("cycle", "status")
    list_select_related = ("cycle", "office", "criterion")
