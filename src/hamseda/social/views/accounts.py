"""HTML pages of channels: the list (every office of the province, the viewer's
own first), add and edit a channel of one's office, and the connection check
(the bot asks the platform who it is). A token is typed once and never shown
again: only its last characters."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamseda.core import policy
from hamseda.core.auth import signed_in
from hamseda.core.forms import add_service_errors
from hamseda.core.listing import int_param
from hamseda.directory.models import Office, Person, Province
from hamseda.social import selectors
from hamseda.social.forms import AccountForm
from hamseda.social.models import MAIN_PLATFORMS, Platform, SocialAccount
from hamseda.social.services import accounts as services


def _may_manage(user: Person) -> bool:
    return user.office is not None and policy.can(user, "social.accounts", user.office)


@login_required
@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    office_id = int_param(request.GET, "office")
    # A viewer of every province (the ministry centre) picks one: the channels of
    # the whole country are over a thousand rows. Until then, the own office's.
    provinces: list[Province] = []
    province = None
    if policy.reach(user, "social.view") == policy.Reach.ANY:
        provinces = list(Province.objects.order_by("sort_key"))
        wanted = int_param(request.GET, "province")
        province = next((p for p in provinces if p.pk == wanted), None)
        if province is None and office_id is None:
            office_id = user.office_id or 0
    accounts = list(selectors.account_list(viewer=user, office=office_id, province=province))
    # The viewer's office first, then the others by name.
    groups: dict[int, dict[str, object]] = {}
    for account in accounts:
        group = groups.setdefault(
            account.office_id, {"office": account.office, "accounts": [], "platforms": set()}
        )
        group["accounts"].append(account)  # type: ignore[attr-defined]
        group["platforms"].add(account.platform)  # type: ignore[attr-defined]
    ordered = sorted(groups.values(), key=lambda g: g["office"].pk != user.office_id)  # type: ignore[attr-defined]
    mine = next((g for g in ordered if g["office"].pk == user.office_id), None)  # type: ignore[attr-defined]
    missing = (
        [Platform(p).label for p in MAIN_PLATFORMS if p not in mine["platforms"]]  # type: ignore[operator]
        if mine
        else [Platform(p).label for p in MAIN_PLATFORMS]
    )
    context = {
        "groups": ordered,
        "can_manage": _may_manage(user),
        "my_office": user.office,
        "missing": missing if _may_manage(user) else [],
        "tab": "accounts",
        "provinces": provinces,
        "province": province,
    }
    return render(request, "social/account_list.html", context)


def _form_page(
    request: HttpRequest,
    form: AccountForm,
    *,
    title: str,
    account: SocialAccount | None,
    office: Office,
) -> HttpResponse:
    return render(
        request,
        "social/account_form.html",
        {
            "form": form,
            "title": title,
            "account": account,
            "office": office,
            "autosave": f"social-account-{account.pk if account else 'new'}",
            "tab": "accounts",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if not _may_manage(user):
        raise PermissionDenied
    office = user.office
    assert office is not None
    initial = {}
    if request.GET.get("platform") in Platform.values:
        initial["platform"] = request.GET["platform"]
    form = AccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_create(
                actor=user,
                office=office,
                platform=form.cleaned_data["platform"],
                token=form.cleaned_data.get("token") or "",
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("کانال «%(title)s» افزوده شد.") % {"title": account.title})
            return redirect(reverse("social:account_list") + f"#account-{account.pk}")
    return _form_page(request, form, title=_("کانال تازه"), account=None, office=office)


@login_required
@require_http_methods(["GET", "POST"])
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    account = selectors.account_get(viewer=user, pk=pk)
    policy.require(user, "social.accounts", account)
    form = AccountForm(request.POST or None, account=account)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data.get("clear_token"):
                account = services.account_clear_token(actor=user, account=account)
            account = services.account_update(
                actor=user,
                account=account,
                token=form.cleaned_data.get("token") or None,
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("کانال «%(title)s» ذخیره شد.") % {"title": account.title})
            return redirect(reverse("social:account_list") + f"#account-{account.pk}")
    return _form_page(
        request, form, title=_("ویرایش کانال"), account=account, office=account.office
    )


@login_required
@require_POST
def account_check(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    account = selectors.account_get(viewer=user, pk=pk)
    try:
        account = services.account_check(actor=user, account=account)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if account.check_error:
            messages.error(
                request,
                _("اتصال «%(title)s» برقرار نشد: %(error)s")
                % {"title": account.title, "error": account.check_error},
            )
        else:
            messages.success(
                request,
                _("اتصال «%(title)s» برقرار است؛ بات: %(bot)s")
                % {"title": account.title, "bot": account.bot_name or "—"},
            )
    if request.POST.get("from") == "edit":
        return redirect(account.get_absolute_url())
    return redirect(reverse("social:account_list") + f"#account-{account.pk}")
