from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "edubridge.training"
    label = "training"
    verbose_name = "Teacher capacity building"
    default_auto_field = "django.db.models.BigAutoField"
