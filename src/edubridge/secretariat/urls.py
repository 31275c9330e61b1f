from django.urls import path

from edubridge.secretariat import views

app_name = "secretariat"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reminders/", views.send_reminders, name="send-reminders"),
    path("members/", views.member_list, name="members"),
    path("members/<uuid:member_id>/", views.member_detail, name="member"),
    path("registry.json", views.registry_json, name="registry-json"),
    path("apply/", views.apply, name="apply"),
    path("applications/", views.applications, name="applications"),
    path("releases/", views.release_list, name="releases"),
    path("releases/new/", views.release_new, name="release-new"),
    path("releases/<uuid:release_id>/", views.release_detail, name="release"),
    path(
        "releases/<uuid:release_id>/diff/<int:a>/<int:b>/", views.release_diff, name="release-diff"
    ),
    path("releases/<uuid:release_id>/RELEASE.json", views.release_json, name="release-json"),
    path(
        "releases/<uuid:release_id>/REGISTRY.json",
        views.release_registry_json,
        name="release-registry-json",
    ),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/<uuid:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<uuid:meeting_id>/invite.ics", views.meeting_ics, name="meeting-ics"),
    path("bulletins/", views.bulletin_list, name="bulletins"),
    path("bulletins/feed.atom", views.bulletins_atom, name="bulletins-atom"),
    path("bulletins/<uuid:bulletin_id>/", views.bulletin_detail, name="bulletin"),
    path(
        "bulletins/<uuid:bulletin_id>/translate/",
        views.bulletin_translate,
        name="bulletin-translate",
    ),
    path("bulletins/drafts/<uuid:draft_id>/", views.bulletin_draft, name="bulletin-draft"),
    path("support/", views.ticket_list, name="tickets"),
    path("support/answers/", views.knowledge_base, name="knowledge-base"),
    path("support/<int:ticket_id>/", views.ticket_detail, name="ticket"),
    path("events/", views.event_list, name="events"),
    path("events/<uuid:event_id>/", views.event_detail, name="event"),
    path("events/<uuid:event_id>/event.ics", views.event_ics, name="event-ics"),
    path(
        "events/<uuid:event_id>/sessions/<int:session_id>.ics",
        views.event_session_ics,
        name="event-session-ics",
    ),
    path("policy/", views.policy_list, name="policy"),
    path("policy/<int:topic_id>/", views.policy_topic, name="policy-topic"),
    path("standards/", views.standards_matrix, name="standards"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("projects/", views.project_list, name="projects"),
    path("projects/<int:project_id>/", views.project_detail, name="project"),
    path("documents/", views.document_list, name="documents"),
    path(
        "documents/<uuid:document_id>/download", views.document_download, name="document-download"
    ),
    path("my-actions/", views.my_actions, name="my-actions"),
]
