from django.urls import path

from edubridge.localization import views

app_name = "localization"

urlpatterns = [
    path("", views.jobs, name="jobs"),
    path("jobs/<int:job_id>/", views.job, name="job"),
    path("jobs/<int:job_id>/items/<int:position>/", views.review, name="review"),
    path("jobs/<int:job_id>/items/<int:position>/decide/", views.item_decide, name="item-decide"),
    path(
        "jobs/<int:job_id>/changes/<int:change_id>/decide/",
        views.change_decide,
        name="change-decide",
    ),
    path("jobs/<int:job_id>/publish/", views.publish, name="publish"),
    path("jobs/<int:job_id>/xliff/", views.xliff_download, name="xliff"),
    path("jobs/<int:job_id>/xliff/upload/", views.xliff_upload, name="xliff-upload"),
    path("jobs/<int:job_id>/translate/", views.translate, name="translate"),
    path("packs/", views.packs, name="packs"),
    path("packs/<str:locale>/", views.pack, name="pack"),
]
