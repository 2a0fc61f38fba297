"""REST API of social networks under ``/api/v1/social/``: channels, posts and
their deliveries, campaign joint posts and the coverage matrix. Selectors read
(scoped by ``social.view``), services write (each checks its own action), as the
pages do.

A channel's bot token is write-only: it is sent on create or update and never
returned, not even encrypted; ``token_hint`` shows its last characters.
Pictures are uploaded through the pages; the API composes text posts.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hamseda.campaigns import selectors as campaign_selectors
from hamseda.campaigns.models import Campaign
from hamseda.core.api import StrictInputSerializer, int_query_param, paginated, validated
from hamseda.core.auth import signed_in
from hamseda.directory.models import Office, Person
from hamseda.social import coverage, selectors
from hamseda.social.adapters.base import explain
from hamseda.social.models import (
    Delivery,
    DeliveryStatus,
    ErrorKind,
    InviteStatus,
    JointInvite,
    JointPost,
    JointStatus,
    Platform,
    Post,
    PostStatus,
    SocialAccount,
)
from hamseda.social.services import accounts as account_services
from hamseda.social.services import delivery as delivery_services
from hamseda.social.services import joint as joint_services
from hamseda.social.services import posts as post_services

# --- output ----------------------------------------------------------------------------


class AccountOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    office_name = serializers.CharField(source="office.name", read_only=True)
    platform = serializers.ChoiceField(choices=Platform.choices)
    protocol = serializers.CharField(read_only=True)
    is_manual = serializers.BooleanField(read_only=True)
    has_token = serializers.BooleanField(read_only=True)
    token_hint = serializers.CharField(
        read_only=True, help_text="The token's last characters («…abcd»); the token never."
    )

    class Meta:
        model = SocialAccount
        fields = [
            "id",
            "office",
            "office_name",
            "platform",
            "protocol",
            "is_manual",
            "title",
            "chat_id",
            "url",
            "api_base_url",
            "has_token",
            "token_hint",
            "is_active",
            "followers",
            "checked_at",
            "check_error",
            "bot_name",
        ]


class DeliveryOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    account_title = serializers.CharField(source="account.title", read_only=True)
    platform = serializers.ChoiceField(choices=Platform.choices)
    status = serializers.ChoiceField(choices=DeliveryStatus.choices)
    error_kind = serializers.ChoiceField(choices=ErrorKind.choices, allow_blank=True)
    error_what = serializers.SerializerMethodField(help_text="What went wrong, in Persian.")
    error_todo = serializers.SerializerMethodField(help_text="What to do about it, in Persian.")

    class Meta:
        model = Delivery
        fields = [
            "id",
            "post",
            "account",
            "account_title",
            "platform",
            "status",
            "attempts",
            "next_attempt_at",
            "remote_id",
            "remote_url",
            "sent_at",
            "views",
            "error_kind",
            "error_what",
            "error_todo",
            "error_detail",
        ]

    def get_error_what(self, obj: Delivery) -> str:
        return explain(obj.error_kind)[0]

    def get_error_todo(self, obj: Delivery) -> str:
        return explain(obj.error_kind)[1]


class PostOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    office_name = serializers.CharField(source="office.name", read_only=True)
    status = serializers.ChoiceField(choices=PostStatus.choices)
    deliveries = DeliveryOutput(many=True, read_only=True)

    class Meta:
        model = Post
        fields = [
            "id",
            "office",
            "office_name",
            "campaign",
            "joint",
            "text",
            "video_url",
            "append_hashtags",
            "accounts",
            "scheduled_at",
            "status",
            "released_at",
            "created_at",
            "deliveries",
        ]


class PostDetailOutput(PostOutput):
    variants = serializers.SerializerMethodField()
    texts = serializers.SerializerMethodField()

    class Meta(PostOutput.Meta):
        fields = [*PostOutput.Meta.fields, "variants", "texts"]

    @extend_schema_field(
        serializers.DictField(
            child=serializers.CharField(), help_text="Own text of a platform, by platform."
        )
    )
    def get_variants(self, obj: Post) -> dict[str, str]:
        return {variant.platform: variant.text for variant in obj.variants.all()}

    @extend_schema_field(
        serializers.DictField(
            child=serializers.CharField(),
            help_text="What each chosen platform receives (its text with the hashtags).",
        )
    )
    def get_texts(self, obj: Post) -> dict[str, str]:
        platforms = sorted({account.platform for account in obj.accounts.all()})
        return {platform: post_services.text_for(obj, platform) for platform in platforms}


class JointInviteOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(choices=InviteStatus.choices)

    class Meta:
        model = JointInvite
        fields = ["office", "status", "reason", "decided_at"]


class JointOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    campaign_title = serializers.CharField(source="campaign.title", read_only=True)
    office_name = serializers.CharField(source="office.name", read_only=True)
    status = serializers.ChoiceField(choices=JointStatus.choices)
    variants = serializers.DictField(child=serializers.CharField(), read_only=True)
    invites = JointInviteOutput(many=True, read_only=True)

    class Meta:
        model = JointPost
        fields = [
            "id",
            "campaign",
            "campaign_title",
            "office",
            "office_name",
            "title",
            "text",
            "variants",
            "video_url",
            "publish_at",
            "status",
            "created_at",
            "invites",
        ]


class SocialCoverageCellOutput(serializers.Serializer):  # type: ignore[type-arg]
    platform = serializers.ChoiceField(choices=Platform.choices)
    channels = serializers.IntegerField(help_text="Active channels of the office there.")
    active = serializers.BooleanField(help_text="An active channel and a post in the period.")
    posts = serializers.IntegerField()
    views = serializers.IntegerField(allow_null=True, help_text="Null: none reported.")


class SocialCoverageRowOutput(serializers.Serializer):  # type: ignore[type-arg]
    office = serializers.IntegerField(source="office.pk")
    office_name = serializers.CharField(source="office.name")
    province = serializers.IntegerField(source="province.pk", allow_null=True)
    cells = SocialCoverageCellOutput(many=True)
    share = serializers.FloatField(help_text="Main messengers active on, in percent.")


class SocialCoverageTotalOutput(serializers.Serializer):  # type: ignore[type-arg]
    platform = serializers.ChoiceField(choices=Platform.choices)
    offices = serializers.IntegerField()
    with_channel = serializers.IntegerField()
    active = serializers.IntegerField()
    posts = serializers.IntegerField()
    views = serializers.IntegerField(allow_null=True)
    share = serializers.FloatField()


class SocialCoverageOutput(serializers.Serializer):  # type: ignore[type-arg]
    start = serializers.DateField()
    end = serializers.DateField()
    platforms = serializers.ListField(child=serializers.ChoiceField(choices=Platform.choices))
    main_platforms = serializers.ListField(child=serializers.ChoiceField(choices=Platform.choices))
    rows = SocialCoverageRowOutput(many=True)
    totals = SocialCoverageTotalOutput(many=True)
    share = serializers.FloatField(help_text='The "100%": main messengers × offices active.')
    full_offices = serializers.IntegerField()


# --- input -----------------------------------------------------------------------------


def _office_field() -> Any:
    return serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Defaults to the caller's own office.",
    )


class AccountInput(StrictInputSerializer):
    office = _office_field()
    platform = serializers.ChoiceField(choices=Platform.choices)
    title = serializers.CharField(max_length=200)
    chat_id = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    url = serializers.URLField(required=False, allow_blank=True, default="")
    api_base_url = serializers.URLField(required=False, allow_blank=True, default="")
    token = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        style={"input_type": "password"},
        help_text="The bot token; stored encrypted and never returned.",
    )
    followers = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    is_active = serializers.BooleanField(required=False, default=True)


class AccountEditInput(StrictInputSerializer):
    """Only the fields sent change; a token left out or empty keeps the stored one."""

    title = serializers.CharField(max_length=200, required=False)
    chat_id = serializers.CharField(max_length=200, required=False, allow_blank=True)
    url = serializers.URLField(required=False, allow_blank=True)
    api_base_url = serializers.URLField(required=False, allow_blank=True)
    token = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        style={"input_type": "password"},
        help_text="A new bot token replaces the stored one; empty or absent keeps it.",
    )
    followers = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False)


def _variants_field(help_text: str) -> Any:
    return serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=dict,
        help_text=help_text,
    )


class PostInput(StrictInputSerializer):
    office = _office_field()
    text = serializers.CharField(allow_blank=True)
    account_ids = serializers.ListField(
        child=serializers.IntegerField(), help_text="Channels of the office to publish on."
    )
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.all(), required=False, allow_null=True, default=None
    )
    video_url = serializers.URLField(required=False, allow_blank=True, default="")
    append_hashtags = serializers.BooleanField(required=False, default=True)
    variants = _variants_field("Own text of a platform, by platform (e.g. a shorter one for x).")
    scheduled_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Null: publish now."
    )
    publish = serializers.BooleanField(
        required=False, default=True, help_text="False keeps it as a draft."
    )


class ManualInput(StrictInputSerializer):
    url = serializers.URLField(required=False, allow_blank=True, default="")
    views = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    sent_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class JointInput(StrictInputSerializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all())
    office = _office_field()
    title = serializers.CharField(max_length=200)
    text = serializers.CharField()
    variants = _variants_field("Own text of a platform, by platform.")
    video_url = serializers.URLField(required=False, allow_blank=True, default="")
    publish_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="When adopting offices publish it; null: as each approves.",
    )


class AdoptInput(StrictInputSerializer):
    office = _office_field()
    account_ids = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Null: every active channel of the office.",
    )
    text = serializers.CharField(required=False, allow_null=True, default=None)
    variants = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, allow_null=True, default=None
    )
    scheduled_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class DeclineInput(StrictInputSerializer):
    office = _office_field()
    reason = serializers.CharField()


# --- helpers ---------------------------------------------------------------------------


def _office(viewer: Person, office: Office | None) -> Office:
    """The office a write is for: the one sent, else the caller's own."""
    if office is not None:
        return office
    if viewer.office is None:
        raise serializers.ValidationError({"office": [_("روابط عمومی را مشخص کنید.")]})
    return viewer.office


def _campaign(viewer: Person, campaign: Campaign | None) -> Campaign | None:
    """A campaign the caller may see (404 otherwise)."""
    if campaign is None:
        return None
    return campaign_selectors.campaign_get_for(viewer=viewer, campaign_id=campaign.pk)


def _post_detail(request: Request, pk: int, code: int = status.HTTP_200_OK) -> Response:
    post = selectors.post_detail(viewer=signed_in(request), pk=pk)
    return Response(PostDetailOutput(post).data, status=code)


def _joint_detail(request: Request, pk: int, code: int = status.HTTP_200_OK) -> Response:
    joint = selectors.joint_detail(viewer=signed_in(request), pk=pk)
    return Response(JointOutput(joint).data, status=code)


def _choice(request: Request, name: str, allowed: list[str]) -> str:
    value = request.query_params.get(name, "")
    if value and value not in allowed:
        message = _("یکی از این مقدارها را بفرستید: %(values)s")
        raise serializers.ValidationError({name: [message % {"values": "، ".join(allowed)}]})
    return value


# --- channels --------------------------------------------------------------------------


class AccountListApi(APIView):
    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[OpenApiParameter("office", int, description="One office's channels.")],
        responses=AccountOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        accounts = selectors.account_list(
            viewer=signed_in(request), office=int_query_param(request, "office")
        )
        return paginated(request, self, accounts, AccountOutput)

    @extend_schema(request=AccountInput, responses={201: AccountOutput})
    def post(self, request: Request) -> Response:
        viewer = signed_in(request)
        data = validated(AccountInput, request)
        data["office"] = _office(viewer, data["office"])
        account = account_services.account_create(actor=viewer, **data)
        return Response(AccountOutput(account).data, status=status.HTTP_201_CREATED)


class AccountDetailApi(APIView):
    @extend_schema(responses=AccountOutput)
    def get(self, request: Request, account_id: int) -> Response:
        account = selectors.account_get(viewer=signed_in(request), pk=account_id)
        return Response(AccountOutput(account).data)

    @extend_schema(request=AccountEditInput, responses=AccountOutput)
    def patch(self, request: Request, account_id: int) -> Response:
        viewer = signed_in(request)
        account = selectors.account_get(viewer=viewer, pk=account_id)
        data = validated(AccountEditInput, request)
        account = account_services.account_update(actor=viewer, account=account, **data)
        return Response(AccountOutput(account).data)


# --- posts and deliveries --------------------------------------------------------------


class PostListApi(APIView):
    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("office", int),
            OpenApiParameter("status", str, enum=PostStatus.values),
            OpenApiParameter("platform", str, enum=Platform.values),
            OpenApiParameter("campaign", int),
            OpenApiParameter("q", str, description="Words of the text, in any spelling."),
        ],
        responses=PostOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        posts = selectors.post_list(
            viewer=signed_in(request),
            office=int_query_param(request, "office"),
            status=_choice(request, "status", PostStatus.values),
            platform=_choice(request, "platform", Platform.values),
            campaign=int_query_param(request, "campaign"),
            q=request.query_params.get("q", ""),
        )
        return paginated(request, self, posts, PostOutput)

    @extend_schema(request=PostInput, responses={201: PostDetailOutput})
    def post(self, request: Request) -> Response:
        viewer = signed_in(request)
        data = validated(PostInput, request)
        data["office"] = _office(viewer, data["office"])
        data["campaign"] = _campaign(viewer, data["campaign"])
        post = post_services.post_create(actor=viewer, **data)
        return _post_detail(request, post.pk, status.HTTP_201_CREATED)


class PostDetailApi(APIView):
    @extend_schema(responses=PostDetailOutput)
    def get(self, request: Request, post_id: int) -> Response:
        return _post_detail(request, post_id)


class PostDeliveriesApi(APIView):
    @extend_schema(responses=DeliveryOutput(many=True))
    def get(self, request: Request, post_id: int) -> Response:
        post = selectors.post_detail(viewer=signed_in(request), pk=post_id)
        return Response(DeliveryOutput(post.deliveries.all(), many=True).data)


class DeliveryRetryApi(APIView):
    @extend_schema(request=None, responses=DeliveryOutput)
    def post(self, request: Request, delivery_id: int) -> Response:
        viewer = signed_in(request)
        delivery = selectors.delivery_get(viewer=viewer, pk=delivery_id)
        delivery = delivery_services.delivery_retry(actor=viewer, delivery=delivery)
        return Response(DeliveryOutput(delivery).data)


class DeliveryManualApi(APIView):
    @extend_schema(request=ManualInput, responses=DeliveryOutput)
    def post(self, request: Request, delivery_id: int) -> Response:
        viewer = signed_in(request)
        delivery = selectors.delivery_get(viewer=viewer, pk=delivery_id)
        data = validated(ManualInput, request)
        delivery = delivery_services.delivery_mark_manual(actor=viewer, delivery=delivery, **data)
        return Response(DeliveryOutput(delivery).data)


# --- joint posts -----------------------------------------------------------------------


class JointListApi(APIView):
    pagination_class = LimitOffsetPagination

    @extend_schema(responses=JointOutput(many=True))
    def get(self, request: Request) -> Response:
        joints = selectors.joint_list(viewer=signed_in(request)).select_related("campaign")
        return paginated(request, self, joints, JointOutput)

    @extend_schema(request=JointInput, responses={201: JointOutput})
    def post(self, request: Request) -> Response:
        viewer = signed_in(request)
        data = validated(JointInput, request)
        data["office"] = _office(viewer, data["office"])
        data["campaign"] = _campaign(viewer, data["campaign"])
        joint = joint_services.joint_create(actor=viewer, **data)
        return _joint_detail(request, joint.pk, status.HTTP_201_CREATED)


class JointDetailApi(APIView):
    @extend_schema(responses=JointOutput)
    def get(self, request: Request, joint_id: int) -> Response:
        return _joint_detail(request, joint_id)


class JointAdoptApi(APIView):
    @extend_schema(request=AdoptInput, responses={201: PostDetailOutput})
    def post(self, request: Request, joint_id: int) -> Response:
        viewer = signed_in(request)
        joint = selectors.joint_detail(viewer=viewer, pk=joint_id)
        data = validated(AdoptInput, request)
        data["office"] = _office(viewer, data["office"])
        post = joint_services.joint_adopt(actor=viewer, joint=joint, **data)
        return _post_detail(request, post.pk, status.HTTP_201_CREATED)


class JointDeclineApi(APIView):
    @extend_schema(request=DeclineInput, responses=JointOutput)
    def post(self, request: Request, joint_id: int) -> Response:
        viewer = signed_in(request)
        joint = selectors.joint_detail(viewer=viewer, pk=joint_id)
        data = validated(DeclineInput, request)
        data["office"] = _office(viewer, data["office"])
        joint_services.joint_decline(actor=viewer, joint=joint, **data)
        return _joint_detail(request, joint_id)


# --- coverage --------------------------------------------------------------------------


class CoverageApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "province", int, description="One province's council (the ministry centre)."
            )
        ],
        responses=SocialCoverageOutput,
    )
    def get(self, request: Request) -> Response:
        viewer = signed_in(request)
        province_id = int_query_param(request, "province")
        province = None
        if province_id is not None:
            province = coverage.viewable_provinces(viewer).filter(pk=province_id).first()
            if province is None:
                raise serializers.ValidationError({"province": [_("این استان را نمی‌بینید.")]})
        matrix = coverage.coverage_matrix(viewer=viewer, province=province)
        return Response(SocialCoverageOutput(matrix).data)
