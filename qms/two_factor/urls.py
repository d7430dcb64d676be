from django.urls import path

from qms.two_factor import views

urlpatterns = [
    path("login/code/", views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/", views.two_factor, name="two-factor"),
    path("two-factor/confirm/", views.two_factor_confirm, name="two-factor-confirm"),
    path("two-factor/recovery-codes/", views.two_factor_recovery_codes, name="two-factor-recovery-codes"),
    path("two-factor/disable/", views.two_factor_disable, name="two-factor-disable"),
]
