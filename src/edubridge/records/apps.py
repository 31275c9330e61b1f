from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "edubridge.records"
    label = "records"
    verbose_name = "Learning record store (xAPI)"
    default_auto_field = "django.db.models.BigAutoField"
