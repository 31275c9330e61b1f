from django.urls import path

from edubridge.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("banks/", views.bank_list, name="banks"),
    path("banks/import/", views.bank_import, name="bank-import"),
    path("imports/<int:pk>/", views.import_job, name="import-job"),
    path("banks/<slug:slug>/", views.bank_detail, name="bank"),
    path("banks/<slug:slug>/edit/", views.bank_edit, name="bank-edit"),
    path("banks/<slug:slug>/publish/", views.bank_publish, name="bank-publish"),
    path("banks/<slug:slug>/export/<str:kind>", views.bank_export, name="bank-export"),
    path("banks/<slug:slug>/items/<str:identifier>/", views.item_detail, name="item"),
    path("banks/<slug:slug>/items/<str:identifier>/align/", views.item_align, name="item-align"),
    path(
        "banks/<slug:slug>/items/<str:identifier>/export/<str:kind>",
        views.item_export,
        name="item-export",
    ),
    path("frameworks/", views.framework_list, name="frameworks"),
    path("frameworks/import/", views.framework_import, name="framework-import"),
    path("frameworks/<int:pk>/", views.framework_detail, name="framework"),
    path("frameworks/<int:pk>/case.json", views.framework_export, name="framework-export"),
]
