from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = "Audit evidence (ISO 9001 7.5)"

    def ready(self):
        from evidence import dashboard, demo, integrity
        from qms.demo import Seeder, register_seeder

        dashboard.register()
        integrity.register()
        register_seeder(Seeder(app="evidence", order=40, seed=demo.seed_demo))
        # Auditor access periods: refuse a sign-in outside the period (qms.auth login check).
        from evidence.services import access as access_services

        access_services.connect()
