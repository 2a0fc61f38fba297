"""The evaluation API under /api/v1/evaluation/: cycles and their catalogue
(``api_cycles``, ``api_catalogue``), scores (``api_scores``) and objections
(``api_appeals``)."""

from django.urls import path

from hamseda.evaluation import api_appeals, api_catalogue, api_cycles, api_scores

CYCLE = "evaluation/cycles/<int:cycle_id>"
OFFICE = f"{CYCLE}/offices/<int:office_id>"

urlpatterns = [
    path("evaluation/cycles/", api_cycles.CycleListApi.as_view(), name="api-evaluation-cycle-list"),
    path(f"{CYCLE}/", api_cycles.CycleDetailApi.as_view(), name="api-evaluation-cycle-detail"),
    path(
        f"{CYCLE}/actions/start/",
        api_cycles.CycleStartApi.as_view(),
        name="api-evaluation-cycle-start",
    ),
    path(
        f"{CYCLE}/actions/recompute/",
        api_cycles.CycleRecomputeApi.as_view(),
        name="api-evaluation-cycle-recompute",
    ),
    path(
        f"{CYCLE}/actions/appeals/",
        api_cycles.CycleAppealsApi.as_view(),
        name="api-evaluation-cycle-appeals-open",
    ),
    path(
        f"{CYCLE}/actions/close/",
        api_cycles.CycleCloseApi.as_view(),
        name="api-evaluation-cycle-close",
    ),
    path(f"{CYCLE}/tiers/", api_cycles.CycleTiersApi.as_view(), name="api-evaluation-cycle-tiers"),
    path(
        f"{CYCLE}/catalogue/", api_catalogue.CatalogueApi.as_view(), name="api-evaluation-catalogue"
    ),
    path(
        f"{CYCLE}/catalogue/<int:criterion_id>/",
        api_catalogue.CriterionDetailApi.as_view(),
        name="api-evaluation-criterion",
    ),
    path(
        f"{CYCLE}/evaluators/",
        api_catalogue.AssignmentListApi.as_view(),
        name="api-evaluation-assignments",
    ),
    path(
        f"{CYCLE}/evaluators/<int:assignment_id>/",
        api_catalogue.AssignmentDetailApi.as_view(),
        name="api-evaluation-assignment",
    ),
    path(
        f"{CYCLE}/rankings/provinces/",
        api_scores.ProvinceRankingApi.as_view(),
        name="api-evaluation-province-ranking",
    ),
    path(
        f"{CYCLE}/rankings/offices/",
        api_scores.OfficeRankingApi.as_view(),
        name="api-evaluation-office-ranking",
    ),
    path(f"{OFFICE}/", api_scores.ScorecardApi.as_view(), name="api-evaluation-scorecard"),
    path(
        f"{OFFICE}/evidence/<str:code>/",
        api_scores.DrillApi.as_view(),
        name="api-evaluation-drill",
    ),
    path(f"{OFFICE}/ratings/", api_scores.RatingApi.as_view(), name="api-evaluation-rating"),
    path(
        f"{OFFICE}/self-assessment/",
        api_scores.SelfAssessmentApi.as_view(),
        name="api-evaluation-self-assessment",
    ),
    path(f"{CYCLE}/appeals/", api_appeals.AppealListApi.as_view(), name="api-evaluation-appeals"),
    path(
        f"{CYCLE}/appeals/<int:appeal_id>/answer/",
        api_appeals.AppealAnswerApi.as_view(),
        name="api-evaluation-appeal-answer",
    ),
]
