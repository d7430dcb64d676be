from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LeadershipConfig(AppConfig):
    name = "leadership"
    verbose_name = "Leadership (ISO 9001 clause 5)"

    def ready(self):
        from leadership import dashboard, demo
        from leadership.services import people as people_services
        from qms.demo import Seeder, register_seeder

        post_migrate.connect(people_services.roles_sync_after_migrate, dispatch_uid="leadership.roles_sync")
        dashboard.register()
        register_seeder(Seeder(app="leadership", order=10, seed=demo.seed, logins=demo.logins))
