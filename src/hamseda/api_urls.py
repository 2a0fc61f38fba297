"""Every app's API under /api/v1/."""

from django.urls import include, path

urlpatterns = [
    path("", include("hamseda.directory.api_urls")),
]
