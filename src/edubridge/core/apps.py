from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "edubridge.core"
    label = "core"
    verbose_name = "EduBridge core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from edubridge.core import signals  # noqa: F401  (connects receivers)
