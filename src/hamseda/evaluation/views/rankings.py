"""Rankings of a cycle: every office nationally (filtered by province, searched
by name), and one province's offices with the province's own total and rank.

The ranking is open to every signed-in user; each office's row links to its
scorecard only where the viewer may open it. Both pages cost a fixed number of
queries whatever the number of offices (the tests pin it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hamseda.core import persian
from hamseda.core.auth import signed_in
from hamseda.core.listing import int_param
from hamseda.evaluation import selectors
from hamseda.evaluation.models import Result
from hamseda.evaluation.views.cycles import bars, cycle_for, mark_links, mark_tiers, tabs

CHART_OFFICES = 30


def _matching(results: list[Result], query: str) -> list[Result]:
    """Rows whose office name holds every word of ``query``, however it is
    spelt (Arabic ي/ك, half-spaces, digits): ``persian.query_terms`` against the
    office's stored ``name_key``, as the directory searches."""
    terms = [persian.compact_key(term) for term in persian.query_terms(query)]
    if not terms:
        return results
    return [r for r in results if all(term in r.office.name_key for term in terms)]


@login_required
@require_GET
def office_ranking(request: HttpRequest, cycle_id: int) -> HttpResponse:
    user = signed_in(request)
    cycle = cycle_for(user, cycle_id)
    provinces = list(selectors.provinces_with_results(cycle))
    province_id = int_param(request.GET, "province")
    if province_id not in {p.pk for p in provinces}:
        province_id = None
    query = request.GET.get("q", "").strip()
    ranked = selectors.office_ranking(viewer=user, cycle=cycle)
    results = [r for r in ranked if province_id is None or r.province_id == province_id]
    results = mark_links(user, cycle, mark_tiers(cycle, _matching(results, query)))
    context = {
        **tabs(user, cycle),
        "results": results,
        "offices_ranked": len(ranked),
        "provinces": provinces,
        "province_id": province_id,
        "q": query,
        "filtered": bool(province_id or query),
    }
    if getattr(request, "htmx", False):
        return render(request, "evaluation/partials/_ranking_offices.html", context)
    return render(request, "evaluation/ranking_offices.html", context)


@login_required
@require_GET
def province_detail(request: HttpRequest, cycle_id: int, province_id: int) -> HttpResponse:
    user = signed_in(request)
    cycle = cycle_for(user, cycle_id)
    provinces = selectors.province_ranking(viewer=user, cycle=cycle)
    standing = next((p for p in provinces if p.province_id == province_id), None)
    if standing is None:
        raise Http404
    mark_tiers(cycle, [standing])
    results = mark_links(
        user,
        cycle,
        mark_tiers(
            cycle, selectors.office_ranking(viewer=user, cycle=cycle, province_id=province_id)
        ),
    )
    # The agency's name: every office's name starts with the same "PR of".
    chart = bars([(r.office.agency.name, r.total) for r in results[:CHART_OFFICES]], _("امتیاز کل"))
    return render(
        request,
        "evaluation/province_detail.html",
        {
            **tabs(user, cycle),
            "province": standing.province,
            "standing": standing,
            "provinces_ranked": len(provinces),
            "results": results,
            "chart": chart,
            "charted": min(len(results), CHART_OFFICES),
        },
    )
