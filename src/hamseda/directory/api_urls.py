from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token

from hamseda.directory import api

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("me/", api.MeApi.as_view(), name="api-me"),
    path("provinces/", api.ProvinceListApi.as_view(), name="api-province-list"),
    path("provinces/<slug:code>/", api.ProvinceDetailApi.as_view(), name="api-province-detail"),
    path("agencies/", api.AgencyListApi.as_view(), name="api-agency-list"),
    path("agencies/<int:agency_id>/", api.AgencyDetailApi.as_view(), name="api-agency-detail"),
    path("offices/", api.OfficeListApi.as_view(), name="api-office-list"),
    path("offices/<int:office_id>/", api.OfficeDetailApi.as_view(), name="api-office-detail"),
    path("councils/", api.CouncilListApi.as_view(), name="api-council-list"),
    path("councils/<int:council_id>/", api.CouncilDetailApi.as_view(), name="api-council-detail"),
    path(
        "councils/<int:council_id>/members/",
        api.CouncilMemberListApi.as_view(),
        name="api-council-member-list",
    ),
    path(
        "councils/<int:council_id>/members/<int:membership_id>/",
        api.CouncilMemberDetailApi.as_view(),
        name="api-council-member-detail",
    ),
    path("people/", api.PersonListApi.as_view(), name="api-person-list"),
    path("people/<int:person_id>/", api.PersonDetailApi.as_view(), name="api-person-detail"),
]
