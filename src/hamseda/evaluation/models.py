"""Evaluation of PR offices: cycles, their catalogue of criteria, the values and
ratings behind each score, the ranking, and objections to it.

A cycle's catalogue (``Criterion`` rows) is edited while the cycle is a draft and
frozen when scoring starts (``Cycle.catalogue_version`` counts the freezes). The
engine (``services.compute``) stores each criterion's values per office
(``Criterion.values``) from the indicator providers, and ``Result`` /
``ProvinceResult`` rows from values and ratings; both are replaced whole on
every run, so a ranking is always one consistent snapshot.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hamseda.core import jalali, persian
from hamseda.core.models import TimeStamped
from hamseda.core.policy import Scope

LEVELS = (1, 2, 3, 4, 5)


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("پیش‌نویس")
    SCORING = "scoring", _("در حال ارزیابی")
    APPEALS = "appeals", _("مهلت اعتراض")
    CLOSED = "closed", _("نهایی")


class Cycle(TimeStamped):
    year = models.PositiveSmallIntegerField(
        _("سال"), validators=[MinValueValidator(1390), MaxValueValidator(1500)]
    )
    # 0: the whole Jalali year; 1..4: a quarter (three Jalali months).
    quarter = models.PositiveSmallIntegerField(
        _("فصل"), default=0, validators=[MaxValueValidator(4)]
    )
    title = models.CharField(_("عنوان"), max_length=200)
    status = models.CharField(
        _("وضعیت"), max_length=10, choices=CycleStatus.choices, default=CycleStatus.DRAFT
    )
    # [{"min": 85, "label": "ممتاز"}, ...] highest first; a total gets the first
    # tier whose minimum it reaches.
    tiers = models.JSONField(_("سطح‌بندی"), default=list, blank=True)
    catalogue_version = models.PositiveIntegerField(_("نسخه فهرست شاخص‌ها"), default=0)
    frozen_at = models.DateTimeField(_("زمان قطعی شدن شاخص‌ها"), null=True, blank=True)
    appeals_from = models.DateField(_("آغاز مهلت اعتراض"), null=True, blank=True)
    appeals_until = models.DateField(_("پایان مهلت اعتراض"), null=True, blank=True)
    values_computed_at = models.DateTimeField(_("زمان محاسبه شاخص‌های کمی"), null=True, blank=True)
    ranked_at = models.DateTimeField(_("زمان آخرین رتبه‌بندی"), null=True, blank=True)
    closed_at = models.DateTimeField(_("زمان نهایی شدن"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ایجادکننده"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = _("دوره ارزیابی")
        verbose_name_plural = _("دوره‌های ارزیابی")
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="evaluation_cycle_period"),
            models.CheckConstraint(
                condition=Q(quarter__lte=4), name="evaluation_cycle_quarter_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evaluation:cycle_detail", args=[self.pk])

    def policy_scope(self) -> Scope:
        return Scope(province_id=None, office_id=None)

    @property
    def bounds(self) -> tuple[Any, Any]:
        """First and last Gregorian day of the cycle's Jalali period."""
        if not self.quarter:
            return jalali.jalali_year_bounds(self.year)
        first = 3 * (self.quarter - 1) + 1
        start, _end = jalali.jalali_month_bounds(self.year, first)
        _start, end = jalali.jalali_month_bounds(self.year, first + 2)
        return start, end

    @property
    def start_date(self) -> Any:
        return self.bounds[0]

    @property
    def end_date(self) -> Any:
        return self.bounds[1]

    @property
    def is_frozen(self) -> bool:
        return self.status != CycleStatus.DRAFT

    def period_label(self) -> str:
        if not self.quarter:
            return str(_("سال {year}")).format(year=persian.fa_digits(self.year))
        names = {1: _("بهار"), 2: _("تابستان"), 3: _("پاییز"), 4: _("زمستان")}
        return f"{names[self.quarter]} {persian.fa_digits(self.year)}"

    def tier_of(self, total: float | None) -> str:
        if total is None:
            return ""
        for tier in sorted(self.tiers, key=lambda t: -float(t["min"])):
            if total >= float(tier["min"]):
                return str(tier["label"])
        return ""

    def appeals_open_on(self, day: Any) -> bool:
        return (
            self.status in (CycleStatus.SCORING, CycleStatus.APPEALS)
            and self.appeals_from is not None
            and self.appeals_until is not None
            and self.appeals_from <= day <= self.appeals_until
        )


class CriterionKind(models.TextChoices):
    QUANTITATIVE = "quantitative", _("کمی")
    QUALITATIVE = "qualitative", _("کیفی")


class Normalisation(models.TextChoices):
    TARGET = "target", _("نسبت به هدف")
    MINMAX = "minmax", _("کمینه–بیشینه میان روابط عمومی‌ها")
    RANK = "rank", _("رتبه میان روابط عمومی‌ها")


class Criterion(models.Model):
    """One line of a cycle's catalogue: a quantitative indicator read from a
    provider in ``core.indicators.REGISTRY`` and normalised to 0–100, or a
    qualitative criterion rated 1–5 on its rubric (level × 20)."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("دوره"), on_delete=models.CASCADE, related_name="criteria"
    )
    code = models.CharField(_("کد"), max_length=12)
    kind = models.CharField(_("نوع"), max_length=12, choices=CriterionKind.choices)
    name = models.CharField(_("عنوان"), max_length=200)
    description = models.TextField(_("شرح"), blank=True)
    weight = models.DecimalField(
        _("وزن"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0.01), MaxValueValidator(100)],
    )
    position = models.PositiveSmallIntegerField(_("ترتیب"), default=0)
    provider = models.CharField(_("شاخص محاسبه‌شونده"), max_length=80, blank=True)
    normalisation = models.CharField(
        _("روش هنجارسازی"), max_length=8, choices=Normalisation.choices, blank=True
    )
    target = models.FloatField(_("هدف"), null=True, blank=True)
    # Five descriptions, level 1 first.
    rubric = models.JSONField(_("سطوح"), default=list, blank=True)
    # Set by the engine: why this criterion has no values in this cycle.
    missing_reason = models.TextField(_("علت نبود مقدار"), blank=True)
    # Set by the engine: the provider's value per office, {"<office id>": value
    # or null}. One JSON per criterion rather than a row per office: the engine
    # writes 20 rows where it would write 10,000, and reads them the same way.
    values = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["cycle", "position", "code"]
        verbose_name = _("شاخص ارزیابی")
        verbose_name_plural = _("شاخص‌های ارزیابی")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="evaluation_criterion_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="evaluation_criterion_weight"),
            models.CheckConstraint(
                condition=Q(kind="qualitative", provider="")
                | Q(kind="quantitative") & ~Q(provider="") & ~Q(normalisation=""),
                name="evaluation_criterion_kind_fields",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_quantitative(self) -> bool:
        return self.kind == CriterionKind.QUANTITATIVE

    def level_description(self, level: int) -> str:
        return str(self.rubric[level - 1]) if 0 < level <= len(self.rubric) else ""


class Assignment(models.Model):
    """An evaluator appointed by the ministry centre to rate one office."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="assignments")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ارزیاب"),
        on_delete=models.CASCADE,
        related_name="evaluation_assignments",
    )
    office = models.ForeignKey(
        "directory.Office",
        verbose_name=_("روابط عمومی"),
        on_delete=models.CASCADE,
        related_name="evaluation_assignments",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "office", "evaluator"]
        verbose_name = _("انتصاب ارزیاب")
        verbose_name_plural = _("انتصاب‌های ارزیاب")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "evaluator", "office"], name="evaluation_assignment_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} → {self.office}"

    def policy_scope(self) -> Scope:
        return self.office.policy_scope()


class Rating(TimeStamped):
    """An evaluator's level for one qualitative criterion of one office."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="ratings")
    office = models.ForeignKey(
        "directory.Office", on_delete=models.CASCADE, related_name="evaluation_ratings"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ارزیاب"),
        on_delete=models.PROTECT,
        related_name="evaluation_ratings",
    )
    level = models.PositiveSmallIntegerField(
        _("سطح"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("توضیح ارزیاب"), blank=True)

    class Meta:
        ordering = ["criterion", "office", "evaluator"]
        verbose_name = _("امتیاز کیفی")
        verbose_name_plural = _("امتیازهای کیفی")
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "office", "evaluator"], name="evaluation_rating_once"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="evaluation_rating_level"
            ),
        ]

    def policy_scope(self) -> Scope:
        return self.office.policy_scope()


class SelfAssessment(TimeStamped):
    """What an office says of itself on a qualitative criterion, with evidence,
    before the evaluators rate it. It does not count in the score."""

    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="self_assessments"
    )
    office = models.ForeignKey(
        "directory.Office", on_delete=models.CASCADE, related_name="evaluation_self_assessments"
    )
    level = models.PositiveSmallIntegerField(
        _("سطح پیشنهادی"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("شرح کارها"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["criterion", "office"]
        verbose_name = _("خوداظهاری")
        verbose_name_plural = _("خوداظهاری‌ها")
        constraints = [
            models.UniqueConstraint(fields=["criterion", "office"], name="evaluation_self_once"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="evaluation_self_level"
            ),
        ]

    def policy_scope(self) -> Scope:
        return self.office.policy_scope()


class EvidenceLink(models.Model):
    """A record in Hamseda (its path) or an uploaded file that backs a rating or a
    self-assessment."""

    rating = models.ForeignKey(
        Rating, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    label = models.CharField(_("عنوان"), max_length=200)
    url = models.CharField(_("نشانی در همصدا"), max_length=500, blank=True)
    file = models.FileField(_("پرونده"), upload_to="evaluation/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("مستند")
        verbose_name_plural = _("مستندات")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=False, self_assessment__isnull=True)
                | Q(rating__isnull=True, self_assessment__isnull=False),
                name="evaluation_evidence_one_owner",
            ),
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(file=""), name="evaluation_evidence_has_target"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def href(self) -> str:
        return self.file.url if self.file else self.url


class Adjustment(TimeStamped):
    """A score the ministry centre corrected, usually in answer to an objection:
    the corrected value of a quantitative criterion or the level of a
    qualitative one, which the engine uses instead of what it read."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="adjustments")
    office = models.ForeignKey(
        "directory.Office", on_delete=models.CASCADE, related_name="evaluation_adjustments"
    )
    value = models.FloatField(_("مقدار اصلاح‌شده"), null=True, blank=True)
    level = models.PositiveSmallIntegerField(
        _("سطح اصلاح‌شده"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    reason = models.TextField(_("علت"))
    appeal = models.ForeignKey(
        "Appeal", on_delete=models.SET_NULL, null=True, blank=True, related_name="adjustments"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["criterion", "office"]
        verbose_name = _("اصلاح امتیاز")
        verbose_name_plural = _("اصلاح‌های امتیاز")
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "office"], name="evaluation_adjustment_once"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False, level__isnull=True)
                | Q(value__isnull=True, level__isnull=False),
                name="evaluation_adjustment_value_or_level",
            ),
        ]

    def policy_scope(self) -> Scope:
        return self.office.policy_scope()


class Result(models.Model):
    """One office's score in a cycle, from the engine's last ranking. ``items``
    holds each criterion's part: ``{code: {"value", "score", "level", "levels",
    "weight", "points", "missing"}}``."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="results")
    office = models.ForeignKey(
        "directory.Office", on_delete=models.CASCADE, related_name="evaluation_results"
    )
    province = models.ForeignKey("directory.Province", on_delete=models.CASCADE, related_name="+")
    total = models.FloatField(_("امتیاز کل"))
    quantitative = models.FloatField(_("امتیاز کمی"))
    qualitative = models.FloatField(_("امتیاز کیفی"), null=True)
    # Share of the catalogue's weight that this office has a score on (0–100).
    covered = models.FloatField(_("پوشش وزن"))
    rank = models.PositiveIntegerField(_("رتبه کشوری"))
    rank_in_province = models.PositiveIntegerField(_("رتبه در استان"))
    tier = models.CharField(_("سطح"), max_length=60, blank=True)
    disagreement = models.BooleanField(_("اختلاف ارزیاب‌ها"), default=False)
    items = models.JSONField(default=dict)

    class Meta:
        ordering = ["cycle", "rank", "office"]
        verbose_name = _("نتیجه ارزیابی")
        verbose_name_plural = _("نتایج ارزیابی")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "office"], name="evaluation_result_once"),
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.total}"

    def policy_scope(self) -> Scope:
        return Scope(province_id=self.province_id, office_id=self.office_id)


class ProvinceResult(models.Model):
    """A province's score: the mean of its offices' totals."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="province_results")
    province = models.ForeignKey(
        "directory.Province", on_delete=models.CASCADE, related_name="evaluation_results"
    )
    total = models.FloatField(_("امتیاز"))
    rank = models.PositiveIntegerField(_("رتبه کشوری"))
    tier = models.CharField(_("سطح"), max_length=60, blank=True)
    offices = models.PositiveIntegerField(_("شمار روابط عمومی‌ها"))

    class Meta:
        ordering = ["cycle", "rank", "province"]
        verbose_name = _("نتیجه استان")
        verbose_name_plural = _("نتایج استان‌ها")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "province"], name="evaluation_province_result_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province} {self.total}"

    def policy_scope(self) -> Scope:
        return Scope(province_id=self.province_id, office_id=None)


class AppealStatus(models.TextChoices):
    OPEN = "open", _("در انتظار پاسخ")
    UPHELD = "upheld", _("پذیرفته شد")
    REJECTED = "rejected", _("رد شد")


class Appeal(TimeStamped):
    """An office's objection to its score, on one criterion or on the whole."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="appeals")
    office = models.ForeignKey(
        "directory.Office",
        verbose_name=_("روابط عمومی"),
        on_delete=models.CASCADE,
        related_name="evaluation_appeals",
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("شاخص"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="appeals",
    )
    text = models.TextField(_("متن اعتراض"))
    status = models.CharField(
        _("وضعیت"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.OPEN
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ثبت‌کننده"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    answer = models.TextField(_("پاسخ"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("پاسخ‌دهنده"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("زمان پاسخ"), null=True, blank=True)
    # The office's total and rank when it objected and after the answer.
    total_before = models.FloatField(null=True, blank=True)
    total_after = models.FloatField(null=True, blank=True)
    rank_before = models.PositiveIntegerField(null=True, blank=True)
    rank_after = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("اعتراض")
        verbose_name_plural = _("اعتراض‌ها")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(answer=""), name="evaluation_appeal_answered"
            ),
        ]

    def __str__(self) -> str:
        return str(_("اعتراض {office}")).format(office=self.office)

    def get_absolute_url(self) -> str:
        return reverse("evaluation:appeal_detail", args=[self.cycle_id, self.pk])

    def policy_scope(self) -> Scope:
        return self.office.policy_scope()
