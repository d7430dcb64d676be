"""Settings shared by every environment, read from environment variables.

Every variable is listed, with its default, in `.env.example`.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Outside debug mode the key must come from the environment.
SECRET_KEY = env("DJANGO_SECRET_KEY") if not DEBUG else env("DJANGO_SECRET_KEY", default="insecure-dev-key")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

ORGANISATION_NAME = env("CLAUSE5_ORGANISATION_NAME", default="Clause5")
# Where users reach Clause5; used for links in e-mails sent by background tasks.
BASE_URL = env("CLAUSE5_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Organisation-wide limits and delays, read from CLAUSE5_* variables (see .env.example). Code
# reads them as settings.CLAUSE5_<NAME>.
CLAUSE5_CURRENCY = env("CLAUSE5_CURRENCY", default="GBP")
# Benchmarks only (bench/run.py): routes bench/baseline/, the cost of Django itself on this machine.
CLAUSE5_BENCH = env.bool("CLAUSE5_BENCH", default=False)
CLAUSE5_FEEDBACK_ANSWER_DAYS = env.int("CLAUSE5_FEEDBACK_ANSWER_DAYS", default=10)
CLAUSE5_CUSTOMER_IMPORT_MAX_BYTES = env.int("CLAUSE5_CUSTOMER_IMPORT_MAX_BYTES", default=2 * 1024 * 1024)
CLAUSE5_CUSTOMER_IMPORT_MAX_ROWS = env.int("CLAUSE5_CUSTOMER_IMPORT_MAX_ROWS", default=5000)
CLAUSE5_MEASUREMENT_GRACE_DAYS = env.int("CLAUSE5_MEASUREMENT_GRACE_DAYS", default=5)
CLAUSE5_MEASUREMENT_ESCALATION_DAYS = env.int("CLAUSE5_MEASUREMENT_ESCALATION_DAYS", default=10)
CLAUSE5_MEASUREMENT_IMPORT_MAX_BYTES = env.int("CLAUSE5_MEASUREMENT_IMPORT_MAX_BYTES", default=1024 * 1024)
CLAUSE5_MEASUREMENT_IMPORT_MAX_ROWS = env.int("CLAUSE5_MEASUREMENT_IMPORT_MAX_ROWS", default=2000)
CLAUSE5_ATTACHMENT_MAX_BYTES = env.int("CLAUSE5_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Days before its due date that an action's owner is reminded.
CLAUSE5_ACTION_DUE_SOON_DAYS = env.int("CLAUSE5_ACTION_DUE_SOON_DAYS", default=7)
# Days past its due date before an open action goes to the owner's manager and the
# management representative.
CLAUSE5_ACTION_ESCALATION_DAYS = env.int("CLAUSE5_ACTION_ESCALATION_DAYS", default=14)
# Days past the date its schedule called for before a missing management review goes to top
# management.
CLAUSE5_REVIEW_OVERDUE_GRACE_DAYS = env.int("CLAUSE5_REVIEW_OVERDUE_GRACE_DAYS", default=14)

# Largest PDF the verification page hashes (the file is never stored).
CLAUSE5_VERIFY_MAX_BYTES = env.int("CLAUSE5_VERIFY_MAX_BYTES", default=200 * 1024 * 1024)
# Top management and everyone who may sign must turn on two-factor authentication before using
# Clause5 (qms/two_factor.py); anyone else may turn it on.
CLAUSE5_TWO_FACTOR_REQUIRED = env.bool("CLAUSE5_TWO_FACTOR_REQUIRED", default=True)
# The most evidence packs queued or building at once, across all users (each takes a PDF worker).
CLAUSE5_EVIDENCE_PACK_MAX_QUEUED = env.int("CLAUSE5_EVIDENCE_PACK_MAX_QUEUED", default=5)
# Audit readiness (the gap finder): the rules' windows and thresholds.
CLAUSE5_READINESS_PERIOD_MONTHS = env.int("CLAUSE5_READINESS_PERIOD_MONTHS", default=12)
CLAUSE5_READINESS_ACKNOWLEDGEMENT_PCT = env.int("CLAUSE5_READINESS_ACKNOWLEDGEMENT_PCT", default=90)
CLAUSE5_READINESS_ATTENDANCE_MONTHS = env.int("CLAUSE5_READINESS_ATTENDANCE_MONTHS", default=6)
CLAUSE5_READINESS_MIN_MEETINGS_ATTENDED = env.int("CLAUSE5_READINESS_MIN_MEETINGS_ATTENDED", default=4)
CLAUSE5_READINESS_REVIEW_MAX_AGE_MONTHS = env.int("CLAUSE5_READINESS_REVIEW_MAX_AGE_MONTHS", default=12)
CLAUSE5_READINESS_OVERDUE_ACTION_DAYS = env.int("CLAUSE5_READINESS_OVERDUE_ACTION_DAYS", default=30)
CLAUSE5_READINESS_DISCUSSION_MONTHS = env.int("CLAUSE5_READINESS_DISCUSSION_MONTHS", default=3)
CLAUSE5_READINESS_RESOURCE_DECISION_MONTHS = env.int("CLAUSE5_READINESS_RESOURCE_DECISION_MONTHS", default=12)
CLAUSE5_READINESS_MEASUREMENT_MONTHS = env.int("CLAUSE5_READINESS_MEASUREMENT_MONTHS", default=12)
# How long the home dashboard's readiness panel is kept before it is checked again (the
# readiness page always checks afresh). 0 checks on every visit.
CLAUSE5_READINESS_PANEL_CACHE_SECONDS = env.int("CLAUSE5_READINESS_PANEL_CACHE_SECONDS", default=60)

# Apps ------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_celery_beat",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "qms",
    "leadership",
    "objectives",
    "reviews",
    "evidence",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.otp_device and is_verified(): the device that checked this session's code.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends a session idle for CLAUSE5_SESSION_IDLE_MINUTES (the login page says why).
    "qms.middleware.SessionIdleMiddleware",
    # Asks for the code after the password, and sends who must use two-factor to set it up.
    "qms.two_factor.middleware.TwoFactorMiddleware",
    # Signs out an auditor whose access period has ended (the login page says why).
    "evidence.middleware.AuditorAccessMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a lockout flagged during the request into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qms.urls"
WSGI_APPLICATION = "qms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qms.context_processors.shell",
                "leadership.context_processors.current_person",
            ],
        },
    },
]

# Database ---------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'clause5.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Without persistent connections PostgreSQL pages are ten times slower.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # SQLite: wait for the worker's writes instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Auth ---------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes: refuses every login for a username from an address while that pair is locked out.
    "qms.throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# The longest a login lasts, however active (qms.middleware keeps activity from extending it).
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=60 * 60 * 8)
# A session unused for this long ends (qms.middleware.SessionIdleMiddleware).
CLAUSE5_SESSION_IDLE_MINUTES = env.int("CLAUSE5_SESSION_IDLE_MINUTES", default=30)

# Login throttling (django-axes): after CLAUSE5_LOGIN_FAILURE_LIMIT failed logins for one username
# from one address, that pair is refused for CLAUSE5_LOGIN_COOLOFF_MINUTES. Token-authenticated API
# requests pass no password, so they are not affected.
AXES_FAILURE_LIMIT = env.int("CLAUSE5_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("CLAUSE5_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout are refused unchecked; not counting them keeps the "try again at" time true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The login page shows a lockout as a form error (qms.forms.LoginForm); see qms.throttle.
AXES_LOCKOUT_CALLABLE = "qms.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "qms.throttle.client_ip"
# Reverse proxies in front of Clause5 that append the client's address to X-Forwarded-For (0: the
# client connects directly). Addresses further left in that header are only the client's claim.
CLAUSE5_TRUSTED_PROXY_COUNT = env.int("CLAUSE5_TRUSTED_PROXY_COUNT", default=0)

# Content Security Policy (django-csp), in every environment so that the browser tests run under it.
# Scripts and styles come from static files; the few inline <style> elements (pygal's charts, Swagger
# UI) carry the request's nonce. Templates have no inline scripts, event attributes or style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # Bootstrap and Swagger UI draw some icons as data: SVGs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Two-factor authentication (django-otp): the name authenticator apps show beside the account.
OTP_TOTP_ISSUER = ORGANISATION_NAME
# The admin lists devices without their secrets (nobody but the user should be able to copy them).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Internationalisation: stored in UTC, shown in the organisation's time zone.

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("CLAUSE5_TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

# Static and media -------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=VAR_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Media is never served from a public URL: views check permissions and stream files.
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Email ----------------------------------------------------------------------------

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Clause5 <clause5@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Forms -------------------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# REST API ---------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that a request without credentials gets 401 with WWW-Authenticate.
        # DRF's token authentication, refusing auditors outside their access period.
        "evidence.api.authentication.TokenAuthentication",
        # DRF's session authentication, refusing a session whose two-factor step is not done.
        "qms.api.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["qms.api.ModelPermissions"],
    "DEFAULT_PAGINATION_CLASS": "qms.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "qms.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "qms.schema.AutoSchema",
    "EXCEPTION_HANDLER": "qms.api.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Clause5 API",
    "DESCRIPTION": (
        "Leadership records of an ISO 9001 quality management system: people, departments, "
        "policy, objectives, management reviews and audit evidence. Authenticate with a session "
        "or with `Authorization: Token <key>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from our own static files, not a CDN.
    # Several models have a "status" or "kind" field with different choices; name each enum.
    "ENUM_NAME_OVERRIDES": {
        "ResourceRequestStatusEnum": "leadership.models.resources.ResourceRequest.Status",
        "EmployeeFeedbackStatusEnum": "leadership.models.feedback.EmployeeFeedback.Status",
        "EmployeeFeedbackKindEnum": "leadership.models.feedback.EmployeeFeedback.Kind",
        "RiskStatusEnum": "objectives.models.risks.Risk.Status",
        "RiskSourceEnum": "objectives.models.risks.Risk.Source",
        "RiskTypeEnum": "objectives.models.risks.Risk.Type",
        "ObjectiveStatusEnum": "objectives.models.objectives.Objective.Status",
        "ObjectiveCategoryEnum": "objectives.models.objectives.Objective.Category",
        "ActionPlanStepStatusEnum": "objectives.models.objectives.ActionPlanStep.Status",
        "TargetRevisionStatusEnum": "objectives.models.objectives.TargetRevision.Status",
        "ResourceCategoryEnum": "leadership.models.resources.ResourceCategory",
        "ActionSourceEnum": "reviews.models.actions.Action.Source",
        "ActionStatusEnum": "reviews.models.actions.Action.Status",
        "ActionPriorityEnum": "reviews.models.actions.Action.Priority",
        "AttendeeStatusEnum": "reviews.models.meetings.Attendee.Status",
        "MeetingStatusEnum": "reviews.models.meetings.Meeting.Status",
        "MeetingTypeCategoryEnum": "reviews.models.meetings.MeetingType.Category",
        "MeetingTypeFrequencyEnum": "reviews.models.meetings.MeetingType.Frequency",
        "ManagementReviewStatusEnum": "reviews.models.management_reviews.ManagementReview.Status",
        "InternalAuditStatusEnum": "reviews.models.audits.InternalAudit.Status",
        "AuditFindingKindEnum": "reviews.models.audits.AuditFinding.Kind",
        "MeetingAgendaItemMoveDirectionEnum": "reviews.api.serializers.meetings.MoveDirection",
        "ObjectiveDirectionEnum": "objectives.models.objectives.Objective.Direction",
        "ObjectiveFrequencyEnum": "objectives.models.objectives.Objective.Frequency",
    },
    # The errors every endpoint shares (400, 401, 403, 404, 409, 415) are added to each operation.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "qms.schema.postprocess_error_responses",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# Celery -------------------------------------------------------------------------------

REDIS_URL = env("REDIS_URL", default="")
# Without Redis, kombu's filesystem transport lets a bare machine run the real worker and beat.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://localhost//")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # Broadcast (worker control) messages; kombu's default is a folder in the current directory.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {}
)
if CELERY_BROKER_URL.startswith("filesystem"):
    for folder in CELERY_BROKER_TRANSPORT_OPTIONS.values():
        if isinstance(folder, str):
            Path(folder).mkdir(parents=True, exist_ok=True)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=14 * 60)
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# WeasyPrint runs only on the "pdf" queue, whose worker runs one child at a time with a memory
# cap (Procfile.dev, docker-compose.yml); every other task stays on the default queue.
CELERY_TASK_ROUTES = {
    "leadership.tasks.policy.policy_version_render_pdf_task": {"queue": "pdf"},
    "evidence.tasks.documents.record_pdf_render_task": {"queue": "pdf"},
    "evidence.tasks.reports.weekly_report_render_pdf_task": {"queue": "pdf"},
    "evidence.tasks.packs.evidence_pack_build_task": {"queue": "pdf"},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Every periodic task, in one place. Beat copies these into django-celery-beat's tables at
# start-up, where an administrator can pause or re-time them. Each task is idempotent (it
# sends each message at most once per period), so a missed or doubled run does no harm.
CELERY_BEAT_SCHEDULE = {
    # Mondays 08:00: staff who have not acknowledged the published quality policy (5.2.2.b).
    "policy-acknowledgement-reminder": {
        "task": "leadership.tasks.policy.policy_acknowledgement_remind_task",
        "schedule": crontab(hour=8, minute=0, day_of_week="mon"),
    },
    # Mondays 08:05: position holders who have not acknowledged their current description (5.3).
    "position-acknowledgement-reminder": {
        "task": "leadership.tasks.positions.position_acknowledgement_remind_task",
        "schedule": crontab(hour=8, minute=5, day_of_week="mon"),
    },
    # Daily 00:15: end the management representative's appointment once its end date has passed.
    "management-representative-appointment-end-expired": {
        "task": "leadership.tasks.positions.management_representative_appointment_end_expired_task",
        "schedule": crontab(hour=0, minute=15),
    },
    # Daily 07:00: customer feedback past its response or closing target, to owners and the
    # management representative (5.1.2.c).
    "customer-feedback-overdue": {
        "task": "leadership.tasks.customers.customer_feedback_notify_overdue_task",
        "schedule": crontab(hour=7, minute=0),
    },
    # Daily 06:30: health and forecast of every active objective; missing measurements to owners,
    # escalated to department heads; off-track and projected-to-miss transitions (6.2.1.e, 9.1).
    "progress-check": {
        "task": "objectives.tasks.risks.progress_check_run_task",
        "schedule": crontab(hour=6, minute=30),
    },
    # Daily 05:30: plan the missing next occurrences of every scheduled meeting type (management
    # reviews are prepared with their period and inputs instead), before the invitations run.
    "meeting-types-plan": {
        "task": "reviews.tasks.meetings.meeting_types_plan_task",
        "schedule": crontab(hour=5, minute=30),
    },
    # Daily 06:45: due-soon and weekly overdue reminders to action owners; actions overdue by
    # CLAUSE5_ACTION_ESCALATION_DAYS go to the owner's manager and the management representative.
    "action-reminders": {
        "task": "reviews.tasks.actions.action_send_reminders_task",
        "schedule": crontab(hour=6, minute=45),
    },
    # Every 15 minutes: invitations to the attendees of planned meetings who have none yet (new
    # meetings, people added later), and one notice to the invited attendees of a cancelled meeting.
    "meeting-invitations": {
        "task": "reviews.tasks.calendar.meeting_send_invitations_task",
        "schedule": crontab(minute="*/15"),
    },
    # Hourly at :10: day-before reminders to attendees, agenda-preparation reminders to chairs
    # (the meeting type's agenda_reminder_days before).
    "meeting-reminders": {
        "task": "reviews.tasks.calendar.meeting_send_reminders_task",
        "schedule": crontab(minute=10),
    },
    # Daily 07:10: scheduled management reviews not held within CLAUSE5_REVIEW_OVERDUE_GRACE_DAYS
    # of their date, to top management and the management representative, weekly (9.3.1).
    "management-review-overdue": {
        "task": "reviews.tasks.management_reviews.management_review_notify_overdue_task",
        "schedule": crontab(hour=7, minute=10),
    },
    # Monday 07:30: the management representative's report on the last ISO week to top
    # management (5.3.c): new complaints, overdue actions and measurements, objectives off track,
    # unanswered employee feedback, resources requested.
    "weekly-operation-report": {
        "task": "evidence.tasks.reports.weekly_report_task",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
    # Every minute: publish the task outbox's messages that the broker did not take at commit
    # (it was down), and drop sent ones after a week. Beat needs the broker to send this, so
    # `manage.py outbox_relay` runs beside it as its own process and relays while it is down.
    "outbox-relay": {
        "task": "qms.tasks.outbox_relay_task",
        "schedule": crontab(minute="*"),
    },
    # Every 5 minutes: evidence packs whose PDF worker died mid-build (building past the task's hard
    # time limit) are marked failed, with why, and their partial files removed; their users may ask again.
    "evidence-pack-fail-stale": {
        "task": "evidence.tasks.packs.evidence_pack_fail_stale_task",
        "schedule": crontab(minute="*/5"),
    },
    # Daily 07:05: employee feedback not answered in time, to the management representative (5.1.1.h).
    "employee-feedback-overdue": {
        "task": "leadership.tasks.feedback.employee_feedback_notify_overdue_task",
        "schedule": crontab(hour=7, minute=5),
    },
}

# Logging -------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes: failed logins and lockouts are warnings; every start-up is logged at INFO.
        "axes": {"level": "WARNING"},
    },
}
