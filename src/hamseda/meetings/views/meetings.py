"""HTML pages of meetings: schedule, agenda, member reports, attendance."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
