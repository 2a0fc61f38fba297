"""The notifications page: the signed-in person's notices, newest first.

Mounted by the root URLconf, e.g.
``path("notifications/", include("hamseda.core.notification_views"))``; the URL
names are global: ``notification_list``, ``notification_read_all``,
``notification_open``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hamseda.core import notifications
from hamseda.core.auth import signed_in
from hamseda.core.listing import page_of
from hamseda.core.models import Notification


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    unread_only = request.GET.get("unread") == "1"
    notices = notifications.notification_list(viewer=user, unread_only=unread_only)
    page = page_of(request, notices)
    return render(
        request,
        "core/notifications.html",
        {
            "page_obj": page,
            "unread_only": unread_only,
            "unread_count": notifications.unread_count(viewer=user),
        },
    )


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if marked:
        messages.success(request, _("همه اعلان‌ها خوانده شد."))
    return redirect("notification_list")


@login_required
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one notice read and go to the page it is about (only a page of this
    site: a stored url is never an open redirect)."""
    user = signed_in(request)
    notice = get_object_or_404(Notification, pk=notification_id, recipient=user)
    if notice.read_at is None:
        Notification.objects.filter(pk=notice.pk).update(read_at=timezone.now())
    if notice.url and url_has_allowed_host_and_scheme(
        notice.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notice.url)
    return redirect("notification_list")


urlpatterns = [
    path("", notification_list, name="notification_list"),
    path("read-all/", notification_read_all, name="notification_read_all"),
    path("<int:notification_id>/", notification_open, name="notification_open"),
]
