from django.urls import path

from hamseda.broadcast.views import dispatches, pitches

app_name = "broadcast"

urlpatterns = [
    path("", pitches.pitch_list, name="pitch_list"),
    path("new/", pitches.pitch_create, name="pitch_create"),
    path("review/", pitches.review_queue, name="review_queue"),
    path("<int:pitch_id>/", pitches.pitch_detail, name="pitch_detail"),
    path("<int:pitch_id>/edit/", pitches.pitch_edit, name="pitch_edit"),
    path("<int:pitch_id>/submit/", pitches.pitch_submit, name="pitch_submit"),
    path("<int:pitch_id>/review/", pitches.pitch_review, name="pitch_review"),
    path("files/<int:file_id>/", pitches.pitch_file, name="pitch_file"),
    path("files/<int:file_id>/remove/", pitches.pitch_file_remove, name="pitch_file_remove"),
    path("dispatches/", dispatches.dispatch_list, name="dispatch_list"),
    path("dispatches/new/", dispatches.dispatch_create, name="dispatch_create"),
    path("dispatches/<int:dispatch_id>/", dispatches.dispatch_detail, name="dispatch_detail"),
    path("dispatches/<int:dispatch_id>/letter.pdf", dispatches.dispatch_pdf, name="dispatch_pdf"),
    path("dispatches/<int:dispatch_id>/send/", dispatches.dispatch_send, name="dispatch_send"),
    path(
        "dispatches/<int:dispatch_id>/items/<int:item_id>/answer/",
        dispatches.answer_record,
        name="answer_record",
    ),
    path("contact/", dispatches.contact_edit, name="contact_edit"),
]
