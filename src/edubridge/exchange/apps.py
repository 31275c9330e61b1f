from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "edubridge.exchange"
    label = "exchange"
    verbose_name = "Student exchange"
    default_auto_field = "django.db.models.BigAutoField"
