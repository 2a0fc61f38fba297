"""HTML pages of the minutes: live minute-taking, resolutions, approval, exports."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
