from django.urls import path

from hamseda.directory import views

app_name = "directory"

urlpatterns = [
    path("provinces/", views.province_list, name="province_list"),
    path("provinces/<slug:code>/", views.province_detail, name="province_detail"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<int:agency_id>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:agency_id>/edit/", views.agency_edit, name="agency_edit"),
    path("offices/<int:office_id>/", views.office_detail, name="office_detail"),
    path("offices/<int:office_id>/edit/", views.office_edit, name="office_edit"),
    path("councils/", views.council_list, name="council_list"),
    path("councils/<int:council_id>/", views.council_detail, name="council_detail"),
    path("councils/<int:council_id>/edit/", views.council_edit, name="council_edit"),
    path("councils/<int:council_id>/members/", views.council_member_add, name="council_member_add"),
    path(
        "councils/<int:council_id>/members/<int:membership_id>/remove/",
        views.council_member_remove,
        name="council_member_remove",
    ),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:person_id>/", views.person_detail, name="person_detail"),
    path("people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:person_id>/active/", views.person_set_active, name="person_set_active"),
]
