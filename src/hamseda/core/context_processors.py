"""The shell every page is drawn in: navigation by role, the signed-in user, today."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from hamseda.core import jalali, notifications, policy


def _nav(request: HttpRequest) -> list[dict[str, Any]]:
    user: Any = request.user
    items: list[tuple[str, str, str, str | None]] = [
        (_("پیشخوان"), reverse("home"), "house", None),
    ]
    if policy.reach(user, "directory.view"):
        items += [
            (_("شوراها"), reverse("directory:council_list"), "people", None),
            (_("دستگاه‌ها"), reverse("directory:agency_list"), "building", None),
        ]
    if policy.reach(user, "meeting.view"):
        items += [
            (_("جلسات"), reverse("meetings:meeting_list"), "calendar-event", None),
            (_("پیگیری‌ها"), reverse("followups:followup_list"), "list-check", None),
        ]
    if policy.reach(user, "activity.view"):
        items.append((_("فعالیت‌ها"), reverse("activities:activity_list"), "calendar3", None))
    if policy.reach(user, "campaign.view"):
        items.append((_("پویش‌ها"), reverse("campaigns:campaign_list"), "megaphone", None))
    if policy.reach(user, "monitoring.view"):
        items.append((_("رصد رسانه"), reverse("monitoring:article_list"), "newspaper", None))
    if policy.reach(user, "broadcast.view"):
        items.append((_("صدا و سیما"), reverse("broadcast:pitch_list"), "tv", None))
    if policy.reach(user, "social.view"):
        items.append((_("شبکه‌ها"), reverse("social:post_list"), "share", None))
    if policy.reach(user, "evaluation.view"):
        items.append((_("ارزیابی"), reverse("evaluation:cycle_list"), "trophy", None))
    if policy.reach(user, "meeting.view"):
        items.append((_("جستجو"), reverse("meetings:search"), "search", "icon"))
    if policy.reach(user, "referral.answer"):
        items.append((_("کارتابل وزارت"), reverse("followups:ministry_inbox"), "inbox", "icon"))
    # The item whose address is the longest prefix of this page is the active
    # one (the ministry inbox lives under /followups/ but is not "follow-ups").
    path = request.path
    matches = [url for _label, url, _icon, _key in items if path.startswith(url) and url != "/"]
    current = max(matches, key=len) if matches else ("/" if path == "/" else "")
    return [
        {
            "label": label,
            "url": url,
            "icon": icon,
            "active": url == current,
            "icon_only": key == "icon",
        }
        for label, url, icon, key in items
    ]


def shell(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    data: dict[str, Any] = {
        "brand": _("همصدا"),
        "today": jalali.format_date(jalali.today(), "full"),
    }
    if not user.is_authenticated:
        data.update(nav=[], user=None)
        return {"shell": data}
    office = user.office
    province = office.agency.province if office else None
    data["nav"] = _nav(request)
    data["unread"] = notifications.unread_count(viewer=user)
    data["notifications_url"] = reverse("notification_list")
    data["people_url"] = (
        reverse("directory:person_list") if policy.reach(user, "person.view") else ""
    )
    data["user"] = {
        "name": user.display_name,
        "role_label": policy.Role(user.effective_role).label,
        "office": office.name if office else "",
        "province": province.name if province else "",
        "is_staff": user.is_staff,
    }
    return {"shell": data}
