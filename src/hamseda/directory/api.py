"""REST API of the directory. Reads go through selectors, writes through services:
the same policy as the HTML pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hamseda.core import jalali
from hamseda.core.api import StrictInputSerializer, int_query_param, paginated
from hamseda.core.auth import signed_in
from hamseda.core.policy import Role
from hamseda.directory import selectors, services
from hamseda.directory.models import (
    Agency,
    AgencyKind,
    Council,
    CouncilMembership,
    MembershipRole,
    Office,
    Person,
    Province,
)


class ProvinceOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    council_id = serializers.SerializerMethodField()

    class Meta:
        model = Province
        fields = ["id", "code", "name", "name_en", "capital_en", "council_id"]

    def get_council_id(self, obj: Province) -> int | None:
        council = getattr(obj, "council", None)
        return council.pk if council else None


class AgencyOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    province: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    office_id = serializers.SerializerMethodField()
    aliases = serializers.SerializerMethodField()

    class Meta:
        model = Agency
        fields = ["id", *services.AGENCY_FIELDS, "office_id", "aliases", "updated_at"]

    def get_office_id(self, obj: Agency) -> int | None:
        try:
            return obj.office.pk
        except Office.DoesNotExist:
            return None

    def get_aliases(self, obj: Agency) -> list[str]:
        return [alias.name for alias in obj.aliases.all()]


class OfficeOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    province = serializers.SerializerMethodField()

    class Meta:
        model = Office
        fields = ["id", "name", "agency", "province", "email", "phone", "address", "is_active"]

    def get_province(self, obj: Office) -> str | None:
        province = obj.agency.province
        return province.code if province else None


class MembershipOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    office_name = serializers.CharField(source="office.name", read_only=True)

    class Meta:
        model = CouncilMembership
        fields = ["id", "office", "office_name", "role", "position"]


class CouncilOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    province: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    established_on_jalali = serializers.SerializerMethodField()
    members = MembershipOutput(source="memberships", many=True, read_only=True)

    class Meta:
        model = Council
        fields = [
            "id",
            "name",
            "province",
            "secretary",
            "established_on",
            "established_on_jalali",
            "description",
            "members",
        ]

    def get_established_on_jalali(self, obj: Council) -> str:
        return jalali.format_date(obj.established_on, "input")


class PersonOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Person
        fields = ["id", *services.PERSON_FIELDS]


# --- me ------------------------------------------------------------------------------


class MeApi(APIView):
    @extend_schema(responses=PersonOutput, summary="The signed-in user")
    def get(self, request: Request) -> Response:
        return Response(PersonOutput(signed_in(request)).data)


# --- provinces -------------------------------------------------------------------------


class ProvinceListApi(APIView):
    @extend_schema(responses=ProvinceOutput(many=True))
    def get(self, request: Request) -> Response:
        provinces = selectors.province_list(viewer=signed_in(request))
        return Response(ProvinceOutput(provinces, many=True).data)


class ProvinceDetailApi(APIView):
    @extend_schema(responses=ProvinceOutput)
    def get(self, request: Request, code: str) -> Response:
        province = selectors.province_get(viewer=signed_in(request), code=code)
        return Response(ProvinceOutput(province).data)


# --- agencies ------------------------------------------------------------------------


class AgencyInput(StrictInputSerializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=AgencyKind.choices)
    province = serializers.SlugRelatedField(
        slug_field="code", queryset=Province.objects.all(), allow_null=True, required=False
    )
    short_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    parent = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        queryset=Agency.objects.all(), allow_null=True, required=False
    )
    website = serializers.URLField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    aliases = serializers.ListField(child=serializers.CharField(max_length=200), required=False)
    is_active = serializers.BooleanField(required=False)


class AgencyCreateInput(AgencyInput):
    # A new agency is always active (``agency_create`` takes no such argument);
    # accepting the field here would silently drop ``"is_active": false``.
    is_active = None  # type: ignore[assignment]


class AgencyListApi(APIView):
    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Persian search, any spelling"),
            OpenApiParameter("province", str, description="province code, or 'national'"),
            OpenApiParameter("kind", str, enum=AgencyKind.values),
        ],
        responses=AgencyOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        province = request.query_params.get("province", "")
        province_obj = Province.objects.filter(code=province).first() if province else None
        filters = selectors.AgencyFilters(
            query=request.query_params.get("q", ""),
            province_id=province_obj.pk if province_obj else None,
            national=province == "national",
            kind=request.query_params.get("kind", ""),
        )
        agencies = selectors.agency_list(
            viewer=signed_in(request),
            filters=filters,
        ).prefetch_related("aliases")
        if province and province != "national" and province_obj is None:
            agencies = agencies.none()
        return paginated(request, self, agencies, AgencyOutput)

    @extend_schema(request=AgencyCreateInput, responses={201: AgencyOutput})
    def post(self, request: Request) -> Response:
        data = AgencyCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.setdefault("province", None)
        agency = services.agency_create(actor=signed_in(request), **fields)
        return Response(AgencyOutput(agency).data, status=status.HTTP_201_CREATED)


class AgencyDetailApi(APIView):
    @extend_schema(responses=AgencyOutput)
    def get(self, request: Request, agency_id: int) -> Response:
        agency = selectors.agency_get(viewer=signed_in(request), agency_id=agency_id)
        return Response(AgencyOutput(agency).data)

    @extend_schema(request=AgencyInput(partial=True), responses=AgencyOutput)
    def patch(self, request: Request, agency_id: int) -> Response:
        agency = selectors.agency_get(viewer=signed_in(request), agency_id=agency_id)
        data = AgencyInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        aliases = fields.pop("aliases", None)
        agency = services.agency_update(
            actor=signed_in(request),
            agency=agency,
            aliases=aliases,
            **fields,
        )
        return Response(AgencyOutput(agency).data)


# --- offices ---------------------------------------------------------------------------


class OfficeInput(StrictInputSerializer):
    name = serializers.CharField(max_length=200, required=False)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class OfficeListApi(APIView):
    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[OpenApiParameter("q", str), OpenApiParameter("province", int)],
        responses=OfficeOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        offices = selectors.office_list(
            viewer=signed_in(request),
            query=request.query_params.get("q", ""),
            province_id=int_query_param(request, "province"),
        )
        return paginated(request, self, offices, OfficeOutput)


class OfficeDetailApi(APIView):
    @extend_schema(responses=OfficeOutput)
    def get(self, request: Request, office_id: int) -> Response:
        office = selectors.office_get(viewer=signed_in(request), office_id=office_id)
        return Response(OfficeOutput(office).data)

    @extend_schema(request=OfficeInput, responses=OfficeOutput)
    def patch(self, request: Request, office_id: int) -> Response:
        office = selectors.office_get(viewer=signed_in(request), office_id=office_id)
        data = OfficeInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        office = services.office_update(
            actor=signed_in(request),
            office=office,
            **data.validated_data,
        )
        return Response(OfficeOutput(office).data)


# --- councils --------------------------------------------------------------------------


class CouncilInput(StrictInputSerializer):
    name = serializers.CharField(max_length=250, required=False)
    secretary = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), allow_null=True, required=False
    )
    established_on = serializers.DateField(allow_null=True, required=False)
    description = serializers.CharField(required=False, allow_blank=True)


class MembershipInput(StrictInputSerializer):
    office = serializers.PrimaryKeyRelatedField(queryset=Office.objects.all())
    role = serializers.ChoiceField(
        choices=[c for c in MembershipRole.choices if c[0] != MembershipRole.CHAIR]
    )
    position = serializers.IntegerField(min_value=1, max_value=999, required=False)


class CouncilListApi(APIView):
    @extend_schema(responses=CouncilOutput(many=True))
    def get(self, request: Request) -> Response:
        councils = selectors.council_list(viewer=signed_in(request))
        return Response(CouncilOutput(councils, many=True).data)


class CouncilDetailApi(APIView):
    @extend_schema(responses=CouncilOutput)
    def get(self, request: Request, council_id: int) -> Response:
        council = selectors.council_get(viewer=signed_in(request), council_id=council_id)
        return Response(CouncilOutput(council).data)

    @extend_schema(request=CouncilInput, responses=CouncilOutput)
    def patch(self, request: Request, council_id: int) -> Response:
        user = signed_in(request)
        council = selectors.council_get(viewer=user, council_id=council_id)
        data = CouncilInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.council_update(actor=user, council=council, **data.validated_data)
        return Response(
            CouncilOutput(selectors.council_get(viewer=user, council_id=council_id)).data
        )


class CouncilMemberListApi(APIView):
    @extend_schema(request=MembershipInput, responses={201: MembershipOutput})
    def post(self, request: Request, council_id: int) -> Response:
        council = selectors.council_get(viewer=signed_in(request), council_id=council_id)
        data = MembershipInput(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.council_member_add(
            actor=signed_in(request),
            council=council,
            **data.validated_data,
        )
        return Response(MembershipOutput(membership).data, status=status.HTTP_201_CREATED)


class CouncilMemberDetailApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, council_id: int, membership_id: int) -> Response:
        council = selectors.council_get(viewer=signed_in(request), council_id=council_id)
        membership = council.memberships.filter(pk=membership_id).first()
        if membership is None:
            return Response(status=status.HTTP_404_NOT_FOUND)
        services.council_member_remove(actor=signed_in(request), membership=membership)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- people ----------------------------------------------------------------------------


class PersonInput(StrictInputSerializer):
    username = serializers.CharField(max_length=150)
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    office = serializers.PrimaryKeyRelatedField(queryset=Office.objects.all(), allow_null=True)
    role = serializers.ChoiceField(choices=Role.choices)
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    job_title = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)


class PersonUpdateInput(PersonInput):
    password = None  # type: ignore[assignment]
    is_active = serializers.BooleanField(required=False)


class PersonListApi(APIView):
    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("office", int),
            OpenApiParameter("role", str, enum=Role.values),
        ],
        responses=PersonOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = selectors.PersonFilters(
            query=request.query_params.get("q", ""),
            office_id=int_query_param(request, "office"),
            role=request.query_params.get("role", ""),
        )
        people = selectors.person_list(viewer=signed_in(request), filters=filters)
        return paginated(request, self, people, PersonOutput)

    @extend_schema(request=PersonInput, responses={201: PersonOutput})
    def post(self, request: Request) -> Response:
        data = PersonInput(data=request.data)
        data.is_valid(raise_exception=True)
        person = services.person_create(actor=signed_in(request), **data.validated_data)
        return Response(PersonOutput(person).data, status=status.HTTP_201_CREATED)


class PersonDetailApi(APIView):
    @extend_schema(responses=PersonOutput)
    def get(self, request: Request, person_id: int) -> Response:
        person = selectors.person_get(viewer=signed_in(request), person_id=person_id)
        return Response(PersonOutput(person).data)

    @extend_schema(request=PersonUpdateInput(partial=True), responses=PersonOutput)
    def patch(self, request: Request, person_id: int) -> Response:
        user = signed_in(request)
        person = selectors.person_get(viewer=user, person_id=person_id)
        data = PersonUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        active = fields.pop("is_active", None)
        if fields:
            person = services.person_update(actor=user, person=person, **fields)
        if active is not None:
            person = services.person_set_active(actor=user, person=person, active=active)
        return Response(PersonOutput(person).data)
