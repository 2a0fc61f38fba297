"""REST API of meetings: meetings, agenda, member reports, attendance, resolutions,
minutes, search. Reads go through selectors, writes through services: the same
policy and rules as the HTML pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hamseda.core import jalali, policy
from hamseda.core.api import StrictInputSerializer, int_query_param, paginated, validated
from hamseda.core.auth import signed_in
from hamseda.directory.models import Council, Office
from hamseda.meetings import selectors
from hamseda.meetings import services as meeting_services
from hamseda.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    Meeting,
    MeetingStatus,
    MemberReport,
    Minutes,
    ReportItem,
    ReportItemKind,
    ReportStatus,
    Resolution,
)
from hamseda.meetings.search import council_search
from hamseda.meetings.services import minutes as minutes_services

# --- output ---------------------------------------------------------------------------


class MeetingOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    council_name = serializers.CharField(source="council.name", read_only=True)
    starts_at_jalali = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "council",
            "council_name",
            "number",
            "title",
            "starts_at",
            "starts_at_jalali",
            "duration_minutes",
            "place",
            "status",
            "invitations_sent_at",
            "cancel_reason",
        ]

    def get_starts_at_jalali(self, obj: Meeting) -> str:
        return jalali.format_datetime(obj.starts_at, "input")


class AgendaItemOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "position",
            "kind",
            "title",
            "description",
            "presenting_office",
            "minutes_allotted",
        ]


class ReportItemOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ReportItem
        fields = ["id", "kind", "text", "figure_label", "figure_value"]


class ReportOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    items = ReportItemOutput(many=True, read_only=True)

    class Meta:
        model = MemberReport
        fields = ["id", "office", "status", "summary", "submitted_at", "items"]


class AttendanceOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Attendance
        fields = ["office", "status", "attendee_name", "attendee_title"]


class ResolutionOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    followup = serializers.SerializerMethodField()

    class Meta:
        model = Resolution
        fields = [
            "id",
            "meeting",
            "number",
            "text",
            "decision",
            "solution",
            "solved_by",
            "responsible_offices",
            "due_date",
            "source_item",
            "followup",
        ]

    def get_followup(self, obj: Resolution) -> int | None:
        followup = getattr(obj, "followup", None)
        return followup.pk if followup is not None else None


class MinutesOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Minutes
        fields = ["meeting", "body", "version", "approved_at", "approved_by"]


# --- input ----------------------------------------------------------------------------


class MeetingInput(StrictInputSerializer):
    council = serializers.PrimaryKeyRelatedField(queryset=Council.objects.all())
    starts_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=250)
    title = serializers.CharField(max_length=250, required=False, allow_blank=True)
    duration_minutes = serializers.IntegerField(min_value=15, max_value=600, required=False)


class MeetingUpdateInput(StrictInputSerializer):
    starts_at = serializers.DateTimeField(required=False)
    place = serializers.CharField(max_length=250, required=False)
    title = serializers.CharField(max_length=250, required=False, allow_blank=True)
    duration_minutes = serializers.IntegerField(min_value=15, max_value=600, required=False)


class MeetingCancelInput(StrictInputSerializer):
    # Not "ReasonInput": followups.api has one (with an optional reason), and
    # drf-spectacular names components by class name, so one would replace the
    # other in the schema.
    reason = serializers.CharField(max_length=300)


class AgendaItemInput(StrictInputSerializer):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True)
    presenting_office = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.all(), allow_null=True, required=False
    )
    minutes_allotted = serializers.IntegerField(min_value=1, max_value=600, required=False)


class ReportItemInput(StrictInputSerializer):
    kind = serializers.ChoiceField(choices=ReportItemKind.choices)
    text = serializers.CharField()
    figure_label = serializers.CharField(max_length=120, required=False, allow_blank=True)
    figure_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )


class ReportInput(StrictInputSerializer):
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    items = ReportItemInput(many=True, required=False, default=list)
    submit = serializers.BooleanField(required=False, default=False)


class AttendanceEntryInput(StrictInputSerializer):
    office = serializers.PrimaryKeyRelatedField(queryset=Office.objects.all())
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    attendee_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    attendee_title = serializers.CharField(max_length=200, required=False, allow_blank=True)


class AttendanceInput(StrictInputSerializer):
    entries = AttendanceEntryInput(many=True)


class ResolutionInput(StrictInputSerializer):
    text = serializers.CharField()
    decision = serializers.ChoiceField(choices=Decision.choices)
    solution = serializers.CharField(required=False, allow_blank=True)
    solved_by = serializers.CharField(max_length=200, required=False, allow_blank=True)
    responsible_offices = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.all(), many=True, required=False
    )
    due_date = serializers.DateField(required=False, allow_null=True)
    source_item = serializers.PrimaryKeyRelatedField(
        queryset=ReportItem.objects.all(), required=False, allow_null=True
    )


class MinutesInput(StrictInputSerializer):
    body = serializers.CharField(allow_blank=True)
    # 0: there were no minutes when the client started (what GET answers then).
    version = serializers.IntegerField(min_value=0)


def _meeting(request: Request, meeting_id: int) -> Meeting:
    return selectors.meeting_get_for(viewer=signed_in(request), meeting_id=meeting_id)


# --- meetings -------------------------------------------------------------------------


class MeetingListApi(APIView):
    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=MeetingStatus.values),
            OpenApiParameter("council", int),
        ],
        responses=MeetingOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = selectors.MeetingFilters(
            status=request.query_params.get("status", ""),
            council_id=int_query_param(request, "council"),
        )
        meetings = selectors.meeting_list(viewer=signed_in(request), filters=filters)
        return paginated(request, self, meetings, MeetingOutput)

    @extend_schema(request=MeetingInput, responses={201: MeetingOutput})
    def post(self, request: Request) -> Response:
        data = validated(MeetingInput, request)
        meeting = meeting_services.meeting_create(actor=signed_in(request), **data)
        return Response(MeetingOutput(meeting).data, status=status.HTTP_201_CREATED)


class MeetingDetailApi(APIView):
    @extend_schema(responses=MeetingOutput)
    def get(self, request: Request, meeting_id: int) -> Response:
        return Response(MeetingOutput(_meeting(request, meeting_id)).data)

    @extend_schema(request=MeetingUpdateInput, responses=MeetingOutput)
    def patch(self, request: Request, meeting_id: int) -> Response:
        meeting = _meeting(request, meeting_id)
        data = validated(MeetingUpdateInput, request, partial=True)
        meeting = meeting_services.meeting_update(actor=signed_in(request), meeting=meeting, **data)
        return Response(MeetingOutput(meeting).data)


class MeetingCancelApi(APIView):
    @extend_schema(request=MeetingCancelInput, responses=MeetingOutput)
    def post(self, request: Request, meeting_id: int) -> Response:
        meeting = _meeting(request, meeting_id)
        data = validated(MeetingCancelInput, request)
        meeting = meeting_services.meeting_cancel(
            actor=signed_in(request), meeting=meeting, reason=data["reason"]
        )
        return Response(MeetingOutput(meeting).data)


class MeetingInviteApi(APIView):
    @extend_schema(
        request=None,
        responses=inline_serializer("InviteOutput", {"invited": serializers.IntegerField()}),
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        meeting = _meeting(request, meeting_id)
        invited = meeting_services.meeting_invite(actor=signed_in(request), meeting=meeting)
        return Response({"invited": invited})


class MeetingHeldApi(APIView):
    @extend_schema(request=None, responses=MeetingOutput)
    def post(self, request: Request, meeting_id: int) -> Response:
        meeting = _meeting(request, meeting_id)
        meeting = meeting_services.meeting_mark_held(actor=signed_in(request), meeting=meeting)
        return Response(MeetingOutput(meeting).data)


# --- agenda ---------------------------------------------------------------------------


class AgendaApi(APIView):
    @extend_schema(responses=AgendaItemOutput(many=True))
    def get(self, request: Request, meeting_id: int) -> Response:
        meeting = _meeting(request, meeting_id)
        return Response(AgendaItemOutput(meeting.agenda_items.all(), many=True).data)

    @extend_schema(request=AgendaItemInput, responses={201: AgendaItemOutput})
    def post(self, request: Request, meeting_id: int) -> Response:
        meeting = _meeting(request, meeting_id)
        data = validated(AgendaItemInput, request)
        item = meeting_services.agenda_item_add(actor=signed_in(request), meeting=meeting, **data)
        return Response(AgendaItemOutput(item).data, status=status.HTTP_201_CREATED)


class AgendaItemApi(APIView):
    def _item(self, request: Request, meeting_id: int, item_id: int) -> AgendaItem:
        meeting = _meeting(request, meeting_id)
        return get_object_or_404(AgendaItem, pk=item_id, meeting=meeting)

    @extend_schema(request=AgendaItemInput, responses=AgendaItemOutput)
    def patch(self, request: Request, meeting_id: int, item_id: int) -> Response:
        item = self._item(request, meeting_id, item_id)
        data = validated(AgendaItemInput, request, partial=True)
        item = meeting_services.agenda_item_update(actor=signed_in(request), item=item, **data)
        return Response(AgendaItemOutput(item).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, meeting_id: int, item_id: int) -> Response:
        item = self._item(request, meeting_id, item_id)
        meeting_services.agenda_item_remove(actor=signed_in(request), item=item)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- member reports and attendance ------------------------------------------------------


class ReportListApi(APIView):
    @extend_schema(responses=ReportOutput(many=True))
    def get(self, request: Request, meeting_id: int) -> Response:
        """Submitted reports, and the drafts the viewer may read: their own
        office's, or every draft for those who run the meeting (the rule of
        ``selectors.report_get_for``)."""
        user = signed_in(request)
        meeting = _meeting(request, meeting_id)
        reports = list(meeting.reports.select_related("office__agency").prefetch_related("items"))
        if not policy.can(user, "meeting.manage", meeting):
            reports = [
                report
                for report in reports
                if report.status == ReportStatus.SUBMITTED
                or policy.can(user, "report.submit", report.office)
            ]
        return Response(ReportOutput(reports, many=True).data)


class ReportApi(APIView):
    @extend_schema(request=ReportInput, responses=ReportOutput)
    def put(self, request: Request, meeting_id: int, office_id: int) -> Response:
        user = signed_in(request)
        meeting = _meeting(request, meeting_id)
        office = selectors.office_of_meeting(viewer=user, meeting=meeting, office_id=office_id)
        data = validated(ReportInput, request)
        report = meeting_services.report_save(
            actor=user,
            meeting=meeting,
            office=office,
            summary=data["summary"],
            items=data["items"],
            submit=data["submit"],
        )
        return Response(ReportOutput(report).data)


class AttendanceApi(APIView):
    @extend_schema(responses=AttendanceOutput(many=True))
    def get(self, request: Request, meeting_id: int) -> Response:
        meeting = _meeting(request, meeting_id)
        return Response(AttendanceOutput(meeting.attendance.all(), many=True).data)

    @extend_schema(request=AttendanceInput, responses=AttendanceOutput(many=True))
    def put(self, request: Request, meeting_id: int) -> Response:
        meeting = _meeting(request, meeting_id)
        data = validated(AttendanceInput, request)
        rows = meeting_services.attendance_record(
            actor=signed_in(request), meeting=meeting, entries=data["entries"]
        )
        return Response(AttendanceOutput(rows, many=True).data)


# --- resolutions and minutes -------------------------------------------------------------


class ResolutionListApi(APIView):
    @extend_schema(responses=ResolutionOutput(many=True))
    def get(self, request: Request, meeting_id: int) -> Response:
        meeting = _meeting(request, meeting_id)
        resolutions = meeting.resolutions.select_related("followup").prefetch_related(
            "responsible_offices"
        )
        return Response(ResolutionOutput(resolutions, many=True).data)

    @extend_schema(request=ResolutionInput, responses={201: ResolutionOutput})
    def post(self, request: Request, meeting_id: int) -> Response:
        meeting = _meeting(request, meeting_id)
        data = validated(ResolutionInput, request)
        resolution = minutes_services.resolution_add(
            actor=signed_in(request), meeting=meeting, **data
        )
        return Response(ResolutionOutput(resolution).data, status=status.HTTP_201_CREATED)


class ResolutionApi(APIView):
    def _resolution(self, request: Request, meeting_id: int, resolution_id: int) -> Resolution:
        meeting = _meeting(request, meeting_id)
        return get_object_or_404(Resolution, pk=resolution_id, meeting=meeting)

    @extend_schema(request=ResolutionInput, responses=ResolutionOutput)
    def patch(self, request: Request, meeting_id: int, resolution_id: int) -> Response:
        resolution = self._resolution(request, meeting_id, resolution_id)
        data = validated(ResolutionInput, request, partial=True)
        resolution = minutes_services.resolution_update(
            actor=signed_in(request), resolution=resolution, **data
        )
        return Response(ResolutionOutput(resolution).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, meeting_id: int, resolution_id: int) -> Response:
        resolution = self._resolution(request, meeting_id, resolution_id)
        minutes_services.resolution_remove(actor=signed_in(request), resolution=resolution)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MinutesApi(APIView):
    @extend_schema(responses=MinutesOutput)
    def get(self, request: Request, meeting_id: int) -> Response:
        meeting = _meeting(request, meeting_id)
        # No minutes yet is version 0, as in the HTML form: a client that starts
        # from nothing must not look like one that read version 1, or a second
        # writer's first save would overwrite the first writer's without a 409.
        minutes = Minutes.objects.filter(meeting=meeting).first() or Minutes(
            meeting=meeting, version=0
        )
        return Response(MinutesOutput(minutes).data)

    @extend_schema(request=MinutesInput, responses={200: MinutesOutput, 409: MinutesOutput})
    def put(self, request: Request, meeting_id: int) -> Response:
        """Save the text; ``version`` is the one the client started from. A stale
        version is refused with 409 and the stored minutes, so the client can
        merge instead of overwriting someone else's words."""
        meeting = _meeting(request, meeting_id)
        data = validated(MinutesInput, request)
        try:
            minutes = minutes_services.minutes_save(
                actor=signed_in(request),
                meeting=meeting,
                body=data["body"],
                version=data["version"],
            )
        except minutes_services.MinutesConflict as conflict:
            stored = Minutes.objects.get(meeting=meeting)
            body = {**MinutesOutput(stored).data, "detail": " ".join(conflict.messages)}
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(MinutesOutput(minutes).data)


class MinutesApproveApi(APIView):
    @extend_schema(request=None, responses=MinutesOutput)
    def post(self, request: Request, meeting_id: int) -> Response:
        meeting = _meeting(request, meeting_id)
        minutes = minutes_services.minutes_approve(actor=signed_in(request), meeting=meeting)
        return Response(MinutesOutput(minutes).data)


class MinutesAcknowledgeApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, meeting_id: int) -> Response:
        meeting = _meeting(request, meeting_id)
        minutes_services.minutes_acknowledge(actor=signed_in(request), meeting=meeting)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- search -------------------------------------------------------------------------------


class SearchApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Persian words, any spelling")],
        responses=inline_serializer(
            "SearchOutput",
            {
                "resolutions": ResolutionOutput(many=True),
                "report_items": ReportItemOutput(many=True),
                "minutes": MinutesOutput(many=True),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        results = council_search(viewer=signed_in(request), query=request.query_params.get("q", ""))
        return Response(
            {
                "resolutions": ResolutionOutput(results.resolutions, many=True).data,
                "report_items": ReportItemOutput(results.items, many=True).data,
                "minutes": MinutesOutput(results.minutes, many=True).data,
            }
        )
