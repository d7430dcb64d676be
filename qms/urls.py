from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from qms import views
from qms.forms import LoginForm

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
    path("api/auth/token/", obtain_auth_token, name="api-token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

if settings.CLAUSE5_BENCH:
    # The benchmark's baseline page (bench/run.py): one template, one trivial query.
    urlpatterns.append(path("bench/baseline/", views.bench_baseline, name="bench-baseline"))
    # The shell alone (base.html around the same query), to show what every page starts from.
    urlpatterns.append(path("bench/shell/", views.bench_shell, name="bench-shell"))

admin.site.site_header = "Clause5 administration"
admin.site.site_title = "Clause5"
