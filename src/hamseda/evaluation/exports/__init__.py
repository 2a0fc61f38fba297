"""Reports of an evaluation cycle, a province and an office, as PDF and Excel.

``documents`` reads what a report shows through the selectors, as the viewer may
see it; ``pdf`` and ``xlsx`` write it. The views in ``views/exports.py`` only
pick the report and the file name.
"""

from hamseda.evaluation.exports.documents import (
    CycleReport,
    OfficeReport,
    ProvinceReport,
    cycle_filename,
    cycle_report,
    office_filename,
    office_report,
    province_filename,
    province_report,
    status_label,
)
from hamseda.evaluation.exports.pdf import cycle_pdf, office_pdf, province_pdf
from hamseda.evaluation.exports.xlsx import cycle_xlsx, office_xlsx, province_xlsx

__all__ = [
    "CycleReport",
    "OfficeReport",
    "ProvinceReport",
    "cycle_filename",
    "cycle_pdf",
    "cycle_report",
    "cycle_xlsx",
    "office_filename",
    "office_pdf",
    "office_report",
    "office_xlsx",
    "province_filename",
    "province_pdf",
    "province_report",
    "province_xlsx",
    "status_label",
]
