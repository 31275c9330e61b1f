from django.urls import path

from edubridge.governance import views

app_name = "governance"

urlpatterns = [
    path("", views.policies, name="policies"),
    path("registry/", views.registry, name="registry"),
    path("check/", views.check, name="check"),
    path("exports/", views.export_list, name="exports"),
    path("exports/new/", views.export_new, name="export-new"),
    path("exports/<uuid:export_id>/", views.export_detail, name="export"),
    path("exports/<uuid:export_id>/approve/", views.export_approve, name="export-approve"),
    path("exports/<uuid:export_id>/release/", views.export_release, name="export-release"),
    path("exports/<uuid:export_id>/file.csv", views.export_file, name="export-file"),
    path("exports/<uuid:export_id>/manifest.json", views.export_manifest, name="export-manifest"),
    path("budgets/", views.budgets, name="budgets"),
    path("model-cards/", views.model_cards, name="model-cards"),
    path("model-cards/<str:name>/", views.model_card_latest, name="model-card-latest"),
    path("model-cards/<str:name>/<str:version>/", views.model_card, name="model-card"),
]
