from django.apps import AppConfig


class ObjectivesConfig(AppConfig):
    name = "objectives"
    verbose_name = "Quality objectives (ISO 9001 6.1, 6.2)"
