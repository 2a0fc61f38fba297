"""HTML pages of a campaign's joint posts: the list, writing one (a co-owner of
the campaign, or the province's chair and secretary), and one joint post with
every invited office, what it answered and where its adoption was published;
an invited office approves it (choosing its channels) or declines with a
reason, and the writer closes it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamseda.core import policy
from hamseda.core.audit import audit_history
from hamseda.core.auth import signed_in
from hamseda.core.forms import add_service_errors, submit
from hamseda.core.listing import page_of
from hamseda.directory.models import Person
from hamseda.social import selectors
from hamseda.social.forms import AdoptForm, DeclineForm, JointForm
from hamseda.social.models import InviteStatus, JointPost, JointStatus, Platform
from hamseda.social.services import joint as services


def _may_write(user: Person) -> bool:
    return selectors.joint_campaigns(user).exists()


@login_required
@require_GET
def joint_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    page = page_of(request, selectors.joint_list(viewer=user), per_page=20)
    for joint in page.object_list:
        invites = list(joint.invites.all())
        joint.counts = {
            status: sum(1 for i in invites if i.status == status) for status in InviteStatus.values
        }
        joint.total = len(invites)
        joint.my_invite = joint.my_invites[0] if joint.my_invites else None
    return render(
        request,
        "social/joint_list.html",
        {"page_obj": page, "can_write": _may_write(user), "tab": "joint"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def joint_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if not _may_write(user):
        raise PermissionDenied
    initial = {}
    if request.GET.get("campaign", "").isdigit():
        initial["campaign"] = int(request.GET["campaign"])
    form = JointForm(request.POST or None, request.FILES or None, viewer=user, initial=initial)

    def save(data: dict) -> JointPost:  # type: ignore[type-arg]
        fields = form.service_fields()
        # The writer's office prepares it; an admin without one writes for the
        # campaign's first co-owner.
        office = user.office or fields["campaign"].co_owners.first()
        return services.joint_create(actor=user, office=office, **fields)

    if done := submit(
        request,
        form,
        save,
        success=_("فرسته مشترک نوشته شد و روابط عمومی‌های پویش برای تأیید و انتشار آن خبر شدند."),
    ):
        return done
    return render(
        request,
        "social/joint_form.html",
        {
            "form": form,
            "title": _("فرسته مشترک تازه"),
            "autosave": "social-joint-new",
            "tab": "joint",
        },
        status=400 if form.errors else 200,
    )


def _detail_context(request: HttpRequest, user: Person, joint: JointPost) -> dict[str, object]:
    my_row = next((r for r in joint.rows if r.invite.office_id == user.office_id), None)  # type: ignore[attr-defined]
    may_answer = (
        my_row is not None
        and my_row.invite.status == InviteStatus.PENDING
        and joint.status == JointStatus.OPEN
        and policy.can(user, "social.publish", my_row.invite.office)
    )
    rows = joint.rows  # type: ignore[attr-defined]
    return {
        "joint": joint,
        "rows": rows,
        "my_row": my_row,
        "may_answer": may_answer,
        "adopt_form": AdoptForm(office=user.office) if may_answer and user.office else None,
        "decline_form": DeclineForm() if may_answer else None,
        "can_close": joint.status == JointStatus.OPEN and policy.can(user, "social.joint", joint),
        "approved": sum(1 for r in rows if r.invite.status == InviteStatus.APPROVED),
        "declined": sum(1 for r in rows if r.invite.status == InviteStatus.DECLINED),
        "pending": sum(1 for r in rows if r.invite.status == InviteStatus.PENDING),
        "variants": [
            (p, Platform(p).label if p in Platform.values else p, text)
            for p, text in (joint.variants or {}).items()
        ],
        "history": audit_history(viewer=user, target=joint),
        "tab": "joint",
    }


@login_required
@require_GET
def joint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    joint = selectors.joint_detail(viewer=user, pk=pk)
    return render(request, "social/joint_detail.html", _detail_context(request, user, joint))


@login_required
@require_POST
def joint_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    joint = selectors.joint_detail(viewer=user, pk=pk)
    if user.office is None:
        raise PermissionDenied
    form = AdoptForm(request.POST, office=user.office)
    if form.is_valid():
        try:
            post = services.joint_adopt(
                actor=user,
                joint=joint,
                office=user.office,
                account_ids=[a.pk for a in form.cleaned_data["accounts"]],
            )
        except ValidationError as error:
            add_service_errors(form, error, {"account_ids": "accounts"})
        else:
            messages.success(request, _("فرسته مشترک تأیید شد و در کانال‌های شما منتشر می‌شود."))
            return redirect(post.get_absolute_url())
    context = _detail_context(request, user, joint)
    context["adopt_form"] = form
    return render(request, "social/joint_detail.html", context, status=400)


@login_required
@require_POST
def joint_decline(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    joint = selectors.joint_detail(viewer=user, pk=pk)
    if user.office is None:
        raise PermissionDenied
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.joint_decline(
                actor=user, joint=joint, office=user.office, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("پاسخ شما ثبت شد."))
            return redirect(joint.get_absolute_url())
    context = _detail_context(request, user, joint)
    context["decline_form"] = form
    return render(request, "social/joint_detail.html", context, status=400)


@login_required
@require_POST
def joint_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    joint = selectors.joint_detail(viewer=user, pk=pk)
    try:
        services.joint_close(actor=user, joint=joint)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("فرسته مشترک بسته شد؛ دعوت‌های بی‌پاسخ دیگر پذیرفته نمی‌شوند."))
    return redirect(joint.get_absolute_url())
