from django.apps import AppConfig


class ObjectivesConfig(AppConfig):
    name = "objectives"
    verbose_name = "Quality objectives (ISO 9001 6.1, 6.2)"

    def ready(self):
        from objectives import dashboard, demo, integrity
        from qms.demo import Seeder, register_seeder

        dashboard.register()
        integrity.register()
        register_seeder(Seeder(app="objectives", order=20, seed=demo.seed))
