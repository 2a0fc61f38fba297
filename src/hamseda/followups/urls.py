from django.urls import path

from hamseda.followups import views

app_name = "followups"

urlpatterns = [
    path("", views.followup_list, name="followup_list"),
    path("board/", views.followup_board, name="followup_board"),
    path("<int:followup_id>/", views.followup_detail, name="followup_detail"),
    path("<int:followup_id>/update/", views.followup_update, name="followup_update"),
    path("<int:followup_id>/close/", views.followup_close, name="followup_close"),
    path("<int:followup_id>/reopen/", views.followup_reopen, name="followup_reopen"),
    path("<int:followup_id>/cancel/", views.followup_cancel, name="followup_cancel"),
    path("<int:followup_id>/reassign/", views.followup_reassign, name="followup_reassign"),
    path("attachments/<int:update_id>/", views.attachment, name="attachment"),
    path("ministry/", views.ministry_inbox, name="ministry_inbox"),
    path("ministry/<int:referral_id>/", views.referral_detail, name="referral_detail"),
    path("ministry/<int:referral_id>/assign/", views.referral_assign, name="referral_assign"),
    path("ministry/<int:referral_id>/reply/", views.referral_reply, name="referral_reply"),
]
