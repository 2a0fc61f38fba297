"""HTML forms of the social app. They collect and check the shape of the input;
the services decide (limits per platform, which channels an office may use,
image types) and their errors are shown beside the fields here
(``core.forms.submit``). A form redisplayed with errors keeps all the user
typed; ``form[data-autosave]`` keeps it across a crash or a lost connection too.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamseda.campaigns.models import Campaign
from hamseda.core import persian
from hamseda.core.forms_jalali import JalaliDateTimeField, JalaliDateTimeInput
from hamseda.directory.models import Office, Person, Province
from hamseda.social import selectors
from hamseda.social.models import (
    CAPTION_LIMIT,
    PROTOCOL_OF,
    TEXT_LIMIT,
    Platform,
    PostStatus,
    Protocol,
    SocialAccount,
)
from hamseda.social.services.posts import limit_problems

IMAGE_ACCEPT = ".jpg,.jpeg,.png,.gif,.webp,image/jpeg,image/png,image/gif,image/webp"
MAX_IMAGES = 10


def _plain(text: str) -> str:
    # Browsers send a textarea's line breaks as CRLF; the limits count one
    # character per break, as the platforms and the live counters do.
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def _when_field(label: Any) -> JalaliDateTimeField:
    # data-jdp-time: the picker offers a clock as well (hamseda.js).
    return JalaliDateTimeField(
        label=label,
        required=False,
        widget=JalaliDateTimeInput(attrs={"data-jdp-time": ""}),
        help_text=_("به وقت تهران، مانند ۱۴۰۴/۰۵/۲۱ ۱۸:۳۰"),
    )


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ImagesField(forms.FileField):
    """Several pictures at once; the service checks each by its content."""

    widget = MultipleImageInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": IMAGE_ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [super(ImagesField, self).clean(f, initial) for f in files if f]
        if len(files) > MAX_IMAGES:
            raise ValidationError(
                _("حداکثر %(n)s تصویر می‌توان فرستاد.") % {"n": persian.fa_digits(MAX_IMAGES)}
            )
        return files


def variant_name(platform: str) -> str:
    return f"variant_{platform}"


def _variant_field(platform: str) -> forms.CharField:
    label = Platform(platform).label
    limit = TEXT_LIMIT.get(platform)
    hint = (
        _("خالی بماند تا متن اصلی فرستاده شود. بیشینه %(n)s نویسه.")
        % {"n": persian.fa_digits(limit)}
        if limit
        else _("خالی بماند تا متن اصلی فرستاده شود.")
    )
    return forms.CharField(
        label=_("متن ویژه %(platform)s") % {"platform": label},
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "data-variant": platform}),
        help_text=hint,
    )


# --- filters -----------------------------------------------------------------------------


class PostFilterForm(forms.Form):
    """The filters of the posts list (a GET form; htmx swaps the results)."""

    q = forms.CharField(label=_("جستجو در متن"), required=False)
    status = forms.ChoiceField(
        label=_("وضعیت"), choices=[("", _("همه وضعیت‌ها")), *PostStatus.choices], required=False
    )
    platform = forms.ChoiceField(
        label=_("شبکه"), choices=[("", _("همه شبکه‌ها")), *Platform.choices], required=False
    )
    # Only for viewers of every province (the ministry centre): their office list
    # is the province's, once one is chosen (hundreds of offices are no filter).
    province = forms.ModelChoiceField(
        label=_("استان"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("همه استان‌ها"),
    )
    office = forms.ModelChoiceField(
        label=_("روابط عمومی"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("همه روابط عمومی‌ها"),
    )
    campaign = forms.ModelChoiceField(
        label=_("پویش"), queryset=Campaign.objects.none(), required=False, empty_label=_("همه")
    )

    def __init__(self, *args: Any, viewer: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offices = Office.objects.filter(is_active=True)
        campaigns = Campaign.objects.all()
        province_id = viewer.province_id
        if province_id is None:
            self.fields["province"].queryset = Province.objects.order_by("sort_key")  # type: ignore[attr-defined]
            chosen = self.data.get("province") if self.is_bound else None
            province_id = int(chosen) if chosen and str(chosen).isdigit() else None
        else:
            del self.fields["province"]
        if province_id is not None:
            offices = offices.filter(agency__province_id=province_id)
            campaigns = campaigns.filter(Q(province_id=province_id) | Q(province__isnull=True))
        else:
            # No province chosen: the viewer's own office, and the one asked for.
            asked = self.data.get("office") if self.is_bound else None
            wanted = [viewer.office_id, int(asked) if asked and str(asked).isdigit() else None]
            offices = offices.filter(pk__in=[pk for pk in wanted if pk])
        self.fields["office"].queryset = offices.order_by("sort_key")  # type: ignore[attr-defined]
        self.fields["campaign"].queryset = campaigns.order_by("-start_date")[:50]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "status": data.get("status") or None,
            "platform": data.get("platform") or None,
            "province": data.get("province"),
            "office": data.get("office"),
            "campaign": data.get("campaign"),
        }


# --- compose -------------------------------------------------------------------------------


NOW, LATER = "now", "later"


class PostForm(forms.Form):
    """Compose (or edit) one post of ``office``: text once, per-platform
    variants where a limit or the style differs, channels, campaign, pictures,
    now or at a Jalali date and time."""

    text = forms.CharField(
        label=_("متن فرسته"),
        widget=forms.Textarea(attrs={"rows": 7, "data-compose-text": ""}),
    )
    accounts = forms.ModelMultipleChoiceField(
        label=_("کانال‌ها"),
        queryset=SocialAccount.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("دست‌کم یک کانال را برای انتشار انتخاب کنید.")},
    )
    campaign = forms.ModelChoiceField(
        label=_("پویش"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("— بدون پویش —"),
    )
    append_hashtags = forms.BooleanField(
        label=_("هشتگ‌های پویش در پایان متن افزوده شود"), required=False, initial=True
    )
    video_url = forms.URLField(
        label=_("پیوند ویدئو"),
        required=False,
        assume_scheme="https",
        help_text=_("مثلاً پیوند ویدئو در آپارات؛ در پایان متن می‌آید."),
    )
    images = ImagesField(
        label=_("تصویرها"),
        help_text=_("تا ده تصویر JPG، PNG، GIF یا WebP."),
    )
    when = forms.ChoiceField(
        label=_("کی منتشر شود؟"),
        choices=[(NOW, _("همین حالا")), (LATER, _("در زمان مشخص"))],
        widget=forms.RadioSelect,
        initial=NOW,
    )
    scheduled_at = _when_field(_("تاریخ و ساعت انتشار"))

    def __init__(
        self,
        *args: Any,
        office: Office,
        post: Any = None,
        **kwargs: Any,
    ) -> None:
        self.office = office
        self.post = post
        if post is not None and not kwargs.get("data"):
            kwargs.setdefault("initial", self.initial_of(post))
        super().__init__(*args, **kwargs)
        channels = selectors.channels_for(office)
        if post is not None:
            # A channel deactivated since the draft was written still shows, checked.
            channels = SocialAccount.objects.filter(
                pk__in=[
                    *channels.values_list("pk", flat=True),
                    *[a.pk for a in post.accounts.all()],
                ]
            ).order_by("platform", "title", "pk")
        self.fields["accounts"].queryset = channels  # type: ignore[attr-defined]
        self.channels = list(channels)
        campaigns = selectors.campaigns_for(office)
        if post is not None and post.campaign_id:
            campaigns = Campaign.objects.filter(
                pk__in=[*campaigns.values_list("pk", flat=True), post.campaign_id]
            ).order_by("-start_date", "pk")
        self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]
        self.campaigns = list(campaigns)
        self.platforms = selectors.platforms_of(self.channels)
        for platform in self.platforms:
            self.fields[variant_name(platform)] = _variant_field(platform)
        self.existing_media = list(post.media.all()) if post is not None else []
        if self.existing_media:
            self.fields["remove_media"] = forms.TypedMultipleChoiceField(
                label=_("حذف تصویر"),
                choices=[(m.pk, m.name or str(m)) for m in self.existing_media],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    @staticmethod
    def initial_of(post: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "text": post.text,
            "accounts": [a.pk for a in post.accounts.all()],
            "campaign": post.campaign_id,
            "append_hashtags": post.append_hashtags,
            "video_url": post.video_url,
            "when": LATER if post.scheduled_at else NOW,
            "scheduled_at": post.scheduled_at,
        }
        for variant in post.variants.all():
            initial[variant_name(variant.platform)] = variant.text
        return initial

    @property
    def variant_fields(self) -> list[forms.BoundField]:
        return [self[variant_name(p)] for p in self.platforms]

    def channel_groups(self) -> list[tuple[str, str, bool, list[Any]]]:
        """(platform, Persian name, is manual, [checkbox options]) per platform."""
        by_id = {str(a.pk): a for a in self.channels}
        groups: dict[str, list[Any]] = {}
        for option in self["accounts"]:
            account = by_id.get(str(option.data["value"]))
            if account is None:
                continue
            option.account = account  # type: ignore[attr-defined]
            groups.setdefault(account.platform, []).append(option)
        return [
            (
                p,
                str(Platform(p).label),
                PROTOCOL_OF.get(p, Protocol.MANUAL) == Protocol.MANUAL,
                groups[p],
            )
            for p in self.platforms
            if p in groups
        ]

    def limits(self) -> dict[str, dict[str, Any]]:
        """Per platform: {text, caption, manual}, for the live counters."""
        return {
            p: {
                "text": TEXT_LIMIT.get(p),
                "caption": CAPTION_LIMIT.get(p),
                "manual": PROTOCOL_OF.get(p, Protocol.MANUAL) == Protocol.MANUAL,
            }
            for p in self.platforms
        }

    def clean_text(self) -> str:
        return _plain(self.cleaned_data["text"]).strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for platform in self.platforms:
            name = variant_name(platform)
            data[name] = _plain(data.get(name) or "").strip()
        if data.get("when") == LATER and "scheduled_at" not in self.errors:
            when = data.get("scheduled_at")
            if not when:
                self.add_error(
                    "scheduled_at", _("تاریخ و ساعت انتشار را بنویسید یا «همین حالا» را برگزینید.")
                )
            elif when <= timezone.now():
                self.add_error(
                    "scheduled_at",
                    _("این زمان گذشته است؛ زمانی در آینده بنویسید یا «همین حالا» را برگزینید."),
                )
        self._check_limits(data)
        return data

    def _check_limits(self, data: dict[str, Any]) -> None:
        """Each platform whose final text is too long: the error goes beside its
        own text box when it has one, beside the main text otherwise."""
        if not data.get("text") or "accounts" not in data or "campaign" in self.errors:
            return
        variants = {p: data[variant_name(p)] for p in self.platforms if data.get(variant_name(p))}
        kept = len(self.existing_media) - len(data.get("remove_media") or [])
        problems = limit_problems(
            text=data["text"],
            variants=variants,
            platforms=[a.platform for a in data["accounts"]],
            has_media=bool(data.get("images")) or kept > 0,
            campaign=data.get("campaign"),
            append_hashtags=bool(data.get("append_hashtags")),
        )
        for platform, problem in problems.items():
            self.add_error(variant_name(platform) if platform in variants else "text", problem)

    def variants(self) -> dict[str, str]:
        return {
            p: self.cleaned_data[variant_name(p)]
            for p in self.platforms
            if self.cleaned_data.get(variant_name(p))
        }

    def service_fields(self, *, publish: bool) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "account_ids": [a.pk for a in data["accounts"]],
            "campaign": data.get("campaign"),
            "video_url": data.get("video_url") or "",
            "append_hashtags": bool(data.get("append_hashtags")),
            "variants": self.variants(),
            "images": list(data.get("images") or []) or None,
            "scheduled_at": data.get("scheduled_at") if data.get("when") == LATER else None,
            "publish": publish,
            **(
                {"remove_media_ids": list(data.get("remove_media") or [])}
                if self.post is not None
                else {}
            ),
        }


# --- deliveries ---------------------------------------------------------------------------


class ManualForm(forms.Form):
    """ "Published by hand": the link of the published post (and its views)."""

    url = forms.URLField(
        label=_("پیوند فرسته منتشرشده"),
        assume_scheme="https",
        max_length=200,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    views = forms.IntegerField(label=_("بازدید"), min_value=0, required=False)
    sent_at = _when_field(_("زمان انتشار"))

    def __init__(self, *args: Any, prefix_id: str = "manual", **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{prefix_id}_%s")
        super().__init__(*args, **kwargs)
        self.fields["sent_at"].help_text = _("خالی بماند یعنی همین حالا.")


# --- channels -------------------------------------------------------------------------------


class AccountForm(forms.Form):
    """A channel of an office. The bot token is typed into a password box and is
    never drawn back: the page shows only its last characters (``token_hint``)."""

    platform = forms.ChoiceField(label=_("شبکه"), choices=Platform.choices)
    title = forms.CharField(label=_("نام کانال"), max_length=200)
    chat_id = forms.CharField(
        label=_("شناسه کانال"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "placeholder": "@channel_name"}),
        help_text=_(
            "برای بله، ایتا و تلگرام نام کانال با @ یا شناسه عددی؛ برای روبیکا شناسه (guid) "
            "کانال. برای شبکه‌های بدون API خالی بماند."
        ),
    )
    url = forms.URLField(label=_("نشانی عمومی کانال"), required=False, assume_scheme="https")
    token = forms.CharField(
        label=_("توکن بات"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "new-password", "dir": "ltr"}
        ),
        help_text=_(
            "بات را مدیر کانال کنید و توکنی را که سازنده بات داده این‌جا بنویسید. توکن "
            "رمزنگاری‌شده نگه‌داری می‌شود و دیگر نمایش داده نمی‌شود."
        ),
    )
    api_base_url = forms.URLField(
        label=_("نشانی API (اختیاری)"),
        required=False,
        assume_scheme="https",
        help_text=_("خالی بماند تا نشانی رسمی پیام‌رسان به کار رود."),
    )
    followers = forms.IntegerField(label=_("شمار دنبال‌کنندگان"), min_value=0, required=False)
    is_active = forms.BooleanField(label=_("فعال"), required=False, initial=True)
    clear_token = forms.BooleanField(label=_("پاک کردن توکن ذخیره‌شده"), required=False)

    def __init__(self, *args: Any, account: SocialAccount | None = None, **kwargs: Any) -> None:
        self.account = account
        if account is not None:
            kwargs.setdefault(
                "initial",
                {
                    "platform": account.platform,
                    "title": account.title,
                    "chat_id": account.chat_id,
                    "url": account.url,
                    "api_base_url": account.api_base_url,
                    "followers": account.followers,
                    "is_active": account.is_active,
                },
            )
        super().__init__(*args, **kwargs)
        # The token never goes into a draft in the browser's storage.
        self.fields["token"].widget.attrs["data-autosave-skip"] = ""
        if account is None:
            del self.fields["clear_token"]
        else:
            # A channel keeps its platform: its deliveries are counted under it.
            self.fields["platform"].disabled = True
            if account.has_token:
                self.fields["token"].help_text = _(
                    "توکن ذخیره‌شده: «%(hint)s». خالی بماند تا همان بماند؛ توکن تازه جای آن "
                    "را می‌گیرد."
                ) % {"hint": account.token_hint}
            else:
                del self.fields["clear_token"]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "chat_id": (data.get("chat_id") or "").strip(),
            "url": data.get("url") or "",
            "api_base_url": data.get("api_base_url") or "",
            "followers": data.get("followers"),
            "is_active": bool(data.get("is_active")),
        }


# --- joint posts ---------------------------------------------------------------------------


class JointForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("پویش"), queryset=Campaign.objects.none(), empty_label=_("— انتخاب کنید —")
    )
    title = forms.CharField(label=_("عنوان"), max_length=200)
    text = forms.CharField(
        label=_("متن فرسته مشترک"),
        widget=forms.Textarea(attrs={"rows": 7, "data-compose-text": ""}),
    )
    video_url = forms.URLField(label=_("پیوند ویدئو"), required=False, assume_scheme="https")
    images = ImagesField(label=_("تصویرها"), help_text=_("تا ده تصویر JPG، PNG، GIF یا WebP."))
    publish_at = _when_field(_("زمان انتشار هماهنگ"))

    VARIANT_PLATFORMS = (Platform.X, Platform.INSTAGRAM)

    def __init__(self, *args: Any, viewer: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = selectors.joint_campaigns(viewer)  # type: ignore[attr-defined]
        self.fields["publish_at"].help_text = _(
            "خالی بماند تا هر روابط عمومی هنگام تأیید منتشر کند؛ با زمان مشخص همه با هم منتشر "
            "می‌کنند."
        )
        for platform in self.VARIANT_PLATFORMS:
            self.fields[variant_name(platform)] = _variant_field(platform)

    @property
    def variant_fields(self) -> list[forms.BoundField]:
        return [self[variant_name(p)] for p in self.VARIANT_PLATFORMS]

    def clean_text(self) -> str:
        return _plain(self.cleaned_data["text"]).strip()

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        variants = {
            p.value: _plain(data.get(variant_name(p)) or "").strip()
            for p in self.VARIANT_PLATFORMS
            if (data.get(variant_name(p)) or "").strip()
        }
        return {
            "campaign": data["campaign"],
            "title": data["title"],
            "text": data["text"],
            "variants": variants,
            "video_url": data.get("video_url") or "",
            "publish_at": data.get("publish_at"),
            "images": list(data.get("images") or []) or None,
        }


class AdoptForm(forms.Form):
    accounts = forms.ModelMultipleChoiceField(
        label=_("کانال‌هایی که در آن‌ها منتشر می‌شود"),
        queryset=SocialAccount.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("دست‌کم یک کانال را انتخاب کنید.")},
    )

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "adopt_%s")
        super().__init__(*args, **kwargs)
        channels = selectors.channels_for(office)
        self.fields["accounts"].queryset = channels  # type: ignore[attr-defined]
        if not self.is_bound:
            self.fields["accounts"].initial = [a.pk for a in channels]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("دلیل"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("دلیل نپذیرفتن را بنویسید تا گرداننده پویش بداند.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "decline_%s")
        super().__init__(*args, **kwargs)
