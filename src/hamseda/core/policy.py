"""The permission policy: the one place that answers "may this user do X to this object".

Every service, selector, HTML view and API view asks here; nothing else decides.
Each action grants every role a *reach*:

- ``NONE``        never;
- ``OWN_OFFICE``  records of the user's own PR office;
- ``PROVINCE``    records of any office in the user's province (its council);
- ``ANY``         records of every province (the ministry centre's view).

An object tells its place with ``policy_scope() -> Scope`` (province id, office
id). ``can`` compares the reach a role has with the reach the object needs;
``scope_queryset`` turns the same reach into a queryset filter, so a list and a
detail page can never disagree. The matrix test in ``core/tests/test_policy.py``
holds every action × role × (own office / same province / other province) and
fails when an action is added here without its row there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Protocol, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MINISTRY_CENTRE = "ministry_centre", _("مرکز ارتباطات وزارت")
    COUNCIL_CHAIR = "council_chair", _("رئیس شورا")
    COUNCIL_SECRETARY = "council_secretary", _("دبیر شورا")
    OFFICE_STAFF = "office_staff", _("کارشناس روابط عمومی")
    PARTNER = "partner", _("همکار (استانداری)")
    EVALUATOR = "evaluator", _("ارزیاب")
    ADMIN = "admin", _("مدیر سامانه")


class Reach(IntEnum):
    NONE = 0
    OWN_OFFICE = 1
    PROVINCE = 2
    ANY = 3


@dataclass(frozen=True)
class Scope:
    """Where a record lives. ``province_id`` is None for national records (the
    ministry centre, national agencies); ``office_id`` is None for records that
    belong to a province as a whole (its council). A record owned by several
    offices at once (a follow-up assigned to three offices) lists them all in
    ``office_ids``: each of them counts as "own office"."""

    province_id: int | None
    office_id: int | None
    office_ids: frozenset[int] = frozenset()


class HasScope(Protocol):
    def policy_scope(self) -> Scope: ...


class Actor(Protocol):
    """What the policy reads of a user (``directory.Person``)."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...

    @property
    def office_id(self) -> int | None: ...

    @property
    def effective_role(self) -> str: ...

    @property
    def province_id(self) -> int | None: ...


@dataclass(frozen=True)
class Action:
    code: str
    label: Any  # a lazy Persian string
    reach: Mapping[str, Reach]

    def reach_of(self, role: str) -> Reach:
        return self.reach.get(role, Reach.NONE)


ACTIONS: dict[str, Action] = {}


def _action(code: str, label: Any, **reach: Reach) -> Action:
    unknown = set(reach) - set(Role.values)
    if unknown:
        raise ValueError(f"unknown roles in action {code}: {sorted(unknown)}")
    if code in ACTIONS:
        raise ValueError(f"action {code} is defined twice")
    action = Action(code=code, label=label, reach=dict(reach))
    ACTIONS[code] = action
    return action


OFFICE, PROVINCE, ALL = Reach.OWN_OFFICE, Reach.PROVINCE, Reach.ANY

# --- directory ------------------------------------------------------------------
# The directory (provinces, agencies, offices, councils) is the council's public
# who-is-who: every signed-in user may browse it. People's contact details and
# the audit trail are internal records of a province.
_action(
    "directory.view",
    _("مشاهده فهرست دستگاه‌ها و شوراها"),
    ministry_centre=ALL,
    council_chair=ALL,
    council_secretary=ALL,
    office_staff=ALL,
    partner=ALL,
    evaluator=ALL,
    admin=ALL,
)
_action(
    "agency.create",
    _("افزودن دستگاه"),
    ministry_centre=ALL,
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    admin=ALL,
)
_action(
    "agency.edit",
    _("ویرایش دستگاه"),
    ministry_centre=ALL,
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    admin=ALL,
)
_action(
    "office.edit",
    _("ویرایش مشخصات روابط عمومی"),
    ministry_centre=ALL,
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    office_staff=OFFICE,
    partner=OFFICE,
    evaluator=OFFICE,
    admin=ALL,
)
_action(
    "council.edit",
    _("ویرایش مشخصات شورا"),
    ministry_centre=ALL,
    council_chair=PROVINCE,
    admin=ALL,
)
_action(
    "council.manage_members",
    _("مدیریت اعضای شورا"),
    ministry_centre=ALL,
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    admin=ALL,
)
_action(
    "person.view",
    _("مشاهده کاربران و اطلاعات تماس"),
    ministry_centre=ALL,
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    office_staff=PROVINCE,
    partner=PROVINCE,
    evaluator=OFFICE,
    admin=ALL,
)
_action(
    "person.create",
    _("افزودن کاربر"),
    ministry_centre=ALL,
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    admin=ALL,
)
_action(
    "person.edit",
    _("ویرایش کاربر"),
    ministry_centre=ALL,
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    admin=ALL,
)
_action(
    "person.deactivate",
    _("غیرفعال کردن کاربر"),
    ministry_centre=ALL,
    council_chair=PROVINCE,
    admin=ALL,
)
_action(
    "audit.view",
    _("مشاهده سابقه تغییرات"),
    ministry_centre=ALL,
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    office_staff=OFFICE,
    partner=OFFICE,
    admin=ALL,
)

# --- meetings and follow-ups -------------------------------------------------------
# A council's meetings, minutes and follow-ups are internal records of its province.
_action(
    "meeting.view",
    _("مشاهده جلسات، صورتجلسه‌ها و پیگیری‌ها"),
    ministry_centre=ALL,
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    office_staff=PROVINCE,
    partner=PROVINCE,
    evaluator=PROVINCE,
    admin=ALL,
)
_action(
    "meeting.manage",
    _("برنامه‌ریزی جلسه، دستور جلسه، حضور و غیاب و تنظیم صورتجلسه"),
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    admin=ALL,
)
_action(
    "minutes.approve",
    _("تأیید صورتجلسه"),
    council_chair=PROVINCE,
    admin=ALL,
)
_action(
    "report.submit",
    _("ثبت گزارش عملکرد روابط عمومی برای جلسه"),
    council_chair=OFFICE,
    council_secretary=OFFICE,
    office_staff=OFFICE,
    partner=OFFICE,
    evaluator=OFFICE,
    admin=ALL,
)
_action(
    "followup.update",
    _("ثبت پیشرفت و بستن پیگیری"),
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    office_staff=OFFICE,
    partner=OFFICE,
    evaluator=OFFICE,
    admin=ALL,
)
_action(
    "followup.manage",
    _("تغییر مسئول، مهلت یا لغو پیگیری"),
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    admin=ALL,
)
_action(
    "referral.answer",
    _("پاسخ به موارد ارجاعی به وزارتخانه"),
    ministry_centre=ALL,
    admin=ALL,
)

# --- activities and campaigns ---------------------------------------------------------
# The shared calendar is the province's common picture of who does what: every
# office of the province sees it (that is how parallel work is avoided), the
# ministry centre and evaluators see every province. An office writes its own
# activities; partners of a joint activity write it too.
_action(
    "activity.view",
    _("مشاهده تقویم و فعالیت‌های روابط عمومی"),
    ministry_centre=ALL,
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    office_staff=PROVINCE,
    partner=PROVINCE,
    evaluator=ALL,
    admin=ALL,
)
_action(
    "activity.edit",
    _("ثبت و ویرایش فعالیت‌های دستگاه"),
    ministry_centre=OFFICE,
    council_chair=OFFICE,
    council_secretary=OFFICE,
    office_staff=OFFICE,
    partner=OFFICE,
    evaluator=OFFICE,
    admin=ALL,
)
_action(
    "activity.join",
    _("پیوستن به فعالیت دستگاه دیگر به‌عنوان همکار"),
    ministry_centre=ALL,
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    office_staff=PROVINCE,
    partner=PROVINCE,
    evaluator=PROVINCE,
    admin=ALL,
)
_action(
    "activity.merge",
    _("بررسی هم‌پوشانی‌ها و ادغام فعالیت‌های موازی"),
    ministry_centre=ALL,
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    admin=ALL,
)
# Campaigns are public programmes: everyone sees every campaign. Co-owner
# offices run theirs; the council's chair and secretary run their province's.
_action(
    "campaign.view",
    _("مشاهده پویش‌ها و قرارگاه‌ها"),
    ministry_centre=ALL,
    council_chair=ALL,
    council_secretary=ALL,
    office_staff=ALL,
    partner=ALL,
    evaluator=ALL,
    admin=ALL,
)
_action(
    "campaign.manage",
    _("ایجاد و اداره پویش و قرارگاه"),
    ministry_centre=ALL,
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    office_staff=OFFICE,
    partner=OFFICE,
    admin=ALL,
)

# Media monitoring reads what the press published: every signed-in user sees every
# article and story. The sources a province polls are run by its council's chair
# and secretary (national outlets by the ministry centre); any office may add a
# clipping for its province; an office links a story to its own news release.
_action(
    "monitoring.view",
    _("مشاهده رصد رسانه‌ای و بازتاب خبری"),
    ministry_centre=ALL,
    council_chair=ALL,
    council_secretary=ALL,
    office_staff=ALL,
    partner=ALL,
    evaluator=ALL,
    admin=ALL,
)
_action(
    "monitoring.sources",
    _("مدیریت منابع خبری و خوراک‌ها"),
    ministry_centre=ALL,
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    admin=ALL,
)
_action(
    "monitoring.clip",
    _("ثبت بریده خبر"),
    ministry_centre=ALL,
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    office_staff=PROVINCE,
    partner=PROVINCE,
    admin=ALL,
)
_action(
    "monitoring.link",
    _("پیوند خبر رسانه‌ها به خبر ارسالی دستگاه"),
    ministry_centre=ALL,
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    office_staff=OFFICE,
    partner=OFFICE,
    admin=ALL,
)

# Evaluation: the ranking and the catalogue behind it are open to every signed-in
# user (a ranking is accepted only when everyone can see how it was made); an
# office's scorecard, its evidence and its objections are records of its
# province. The ministry centre runs cycles and answers objections; evaluators
# rate offices they are assigned to, never of their own province (checked in
# ``evaluation.services``: a reach cannot say "every province but mine").
_action(
    "evaluation.view",
    _("مشاهده دوره‌های ارزیابی و رتبه‌بندی"),
    ministry_centre=ALL,
    council_chair=ALL,
    council_secretary=ALL,
    office_staff=ALL,
    partner=ALL,
    evaluator=ALL,
    admin=ALL,
)
_action(
    "evaluation.view_scores",
    _("مشاهده کارنامه و مستندات امتیاز روابط عمومی"),
    ministry_centre=ALL,
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    office_staff=PROVINCE,
    partner=PROVINCE,
    evaluator=ALL,
    admin=ALL,
)
_action(
    "evaluation.manage",
    _("تعریف دوره، شاخص‌ها، ارزیابان و اعلام رتبه‌بندی"),
    ministry_centre=ALL,
    admin=ALL,
)
_action(
    "evaluation.rate",
    _("امتیازدهی کیفی"),
    ministry_centre=ALL,
    evaluator=ALL,
    admin=ALL,
)
_action(
    "evaluation.self_assess",
    _("خوداظهاری روابط عمومی"),
    council_chair=OFFICE,
    council_secretary=OFFICE,
    office_staff=OFFICE,
    admin=ALL,
)
_action(
    "evaluation.appeal",
    _("ثبت اعتراض به امتیاز"),
    council_chair=OFFICE,
    council_secretary=OFFICE,
    office_staff=OFFICE,
    admin=ALL,
)
_action(
    "evaluation.answer",
    _("پاسخ به اعتراض و اصلاح امتیاز"),
    ministry_centre=ALL,
    admin=ALL,
)

# The broadcaster: an office proposes story ideas (pitches) for its own office;
# the council's chair is the single gateway to the broadcaster: reviews every
# pitch of the province and dispatches the approved ones (the secretary prepares
# dispatches and records the broadcaster's answers). The province's offices see
# each other's pitches (no two offices pitch the same story).
_action(
    "broadcast.view",
    _("مشاهده سوژه‌ها و مکاتبات با صدا و سیما"),
    ministry_centre=ALL,
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    office_staff=PROVINCE,
    partner=PROVINCE,
    evaluator=ALL,
    admin=ALL,
)
_action(
    "broadcast.pitch",
    _("پیشنهاد ایده و سوژه برای صدا و سیما"),
    ministry_centre=OFFICE,
    council_chair=OFFICE,
    council_secretary=OFFICE,
    office_staff=OFFICE,
    partner=OFFICE,
    admin=ALL,
)
_action(
    "broadcast.review",
    _("بررسی و تأیید سوژه‌ها"),
    council_chair=PROVINCE,
    admin=ALL,
)
_action(
    "broadcast.dispatch",
    _("ارسال سوژه‌ها به صدا و سیما و ثبت پاسخ"),
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    admin=ALL,
)

# Social networks: an office runs its own channels and posts; the province's
# offices and the chair see every office's channels and posts (the coverage
# matrix), never the tokens. A campaign's joint post is written by its
# co-owners (the campaign's scope) or the province's chair and secretary.
_action(
    "social.view",
    _("مشاهده کانال‌ها و فرسته‌های شبکه‌های اجتماعی"),
    ministry_centre=ALL,
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    office_staff=PROVINCE,
    partner=PROVINCE,
    evaluator=ALL,
    admin=ALL,
)
_action(
    "social.accounts",
    _("مدیریت کانال‌ها و توکن‌های بات دستگاه"),
    ministry_centre=OFFICE,
    council_chair=OFFICE,
    council_secretary=OFFICE,
    office_staff=OFFICE,
    partner=OFFICE,
    admin=ALL,
)
_action(
    "social.publish",
    _("نوشتن و انتشار فرسته در کانال‌های دستگاه"),
    ministry_centre=OFFICE,
    council_chair=OFFICE,
    council_secretary=OFFICE,
    office_staff=OFFICE,
    partner=OFFICE,
    admin=ALL,
)
_action(
    "social.joint",
    _("تهیه فرسته مشترک پویش"),
    ministry_centre=ALL,
    council_chair=PROVINCE,
    council_secretary=PROVINCE,
    office_staff=OFFICE,
    partner=OFFICE,
    admin=ALL,
)

del OFFICE, PROVINCE, ALL

# Which roles a user may hand out (person.create / person.edit). Nobody hands out
# a role above their own: a council chair cannot create ministry-centre staff.
ASSIGNABLE_ROLES: Mapping[str, frozenset[str]] = {
    Role.ADMIN: frozenset(Role.values),
    Role.MINISTRY_CENTRE: frozenset(set(Role.values) - {Role.ADMIN}),
    Role.COUNCIL_CHAIR: frozenset({Role.COUNCIL_SECRETARY, Role.OFFICE_STAFF, Role.PARTNER}),
    Role.COUNCIL_SECRETARY: frozenset({Role.OFFICE_STAFF, Role.PARTNER}),
}


def get_action(code: str) -> Action:
    try:
        return ACTIONS[code]
    except KeyError:
        raise LookupError(f"no such action in the policy: {code}") from None


def required_reach(user: Actor, scope: Scope) -> Reach:
    """How far from the user a record with this scope is."""
    if user.office_id is not None and (
        scope.office_id == user.office_id or user.office_id in scope.office_ids
    ):
        return Reach.OWN_OFFICE
    if scope.province_id is not None and scope.province_id == user.province_id:
        return Reach.PROVINCE
    return Reach.ANY


def _active(user: Actor | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can(user: Actor | None, action: str, target: HasScope | Scope) -> bool:
    """May ``user`` do ``action`` to ``target`` (an object with ``policy_scope()``
    or, for a record not created yet, the ``Scope`` it will be created in)?"""
    act = get_action(action)
    if not _active(user):
        return False
    assert user is not None
    scope = target if isinstance(target, Scope) else target.policy_scope()
    return act.reach_of(user.effective_role) >= required_reach(user, scope)


def require(user: Actor | None, action: str, target: HasScope | Scope) -> None:
    if not can(user, action, target):
        raise PermissionDenied(str(_("شما اجازه این کار را ندارید.")))


def reach(user: Actor | None, action: str) -> Reach:
    """The widest reach a user has for an action (for building menus)."""
    if not _active(user):
        return Reach.NONE
    assert user is not None
    return get_action(action).reach_of(user.effective_role)


M = TypeVar("M", bound=models.Model)


def scope_queryset(
    user: Actor | None,
    action: str,
    queryset: QuerySet[M],
    *,
    province_field: str,
    office_field: str | None,
) -> QuerySet[M]:
    """``queryset`` narrowed to the records ``user`` may ``action``; the field
    paths say where each record keeps its province and office ids."""
    granted = reach(user, action)
    if granted == Reach.ANY:
        return queryset
    if granted == Reach.NONE or user is None:
        return queryset.none()
    condition = Q()
    if office_field is not None and user.office_id is not None:
        condition |= Q(**{office_field: user.office_id})
    if granted == Reach.PROVINCE and user.province_id is not None:
        condition |= Q(**{province_field: user.province_id})
    if not condition:
        return queryset.none()
    return queryset.filter(condition)


def assignable_roles(user: Actor | None) -> frozenset[str]:
    if not _active(user):
        return frozenset()
    assert user is not None
    return ASSIGNABLE_ROLES.get(user.effective_role, frozenset())
