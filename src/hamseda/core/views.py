"""Pages of the shell: the dashboard, health."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hamseda.core.auth import signed_in
from hamseda.core.health import CRITICAL, run_checks
from hamseda.core.registry import HOME_PANELS, ordered
from hamseda.directory import selectors as directory


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = run_checks()
    healthy = all(check.ok for check in checks if check.name in CRITICAL)
    body = {
        "status": "ok" if healthy else "unhealthy",
        "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in checks},
    }
    return JsonResponse(body, status=200 if healthy else 503)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    council = directory.council_of_user(viewer=user)
    if council is not None:
        council = directory.council_get(viewer=user, council_id=council.pk)
    councils = None
    if council is None:
        councils = directory.council_list(viewer=user)
    panels = [panel for hook in ordered(HOME_PANELS) if (panel := hook.run(user))]
    return render(
        request, "core/home.html", {"council": council, "councils": councils, "panels": panels}
    )
