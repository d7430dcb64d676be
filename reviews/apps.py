from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Meetings and management review (ISO 9001 9.3)"

    def ready(self):
        from qms.demo import Seeder, register_seeder
        from reviews import dashboard, demo, integrity

        dashboard.register()
        integrity.register()
        register_seeder(Seeder(app="reviews", order=30, seed=demo.seed))
