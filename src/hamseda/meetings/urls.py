from hamseda.meetings.views import meetings, minutes, search

app_name = "meetings"

urlpatterns = [*meetings.urlpatterns, *minutes.urlpatterns, *search.urlpatterns]
