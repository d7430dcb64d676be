from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from qms import views
from qms.forms import LoginForm
from qms.two_factor import api as two_factor_api

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/badge/", views.notifications_badge, name="notifications-badge"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    # Two-factor authentication: the code step after the password, and its set-up page.
    path("accounts/", include("qms.two_factor.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("leadership/", include("leadership.urls")),
    path("objectives/", include("objectives.urls")),
    path("reviews/", include("reviews.urls")),
    path("evidence/", include("evidence.urls")),
    path("admin/", admin.site.urls),
    # API
    path("api/", include("leadership.api.urls")),
    path("api/", include("objectives.api.urls")),
    path("api/", include("reviews.api.urls")),
    path("api/", include("evidence.api.urls")),
    # DRF's token endpoint, asking for the two-factor code of those who use it.
    path("api/auth/token/", two_factor_api.token_view, name="api-token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: the CSP allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

if settings.CLAUSE5_BENCH:
    # The benchmark's baseline page (bench/run.py): one template, one trivial query.
    urlpatterns.append(path("bench/baseline/", views.bench_baseline, name="bench-baseline"))
    # The shell alone (base.html around the same query), to show what every page starts from.
    urlpatterns.append(path("bench/shell/", views.bench_shell, name="bench-shell"))

handler404 = "qms.views.page_not_found"

admin.site.site_header = "Clause5 administration"
admin.site.site_title = "Clause5"
