from django.urls import path

from edubridge.adaptive import views

app_name = "adaptive"

urlpatterns = [
    path("", views.practice, name="practice"),
    path("class/<int:classroom_id>/", views.practice, name="practice-class"),
    path("class/<int:classroom_id>/answer/", views.answer, name="answer"),
    path("class/<int:classroom_id>/hint/", views.hint, name="hint"),
    path("classes/", views.classes, name="classes"),
    path("classes/<int:classroom_id>/", views.dashboard, name="dashboard"),
    path("classes/<int:classroom_id>/manage/", views.manage, name="manage"),
    path("classes/<int:classroom_id>/learners/", views.enrol, name="enrol"),
    path("classes/<int:classroom_id>/assign/", views.assign, name="assign"),
    path(
        "classes/<int:classroom_id>/assignments/<int:assignment_id>/remove/",
        views.unassign,
        name="unassign",
    ),
    path("model/", views.model_page, name="model"),
    path(
        "classes/<int:classroom_id>/learners/<int:learner_id>/",
        views.learner_timeline,
        name="timeline",
    ),
]
