from django.urls import path

from hamseda.monitoring.views import clips, sources

urlpatterns = [
    path("sources/", sources.source_list, name="source_list"),
    path("sources/new/", sources.source_create, name="source_create"),
    path("sources/<int:source_id>/", sources.source_detail, name="source_detail"),
    path("sources/<int:source_id>/edit/", sources.source_edit, name="source_edit"),
    path("sources/<int:source_id>/poll/", sources.source_poll, name="source_poll"),
    path("clip/", clips.clip_create, name="clip_create"),
    path("import/", clips.clip_import, name="clip_import"),
]
