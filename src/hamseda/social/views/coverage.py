"""The "100%" pages: the offices × platforms matrix of the council(s) in view
(the ministry centre picks a province or all), its Excel export, and one
campaign's joint posts with which invited office republished them on every
channel. The figures come from ``social.coverage``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hamseda.campaigns import selectors as campaign_selectors
from hamseda.campaigns.models import Campaign
from hamseda.core import jalali, policy
from hamseda.core.auth import signed_in
from hamseda.core.downloads import content_disposition
from hamseda.core.persian import fa_digits
from hamseda.directory.models import Person, Province
from hamseda.social import coverage as selectors
from hamseda.social.exports import coverage_xlsx
from hamseda.social.models import JointPost

ALL_PROVINCES = "all"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _viewer(request: HttpRequest) -> Person:
    viewer = signed_in(request)
    if policy.reach(viewer, "social.view") == policy.Reach.NONE:
        raise PermissionDenied(_("شما اجازه دیدن این صفحه را ندارید."))
    return viewer


def _province_choice(
    request: HttpRequest, viewer: Person
) -> tuple[Province | None, list[Province]]:
    """The province asked for (None: every council in view) and, for a viewer
    who sees more than one, the provinces to choose from. An unknown value is
    "all", never an error page."""
    provinces = list(selectors.viewable_provinces(viewer))
    if len(provinces) <= 1:
        return (provinces[0] if provinces else None), []
    wanted = request.GET.get("province", "")
    chosen = next((p for p in provinces if str(p.pk) == wanted), None)
    return chosen, provinces


def _campaigns(viewer: Person) -> list[Campaign]:
    """Campaigns in view that have joint posts, newest first: links to their
    coverage."""
    campaigns = policy.scope_queryset(
        viewer,
        "campaign.view",
        Campaign.objects.filter(pk__in=JointPost.objects.values("campaign_id")),
        province_field="province_id",
        office_field=None,
    )
    return list(campaigns.order_by("-start_date", "-pk")[:20])


@login_required
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    province, provinces = _province_choice(request, viewer)
    matrix = selectors.coverage_matrix(viewer=viewer, province=province)
    query = f"?province={province.pk}" if province is not None and provinces else ""
    show_province = province is None and len(provinces) > 1
    # Every province at once: one line per province first (hundreds of office
    # rows are no overview); the office rows on request.
    summary = matrix.by_province() if show_province and request.GET.get("offices") != "1" else []
    return render(
        request,
        "social/coverage.html",
        {
            "tab": "coverage",
            "matrix": matrix,
            "province": province,
            "provinces": provinces,
            "all_provinces": ALL_PROVINCES,
            "show_province": show_province,
            "summary": summary,
            "campaigns": _campaigns(viewer),
            "export_query": query,
        },
    )


@login_required
@require_GET
def coverage_export(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    province, _provinces = _province_choice(request, viewer)
    matrix = selectors.coverage_matrix(viewer=viewer, province=province)
    response = HttpResponse(coverage_xlsx(matrix), content_type=XLSX)
    day = jalali.format_date(matrix.end, "input").replace("/", "-")
    name = _("پوشش-شبکه‌های-اجتماعی")
    if province is not None:
        name += "-" + province.name.replace(" ", "-")
    response["Content-Disposition"] = content_disposition(
        f"{name}-{fa_digits(day)}.xlsx", f"social-coverage-{day}.xlsx"
    )
    return response


@login_required
@require_GET
def campaign_coverage(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    campaign = campaign_selectors.campaign_get_for(viewer=viewer, campaign_id=pk)
    joints = selectors.campaign_coverage(viewer=viewer, campaign=campaign)
    invited = sum(j.invited for j in joints)
    full = sum(j.full for j in joints)
    return render(
        request,
        "social/coverage_campaign.html",
        {
            "tab": "coverage",
            "campaign": campaign,
            "joints": joints,
            "invited": invited,
            "full": full,
            "share": round(100.0 * full / invited, 1) if invited else None,
        },
    )
