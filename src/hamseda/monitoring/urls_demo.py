from django.urls import path

from hamseda.monitoring.views.demo import demo_feed

urlpatterns = [
    path("demo-feeds/<slug:name>.xml", demo_feed, name="demo_feed"),
]
