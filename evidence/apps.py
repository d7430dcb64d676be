from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = "Audit evidence (ISO 9001 7.5)"

    def ready(self):
        from evidence import dashboard

        dashboard.register()
