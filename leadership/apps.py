from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LeadershipConfig(AppConfig):
    name = "leadership"
    verbose_name = "Leadership (ISO 9001 clause 5)"

    def ready(self):
        from leadership import dashboard, demo, integrity
        from leadership.services import people as people_services
        from qms.demo import Seeder, register_seeder

        post_migrate.connect(people_services.roles_sync_after_migrate, dispatch_uid="leadership.roles_sync")
        dashboard.register()
        # Top management and whoever may sign must use two-factor authentication (qms.two_factor).
        from leadership.selectors.people import two_factor_required
        from qms.two_factor.devices import register_required_rule

        register_required_rule(two_factor_required)
        integrity.register()
        register_seeder(Seeder(app="leadership", order=10, seed=demo.seed, logins=demo.logins))
