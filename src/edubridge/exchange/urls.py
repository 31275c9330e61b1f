from django.urls import path

from edubridge.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.programme_list, name="programmes"),
    path("new/", views.programme_new, name="programme-new"),
    path("<uuid:programme_id>/places/", views.places, name="places"),
    path(
        "<uuid:programme_id>/lottery-round-<int:round>.csv", views.lottery_csv, name="lottery-csv"
    ),
    path("<uuid:programme_id>/", views.programme_detail, name="programme"),
    path("<uuid:programme_id>/apply/", views.apply, name="apply"),
    path("<uuid:programme_id>/my-application/", views.my_application, name="my-application"),
    path("<uuid:programme_id>/scores/", views.scores, name="scores"),
    path("<uuid:programme_id>/match/", views.run_match, name="run-match"),
    path("<uuid:programme_id>/participants/", views.participants, name="participants"),
    path("<uuid:programme_id>/participants/advance/", views.advance, name="advance"),
    path("<uuid:programme_id>/progress.csv", views.progress_csv, name="progress-csv"),
    path("<uuid:programme_id>/match-round-<int:round>.csv", views.match_csv, name="match-csv"),
]
