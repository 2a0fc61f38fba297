"""The reports as A4 PDFs (WeasyPrint), right to left, in the vendored Vazirmatn.

Fonts are loaded the way ``meetings.exports`` loads them: the templates name the
TTF files relatively and the base URL is the vendored font folder, so no network
and no system font is needed.

The bars are inline SVG (WeasyPrint runs no JavaScript). They carry no text:
WeasyPrint lays SVG text out left to right without joining Persian letters, so
every label sits in an HTML cell beside its bar.

Cost: WeasyPrint lays out every table cell's text, about 15 ms of CPU a row.
An office's or a province's report takes a second or two; the national report
of 31 provinces × 16 offices (twelve pages) takes 8–10 s of CPU, still inside a
request's 30 s, which is why its office table has five narrow columns and a
fixed layout. A national report over several cycles would belong in a Celery
task.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from hamseda.core.pdf import render_pdf
from hamseda.evaluation.exports.documents import (
    CriterionLine,
    CycleReport,
    OfficeReport,
    ProvinceReport,
)

BAR = "#16324f"
MEAN = "#c0392b"


def _render(template: str, context: dict[str, Any]) -> bytes:
    return render_pdf(template, context)


def bar_svg(score: float | None, mean: float | None = None, width: int = 160) -> SafeString:
    """A horizontal bar of ``score`` out of 100 growing from the right (the
    start of a right-to-left line), with a tick at ``mean`` if given."""
    height = 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#eef2f6"/>',
    ]
    if score is not None:
        length = max(0.0, min(score, 100.0)) / 100 * width
        parts.append(
            f'<rect x="{width - length:.2f}" y="1" width="{length:.2f}" height="{height - 2}" '
            f'fill="{BAR}"/>'
        )
    if mean is not None:
        x = width - max(0.0, min(mean, 100.0)) / 100 * width
        parts.append(
            f'<line x1="{x:.2f}" y1="0" x2="{x:.2f}" y2="{height}" stroke="{MEAN}" '
            'stroke-width="2"/>'
        )
    parts.append("</svg>")
    # Only numbers formatted above go into the markup.
    return mark_safe("".join(parts))


@dataclass
class ChartRow:
    line: CriterionLine
    svg: SafeString  # the score's bar, with the national mean as a tick


@dataclass
class TrendRow:
    label: str
    total: float
    rank: int
    tier: str
    current: bool
    svg: SafeString


def criteria_chart(report: OfficeReport) -> list[ChartRow]:
    return [
        ChartRow(line=line, svg=bar_svg(line.score, line.line.national_mean, width=110))
        for line in report.lines
    ]


def trend_chart(report: OfficeReport) -> list[TrendRow]:
    return [
        TrendRow(
            label=result.cycle.period_label(),
            total=result.total,
            rank=result.rank,
            tier=result.tier,
            current=result.cycle_id == report.cycle.pk,
            svg=bar_svg(result.total),
        )
        for result in report.card.trend
    ]


def cycle_pdf(report: CycleReport) -> bytes:
    return _render(
        "evaluation/pdf/cycle.html",
        {"report": report, "provinces": [(p, bar_svg(p.total)) for p in report.provinces]},
    )


def province_pdf(report: ProvinceReport) -> bytes:
    return _render(
        "evaluation/pdf/province.html",
        {
            "report": report,
            "rows": [(row, bar_svg(row.result.total, width=90)) for row in report.offices],
        },
    )


def office_pdf(report: OfficeReport) -> bytes:
    return _render(
        "evaluation/pdf/office.html",
        {"report": report, "lines": criteria_chart(report), "trend": trend_chart(report)},
    )
