from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate, pre_migrate


class QmsConfig(AppConfig):
    name = "qms"
    verbose_name = "Clause5 core"

    def ready(self):
        from qms import (
            checks,  # noqa: F401  (registers the system checks)
            history,
        )

        # Once per migrate (sender=self), on every history table the registry knows.
        pre_migrate.connect(history.allow_during_migrate, sender=self, dispatch_uid="qms.history.allow")
        post_migrate.connect(history.install_after_migrate, sender=self, dispatch_uid="qms.history.install")

        from qms.middleware import session_fix_expiry

        # A login's session ends SESSION_COOKIE_AGE after it began, however active (qms.middleware).
        user_logged_in.connect(session_fix_expiry, dispatch_uid="qms.middleware.session_fix_expiry")

        from qms.two_factor import devices

        # What the new session still has to do (give a code, set two-factor up) is worked out once, here.
        user_logged_in.connect(devices.remember_at_login, dispatch_uid="qms.two_factor.remember_at_login")
