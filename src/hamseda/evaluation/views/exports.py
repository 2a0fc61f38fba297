"""Downloads of the evaluation reports: a cycle, a province, an office, each as
PDF and Excel, with a Persian file name (and an ASCII one for old clients).

Who may download what is the selectors' business (``exports.documents`` reads
through them): a cycle's and a province's report follow ``evaluation.view``,
an office's report ``evaluation.view_scores`` on the office, like its
scorecard page. Reports are made while the request waits (see
``exports.pdf``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from hamseda.core.auth import signed_in
from hamseda.core.downloads import content_disposition
from hamseda.evaluation import exports

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, content_type: str, names: tuple[str, str]) -> HttpResponse:
    filename, fallback = names
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, fallback)
    # A report reflects the ranking at the moment it was made.
    response["Cache-Control"] = "private, no-store"
    return response


def _cycle(
    request: HttpRequest,
    cycle_id: int,
    render: Callable[[exports.CycleReport], bytes],
    content_type: str,
    extension: str,
) -> HttpResponse:
    report = exports.cycle_report(viewer=signed_in(request), cycle_id=cycle_id)
    return _download(render(report), content_type, exports.cycle_filename(report.cycle, extension))


def _province(
    request: HttpRequest,
    cycle_id: int,
    province_id: int,
    render: Callable[[exports.ProvinceReport], bytes],
    content_type: str,
    extension: str,
) -> HttpResponse:
    report = exports.province_report(
        viewer=signed_in(request), cycle_id=cycle_id, province_id=province_id
    )
    names = exports.province_filename(report.cycle, report.province, extension)
    return _download(render(report), content_type, names)


def _office(
    request: HttpRequest,
    cycle_id: int,
    office_id: int,
    render: Callable[[exports.OfficeReport], bytes],
    content_type: str,
    extension: str,
) -> HttpResponse:
    report = exports.office_report(
        viewer=signed_in(request), cycle_id=cycle_id, office_id=office_id
    )
    names = exports.office_filename(report.cycle, report.office, extension)
    return _download(render(report), content_type, names)


@login_required
@require_GET
def cycle_pdf(request: HttpRequest, cycle_id: int) -> HttpResponse:
    return _cycle(request, cycle_id, exports.cycle_pdf, PDF, "pdf")


@login_required
@require_GET
def cycle_xlsx(request: HttpRequest, cycle_id: int) -> HttpResponse:
    return _cycle(request, cycle_id, exports.cycle_xlsx, XLSX, "xlsx")


@login_required
@require_GET
def province_pdf(request: HttpRequest, cycle_id: int, province_id: int) -> HttpResponse:
    return _province(request, cycle_id, province_id, exports.province_pdf, PDF, "pdf")


@login_required
@require_GET
def province_xlsx(request: HttpRequest, cycle_id: int, province_id: int) -> HttpResponse:
    return _province(request, cycle_id, province_id, exports.province_xlsx, XLSX, "xlsx")


@login_required
@require_GET
def office_pdf(request: HttpRequest, cycle_id: int, office_id: int) -> HttpResponse:
    return _office(request, cycle_id, office_id, exports.office_pdf, PDF, "pdf")


@login_required
@require_GET
def office_xlsx(request: HttpRequest, cycle_id: int, office_id: int) -> HttpResponse:
    return _office(request, cycle_id, office_id, exports.office_xlsx, XLSX, "xlsx")
