from django.apps import AppConfig


class SecretariatConfig(AppConfig):
    name = "edubridge.secretariat"
    label = "secretariat"
    verbose_name = "Secretariat"
    default_auto_field = "django.db.models.BigAutoField"
