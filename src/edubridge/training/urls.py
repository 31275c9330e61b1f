from django.urls import path

from edubridge.training import views

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    path("my/", views.mine, name="mine"),
    path("cascade/", views.cascade, name="cascade"),
    path("verify/", views.verify, name="verify"),
    path("framework/<uuid:framework_id>/", views.framework, name="framework"),
    path("programmes/new/", views.programme_new, name="programme-new"),
    path("programmes/<uuid:programme_id>/", views.programme, name="programme"),
    path("programmes/<uuid:programme_id>/cohorts/", views.cohort_new, name="cohort-new"),
    path("cohorts/<uuid:cohort_id>/", views.cohort, name="cohort"),
    path("cohorts/<uuid:cohort_id>/enrol/", views.cohort_enrol, name="cohort-enrol"),
    path("cohorts/<uuid:cohort_id>/import/", views.cohort_import, name="cohort-import"),
    path("cohorts/<uuid:cohort_id>/sessions/", views.session_new, name="session-new"),
    path("cohorts/<uuid:cohort_id>/sessions.ics", views.cohort_ics, name="cohort-ics"),
    path("imports/<uuid:import_id>/", views.enrolment_import, name="import"),
    path("sessions/<int:session_id>/attendance/", views.attendance, name="attendance"),
    path("enrolments/<int:enrolment_id>/assess/", views.assess, name="assess"),
    path("enrolments/<int:enrolment_id>/complete/", views.complete, name="complete"),
    path("credentials/<uuid:credential_id>.json", views.credential_json, name="credential-json"),
    path("credentials/<uuid:credential_id>/qr.svg", views.credential_qr, name="credential-qr"),
    path("credentials/<uuid:credential_id>/revoke/", views.revoke, name="revoke"),
    path("credentials/status/<int:number>", views.status_list, name="status-list"),
    path("credentials/status/web/<int:number>", views.status_list_web, name="status-list-web"),
    path("programmes/<uuid:programme_id>/quizzes/", views.quiz_new, name="quiz-new"),
    path(
        "enrolments/<int:enrolment_id>/quizzes/<uuid:quiz_id>/", views.quiz_take, name="quiz-take"
    ),
    path("evidence/<int:evidence_id>/", views.evidence_detail, name="evidence"),
    # The node's DID document; the project URLs also serve it at /.well-known/did.json.
    path("did.json", views.did_document, name="did-document"),
]
