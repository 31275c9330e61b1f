"""xAPI endpoints live under /xapi/ (plain Django views: the spec's headers and multipart bodies)."""

from django.urls import re_path

from edubridge.records import pages, views

app_name = "records"

urlpatterns = [
    re_path(r"^statements/?$", views.statements, name="statements"),
    re_path(r"^activities/state/?$", views.state, name="state"),
    re_path(r"^activities/profile/?$", views.activity_profile, name="activity-profile"),
    re_path(r"^activities/?$", views.activities, name="activities"),
    re_path(r"^agents/profile/?$", views.agent_profile, name="agent-profile"),
    re_path(r"^agents/?$", views.agents, name="agents"),
    re_path(r"^about/?$", views.about, name="about"),
    re_path(r"^credentials/$", pages.credentials, name="credentials"),
]
