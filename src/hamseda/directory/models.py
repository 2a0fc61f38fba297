"""Who is who: provinces, agencies, their PR offices, councils and people.

Every other app hangs its records on an ``Office`` (and through it a province);
the permission policy (``core.policy``) decides from the same two ids.
"""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hamseda.core import persian
from hamseda.core.models import TimeStamped
from hamseda.core.policy import Role, Scope


class PersianNamed(models.Model):
    """A record found by its name: keeps the normalised name, its search key and
    a Persian sort key in step with ``name`` (directory selectors search and
    order on these columns, so SQLite and PostgreSQL agree)."""

    name = models.CharField(_("نام"), max_length=200)
    name_key = models.CharField(max_length=400, editable=False, db_index=True)
    sort_key = models.CharField(max_length=400, editable=False, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        self.fill_keys()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def search_text(self) -> str:
        return self.name

    def fill_keys(self) -> None:
        """Normalise the name and derive the keys; ``save`` calls it, and bulk
        loaders (``hamseda generate``) call it themselves before bulk_create."""
        self.name = persian.normalize(self.name)
        self.name_key = persian.compact_key(self.search_text())[:400]
        self.sort_key = persian.sort_key(self.name)[:400]


class Province(PersianNamed):
    name_en = models.CharField(_("نام لاتین"), max_length=100)
    capital_en = models.CharField(_("مرکز استان (لاتین)"), max_length=100, blank=True)
    code = models.SlugField(_("شناسه"), max_length=60, unique=True)

    class Meta:
        ordering = ["sort_key"]
        verbose_name = _("استان")
        verbose_name_plural = _("استان‌ها")
        constraints = [models.UniqueConstraint(fields=["name"], name="province_name_unique")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:province_detail", args=[self.code])

    def policy_scope(self) -> Scope:
        return Scope(province_id=self.pk, office_id=None)


class AgencyKind(models.TextChoices):
    MINISTRY_CENTRE = "ministry_centre", _("مرکز ارتباطات وزارت")
    PROVINCIAL_DIRECTORATE = "provincial_directorate", _("اداره کل استانی")
    SUBSIDIARY_COMPANY = "subsidiary_company", _("شرکت تابعه")
    GOVERNORATE = "governorate", _("استانداری")
    PARTNER_AGENCY = "partner_agency", _("دستگاه همکار")
    BROADCASTER = "broadcaster", _("صدا و سیما")
    MEDIA_OUTLET = "media_outlet", _("رسانه")


class Agency(TimeStamped, PersianNamed):
    kind = models.CharField(_("نوع دستگاه"), max_length=32, choices=AgencyKind.choices)
    short_name = models.CharField(_("نام کوتاه"), max_length=100, blank=True)
    province = models.ForeignKey(
        Province,
        verbose_name=_("استان"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        help_text=_("برای دستگاه‌های ملی خالی بماند."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("دستگاه بالادست"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    website = models.URLField(_("وبگاه"), blank=True)
    description = models.TextField(_("توضیحات"), blank=True)
    is_active = models.BooleanField(_("فعال"), default=True)

    class Meta:
        ordering = ["sort_key"]
        verbose_name = _("دستگاه")
        verbose_name_plural = _("دستگاه‌ها")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "name_key"], name="agency_name_unique_in_province"
            ),
            models.UniqueConstraint(
                fields=["name_key"],
                condition=Q(province__isnull=True),
                name="national_agency_name_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:agency_detail", args=[self.pk])

    def search_text(self) -> str:
        return f"{self.name} {self.short_name}"

    def policy_scope(self) -> Scope:
        # The reverse one-to-one is cached by select_related("office") in list selectors.
        try:
            office_id: int | None = self.office.pk
        except Office.DoesNotExist:
            office_id = None
        return Scope(province_id=self.province_id, office_id=office_id)


class AgencyAlias(models.Model):
    """Another name the agency goes by in the press («راه و شهرسازی اصفهان»,
    «راه‌آهن اصفهان»); monitoring matches articles against ``key``."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("نام دیگر"), max_length=200)
    key = models.CharField(max_length=400, editable=False, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("نام دیگر دستگاه")
        verbose_name_plural = _("نام‌های دیگر دستگاه")
        constraints = [
            models.UniqueConstraint(fields=["agency", "key"], name="agency_alias_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name = persian.normalize(self.name)
        self.key = persian.compact_key(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Office(TimeStamped, PersianNamed):
    """The public-relations office of one agency: the unit that reports, plans,
    publishes and is ranked."""

    agency = models.OneToOneField(
        Agency, verbose_name=_("دستگاه"), on_delete=models.CASCADE, related_name="office"
    )
    email = models.EmailField(_("رایانامه"), blank=True)
    phone = models.CharField(_("تلفن"), max_length=40, blank=True)
    address = models.TextField(_("نشانی"), blank=True)
    is_active = models.BooleanField(_("فعال"), default=True)

    class Meta:
        ordering = ["sort_key"]
        verbose_name = _("روابط عمومی")
        verbose_name_plural = _("روابط عمومی‌ها")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:office_detail", args=[self.pk])

    def search_text(self) -> str:
        return f"{self.name} {self.agency.name} {self.agency.short_name}"

    @property
    def province_id(self) -> int | None:
        return self.agency.province_id

    def policy_scope(self) -> Scope:
        return Scope(province_id=self.agency.province_id, office_id=self.pk)


class Council(TimeStamped):
    """The coordination council of one province."""

    province = models.OneToOneField(
        Province, verbose_name=_("استان"), on_delete=models.PROTECT, related_name="council"
    )
    name = models.CharField(_("نام شورا"), max_length=250)
    secretary = models.ForeignKey(
        "Person",
        verbose_name=_("دبیر شورا"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    established_on = models.DateField(_("تاریخ تشکیل"), null=True, blank=True)
    description = models.TextField(_("توضیحات"), blank=True)
    offices = models.ManyToManyField(
        Office, through="CouncilMembership", related_name="councils", verbose_name=_("اعضا")
    )

    class Meta:
        ordering = ["province__sort_key"]
        verbose_name = _("شورای هماهنگی")
        verbose_name_plural = _("شوراهای هماهنگی")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:council_detail", args=[self.pk])

    def policy_scope(self) -> Scope:
        # A council belongs to its province as a whole, not to the chair's office.
        return Scope(province_id=self.province_id, office_id=None)


class MembershipRole(models.TextChoices):
    CHAIR = "chair", _("رئیس شورا")
    MEMBER = "member", _("عضو")
    PARTNER = "partner", _("همکار")
    BROADCASTER = "broadcaster", _("صدا و سیما")


class CouncilMembership(TimeStamped):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="memberships")
    office = models.ForeignKey(
        Office, verbose_name=_("روابط عمومی"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("نقش در شورا"), max_length=16, choices=MembershipRole.choices)
    position = models.PositiveSmallIntegerField(
        _("ردیف"), default=100, help_text=_("ترتیب نمایش اعضا در فهرست شورا")
    )

    class Meta:
        ordering = ["council", "position", "office__sort_key"]
        verbose_name = _("عضویت در شورا")
        verbose_name_plural = _("عضویت‌ها در شورا")
        constraints = [
            models.UniqueConstraint(fields=["council", "office"], name="membership_unique"),
            models.UniqueConstraint(
                fields=["council"], condition=Q(role="chair"), name="one_chair_per_council"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office} — {self.get_role_display()}"


class PersonManager(UserManager["Person"]):
    pass


class Person(AbstractUser):
    """A user of Hamseda: one person, one office, one role (see DESIGN.md,
    "Users and what they may do"). Administrators may have no office."""

    office = models.ForeignKey(
        Office,
        verbose_name=_("روابط عمومی"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    role = models.CharField(
        _("نقش"), max_length=24, choices=Role.choices, default=Role.OFFICE_STAFF
    )
    job_title = models.CharField(_("سمت"), max_length=150, blank=True)
    phone = models.CharField(_("تلفن همراه"), max_length=40, blank=True)
    name_key = models.CharField(max_length=400, editable=False, db_index=True, default="")
    sort_key = models.CharField(max_length=400, editable=False, db_index=True, default="")

    objects: ClassVar[PersonManager] = PersonManager()

    class Meta:
        ordering = ["sort_key", "username"]
        verbose_name = _("کاربر")
        verbose_name_plural = _("کاربران")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="admin") | Q(office__isnull=False),
                name="person_has_office_unless_admin",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("directory:person_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def province_id(self) -> int | None:
        return self.office.agency.province_id if self.office_id and self.office else None

    @property
    def effective_role(self) -> str:
        return Role.ADMIN if self.is_superuser else self.role

    def policy_scope(self) -> Scope:
        return Scope(province_id=self.province_id, office_id=self.office_id)

    def fill_keys(self) -> None:
        self.first_name = persian.normalize(self.first_name)
        self.last_name = persian.normalize(self.last_name)
        self.job_title = persian.normalize(self.job_title)
        full = f"{self.first_name} {self.last_name}"
        self.name_key = persian.compact_key(f"{full} {self.username}")[:400]
        self.sort_key = persian.sort_key(f"{self.last_name} {self.first_name}")[:400]

    def save(self, *args: object, **kwargs: object) -> None:
        self.fill_keys()
        super().save(*args, **kwargs)  # type: ignore[arg-type]
