from django.urls import path

from hamseda.evaluation.views import (
    appeals,
    assignments,
    catalogue,
    cycles,
    exports,
    offices,
    rankings,
    ratings,
)

app_name = "evaluation"

urlpatterns = [
    # cycles and their catalogue (the ministry centre)
    path("", cycles.cycle_list, name="cycle_list"),
    path("new/", cycles.cycle_create, name="cycle_create"),
    path("<int:cycle_id>/", cycles.cycle_detail, name="cycle_detail"),
    path("<int:cycle_id>/actions/<str:action>/", cycles.cycle_action, name="cycle_action"),
    path("<int:cycle_id>/tiers/", cycles.cycle_tiers, name="cycle_tiers"),
    path("<int:cycle_id>/catalogue/", catalogue.catalogue, name="catalogue"),
    path("<int:cycle_id>/catalogue/new/", catalogue.criterion_create, name="criterion_create"),
    path(
        "<int:cycle_id>/catalogue/<int:criterion_id>/",
        catalogue.criterion_edit,
        name="criterion_edit",
    ),
    path(
        "<int:cycle_id>/catalogue/<int:criterion_id>/delete/",
        catalogue.criterion_delete,
        name="criterion_delete",
    ),
    # rankings
    path("<int:cycle_id>/offices/", rankings.office_ranking, name="office_ranking"),
    path(
        "<int:cycle_id>/provinces/<int:province_id>/",
        rankings.province_detail,
        name="province_detail",
    ),
    # evaluators and objections (the ministry centre)
    path("<int:cycle_id>/evaluators/", assignments.assignments, name="assignments"),
    path(
        "<int:cycle_id>/evaluators/<int:assignment_id>/delete/",
        assignments.assignment_delete,
        name="assignment_delete",
    ),
    path("<int:cycle_id>/appeals/", appeals.appeal_list, name="appeal_list"),
    path("<int:cycle_id>/appeals/<int:appeal_id>/", appeals.appeal_detail, name="appeal_detail"),
    # an office's scorecard, its evidence, rating, self-assessment, objection
    path("<int:cycle_id>/mine/", ratings.my_work, name="my_work"),
    path("<int:cycle_id>/offices/<int:office_id>/", offices.office_detail, name="office_detail"),
    path(
        "<int:cycle_id>/offices/<int:office_id>/criteria/<str:code>/",
        offices.criterion_drill,
        name="criterion_drill",
    ),
    path("<int:cycle_id>/offices/<int:office_id>/rate/", ratings.office_rate, name="office_rate"),
    path(
        "<int:cycle_id>/offices/<int:office_id>/self/",
        ratings.office_self_assess,
        name="office_self_assess",
    ),
    path(
        "<int:cycle_id>/offices/<int:office_id>/appeal/",
        offices.appeal_create,
        name="appeal_create",
    ),
    path("<int:cycle_id>/evidence/<int:link_id>/", ratings.evidence_file, name="evidence_file"),
    path(
        "<int:cycle_id>/evidence/<int:link_id>/delete/",
        ratings.evidence_delete,
        name="evidence_delete",
    ),
    # reports
    path("<int:cycle_id>/report.pdf", exports.cycle_pdf, name="cycle_pdf"),
    path("<int:cycle_id>/report.xlsx", exports.cycle_xlsx, name="cycle_xlsx"),
    path(
        "<int:cycle_id>/provinces/<int:province_id>/report.pdf",
        exports.province_pdf,
        name="province_pdf",
    ),
    path(
        "<int:cycle_id>/provinces/<int:province_id>/report.xlsx",
        exports.province_xlsx,
        name="province_xlsx",
    ),
    path(
        "<int:cycle_id>/offices/<int:office_id>/report.pdf",
        exports.office_pdf,
        name="office_pdf",
    ),
    path(
        "<int:cycle_id>/offices/<int:office_id>/report.xlsx",
        exports.office_xlsx,
        name="office_xlsx",
    ),
]
