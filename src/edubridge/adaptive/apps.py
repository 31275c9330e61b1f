from django.apps import AppConfig


class AdaptiveConfig(AppConfig):
    name = "edubridge.adaptive"
    label = "adaptive"
    verbose_name = "Adaptive learning"
    default_auto_field = "django.db.models.BigAutoField"
