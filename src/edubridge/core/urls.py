from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from edubridge.core import views
from edubridge.core.http_api import api
from edubridge.training import views as training_views

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.profile, name="profile"),
    path("node/", views.node_descriptor_page, name="node-descriptor"),
    path("data-classes/", views.data_classes, name="data-classes"),
    path("audit/", views.audit_log, name="audit-log"),
    path("api-keys/", views.api_keys, name="api-keys"),
    path(".well-known/edubridge", views.well_known, name="well-known"),
    path(".well-known/did.json", training_views.did_document, name="did-document"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("xapi/", include("edubridge.records.urls")),
    path("exchange/", include("edubridge.exchange.urls")),
    path("catalogue/", include("edubridge.catalogue.urls")),
    path("governance/", include("edubridge.governance.urls")),
    path("training/", include("edubridge.training.urls")),
    path("secretariat/", include("edubridge.secretariat.urls")),
    path("practice/", include("edubridge.adaptive.urls")),
    path("localization/", include("edubridge.localization.urls")),
    path("api-docs/", RedirectView.as_view(url="/api/docs", permanent=False), name="api-docs"),
    path("admin/", admin.site.urls),
]
