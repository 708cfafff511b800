"""Settings for MesoClinic, read from the environment (12-factor).

With no environment at all the app runs on embedded parts so that a fresh checkout just works:
a SQLite file, a Celery broker in a local folder (no server), emails written as .eml files.
Production sets DATABASE_URL (PostgreSQL), REDIS_URL (Celery broker and cache) and EMAIL_URL (SMTP).
"""

import datetime as dt
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # local state of the embedded defaults (never committed)

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
DEVELOPMENT_KEY = "django-insecure-dev-only-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_KEY)
LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=LOCAL_HOSTS)
# Fail closed: the published development key would let anyone forge patients' signed links, and DEBUG's
# error pages show patient data. Both belong to a developer's machine only.
if not DEBUG and SECRET_KEY == DEVELOPMENT_KEY:
    raise ImproperlyConfigured("DEBUG is off: set SECRET_KEY (the development key is published).")
if DEBUG and set(ALLOWED_HOSTS) - set(LOCAL_HOSTS):
    raise ImproperlyConfigured("DEBUG is on while serving other hosts than this machine: set DEBUG=false.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",  # django-bootstrap-static: static/bootstrap/{css,js}
    "csp",  # django-csp: the Content-Security-Policy header (see "Security headers and sessions")
    "django_otp",  # two-factor sign-in (see "Two-factor sign-in and lockout")
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes (issue 12)
    "axes",  # failed sign-ins and lockout
    "meso_clinic.core",  # the kernel (label "meso_clinic"): imports no clinic app
    "patients",
    "treatments",
    "aftercare",
    "meso_clinic.overview",  # pages that put the apps together: dashboard, patient page, export, history
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Static files are answered above; everything below gets a CSP, a Permissions-Policy and no-store.
    "csp.middleware.CSPMiddleware",
    "meso_clinic.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Tablet mode (issue 15): a session locked to a patient's own pages reaches nothing else (core/kiosk.py).
    "meso_clinic.core.kiosk.KioskLockMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Right after CSRF's cookie is read, before anything reads the body (CSRF's own check does, later):
    # a body longer than its page takes is refused from Content-Length (meso_clinic/core/request_limits.py).
    "meso_clinic.core.request_limits.RequestBodyLimitMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the session passed two-factor sign-in
    # Every page needs a signed-in user unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After sessions, auth and messages: signs out after 15 minutes idle or 8 hours signed in.
    "meso_clinic.core.middleware.IdleLogoffMiddleware",
    # A user who still owes a two-factor code reaches only the code page and sign-out.
    "meso_clinic.core.twofactor.TwoFactorMiddleware",
    # The language the signed-in staff member chose (meso_clinic/core/preferences.py) over the browser's.
    "meso_clinic.core.preferences.StaffLanguageMiddleware",
    # Then the page x permission table of meso_clinic/core/access.py, before any view runs.
    "meso_clinic.core.access.PageAccessMiddleware",
    # After auth: who changes a clinical record in this request, for its history (meso_clinic/core/history.py).
    "meso_clinic.core.history.HistoryActorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a sign-in refused for lockout into the lockout page (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "meso_clinic.urls"
WSGI_APPLICATION = "meso_clinic.wsgi.application"
ASGI_APPLICATION = "meso_clinic.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",  # LANGUAGE_CODE for <html lang>
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "meso_clinic.core.context_processors.clinic",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# PostgreSQL (psycopg 3) in production via DATABASE_URL; a SQLite file when unset.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'meso_clinic.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # The web server, the worker and beat share one file: wait for locks instead of failing,
    # and take the write lock at BEGIN so that two writers never deadlock on an upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Each request is one transaction: a record's change and its history row (meso_clinic/core/history.py)
# commit together or not at all, also for plain form saves outside a service.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker, results and cache --------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # An embedded broker that needs no server: messages are files in a local folder, shared by
    # the worker, beat and the web process.
    _broker_dir = VAR_DIR / "celery-broker"
    for _folder in ("celery-broker", "celery-control", "celery-results"):
        (VAR_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "control_folder": str(VAR_DIR / "celery-control"),
    }
    CELERY_RESULT_BACKEND = f"file://{VAR_DIR / 'celery-results'}"
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The beat schedule is static; each app adds its entries in its own `beat.py`, gathered here.
CELERY_BEAT_SCHEDULE: dict = {}

# --- Email ------------------------------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "meso_clinic.core.mail.EmlFileBackend"
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="MesoClinic <clinic@mesoclinic.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where urgent alerts go when the responsible physician has no address of their own.
CLINIC_ALERT_EMAIL = env.str("CLINIC_ALERT_EMAIL", default="clinic@mesoclinic.example")

CLINIC_NAME = env.str("CLINIC_NAME", default="MesoClinic")
CLINIC_PHONE = env.str("CLINIC_PHONE", default="+90 212 555 0100")

# --- Auth -------------------------------------------------------------------------------------
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Sessions are rows in the database, read through the cache (Redis in production, shared by every web
# node): a request reads its session without a query; a write goes to both (issue 7, docs/deploy.md).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Two-factor sign-in and lockout (issue 6; meso_clinic/core/twofactor.py, meso_clinic/core/lockout.py) ----------
# Axes first: it refuses a locked-out sign-in before any password is checked.
# Then Django's ModelBackend, whose permissions and roles come from the cache (meso_clinic/core/permissions.py).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "meso_clinic.core.permissions.ClinicModelBackend"]
# Physicians, the clinic manager and admin-site users must use an authenticator app (TOTP).
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=True)
OTP_TOTP_ISSUER = CLINIC_NAME  # the name shown in the authenticator app
OTP_TOTP_THROTTLE_FACTOR = 1  # after a wrong code: 1, 2, 4, 8 ... seconds before the next is checked
# Failures (wrong passwords and wrong codes) count per username and address together.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))  # then it opens by itself
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the time on the lockout page stays true
AXES_RESET_ON_SUCCESS = False  # a right password does not wipe the count: wrong codes after it still lock
AXES_LOCKOUT_CALLABLE = "meso_clinic.core.lockout.lockout_response"  # registration/locked_out.html, 429
AXES_HTTP_RESPONSE_CODE = 429  # axes' default, stated so that the lockout page's code is a known setting
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]  # masked in axes' log lines and records
AXES_DISABLE_ACCESS_LOG = True  # no row per successful sign-in: the table would only grow
AXES_VERBOSE = False  # no start-up banner in every manage.py command; failures and lockouts are still logged
# Behind the TLS proxy the client's address is the entry our proxies appended to X-Forwarded-For (the
# TRUSTED_PROXY_COUNT-th from the right; never the leftmost ones, which the client writes): issue 12,
# meso_clinic/core/client_ip.py. With 0 the header is ignored and REMOTE_ADDR counts.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "meso_clinic.core.client_ip.axes_client_ip"

# --- Time and language ------------------------------------------------------------------------
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Istanbul")  # the clinic's own zone, used for display
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("tr", _("Turkish"))]
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
# Bootstrap's CSS/JS come from the installed django-bootstrap-static app, not a CDN or copied files.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security ---------------------------------------------------------------------------------
# Behind a TLS-terminating proxy in production. Each flag can be set alone; all follow DEBUG.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- Logging: requests are logged by path only; paths never carry patient data ---------------
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
# Patients' signed links carry a token in their path (issue 12): masked in the dev server's request lines
# and in Django's "Not Found: <path>" / "Forbidden (CSRF ...): <path>" warnings (meso_clinic/core/request_logs.py;
# gunicorn's access log: meso_clinic/gunicorn_conf.py). Configuring django.server drops Django's own handler
# for it, so that handler and its formatter are restated as Django defines them.
LOGGING["filters"] = {"mask_link_tokens": {"()": "meso_clinic.core.request_logs.MaskLinkTokens"}}
LOGGING["formatters"] = {
    "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
}
LOGGING["handlers"]["django.server"] = {"class": "logging.StreamHandler", "formatter": "django.server"}
LOGGING["loggers"].update({
    "django.server": {
        "handlers": ["django.server"], "level": "INFO", "propagate": False, "filters": ["mask_link_tokens"],
    },
    "django.request": {"filters": ["mask_link_tokens"]},
    "django.security.csrf": {"filters": ["mask_link_tokens"]},
})

# --- Clinical defaults (docs/clinical-rules.md, "Settings that hold the numbers"; the clinic can change them) ---
PATIENT_MAX_AGE_YEARS = env.int("PATIENT_MAX_AGE_YEARS", default=120)  # a plausibility check on entry
# Phone numbers typed without a country code are read as numbers of this country (ISO 3166 code), stored in E.164.
PHONE_DEFAULT_REGION = env.str("PHONE_DEFAULT_REGION", default="TR")
# Eligibility rules (patients/eligibility.py reads them through patients.services.thresholds()).
ELIGIBILITY_MIN_AGE_YEARS = env.int("ELIGIBILITY_MIN_AGE_YEARS", default=18)
ELIGIBILITY_ISOTRETINOIN_MONTHS = env.int("ELIGIBILITY_ISOTRETINOIN_MONTHS", default=6)
ELIGIBILITY_RECENT_PROCEDURE_WEEKS = env.int("ELIGIBILITY_RECENT_PROCEDURE_WEEKS", default=4)
APPROVAL_VALID_DAYS = env.int("APPROVAL_VALID_DAYS", default=180)  # a physician's approval, from its day
# The patient's own intake (issue 15; patients/invitations.py): an emailed link lasts days, the tablet a visit.
INTAKE_LINK_MAX_AGE_DAYS = env.int("INTAKE_LINK_MAX_AGE_DAYS", default=7)
INTAKE_TABLET_MAX_AGE_HOURS = env.int("INTAKE_TABLET_MAX_AGE_HOURS", default=2)
# Patch tests (treatments/patch_tests.py) and sessions.
PATCH_TEST_MIN_HOURS = env.int("PATCH_TEST_MIN_HOURS", default=24)
PATCH_TEST_READ_WINDOW_HOURS = env.int("PATCH_TEST_READ_WINDOW_HOURS", default=72)
PATCH_TEST_VALIDITY_DAYS = env.int("PATCH_TEST_VALIDITY_DAYS", default=90)
SESSION_PAST_GRACE_MINUTES = env.int("SESSION_PAST_GRACE_MINUTES", default=15)  # booking/recording a bit late
# Aftercare reminders (aftercare/services.py; docs/architecture.md, "Aftercare reminders").
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")  # absolute links in patient emails
MESSAGE_ID_DOMAIN = env.str("MESSAGE_ID_DOMAIN", default="mesoclinic.example")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# At most REMINDER_MAX_IN_FLIGHT / REMINDER_DISPATCH_SECONDS messages/s go out (docs/deploy.md, "Beat").
REMINDER_DISPATCH_SECONDS = env.float("REMINDER_DISPATCH_SECONDS", default=10.0)
REMINDER_DISPATCH_BATCH = env.int("REMINDER_DISPATCH_BATCH", default=500)
REMINDER_LEASE_SECONDS = env.int("REMINDER_LEASE_SECONDS", default=300)  # well above EMAIL_TIMEOUT
# Sends per task, over one connection (at most this many messages of a chunk wait behind a slow one).
REMINDER_SEND_CHUNK = env.int("REMINDER_SEND_CHUNK", default=20)
REMINDER_MAX_IN_FLIGHT = env.int("REMINDER_MAX_IN_FLIGHT", default=1000)  # claimed and not yet sent, at most
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=6)
# The pre-session instructions go this many days before a booked session (docs/clinical-rules.md: 3, a default).
REMINDER_PRE_SESSION_DAYS = env.int("REMINDER_PRE_SESSION_DAYS", default=3)
REMINDER_RETRY_BASE_SECONDS = env.int("REMINDER_RETRY_BASE_SECONDS", default=60)  # doubles per attempt, max 1 h
REPORT_LINK_MAX_AGE_DAYS = env.int("REPORT_LINK_MAX_AGE_DAYS", default=90)
# A forwarded or leaked link must not flood the clinic: reports a session takes a day, and at most one urgent
# email to the physician an hour per session (later urgent reports are at the top of the list all the same).
REPORTS_PER_SESSION_PER_DAY = env.int("REPORTS_PER_SESSION_PER_DAY", default=10)
REPORT_ALERT_INTERVAL_MINUTES = env.int("REPORT_ALERT_INTERVAL_MINUTES", default=60)
REPORT_PHOTO_MAX_BYTES = env.int("REPORT_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))  # never served publicly
MEDIA_URL = "/media/"
# --- Uploaded pictures (meso_clinic/core/images.py, issue 12) ---
# Every uploaded picture is decoded and saved afresh (no EXIF, GPS, XMP or comments kept). One with more pixels
# than this is refused from its header before it is decoded: a 48 KB PNG can claim 20000 x 20000 pixels,
# 1.2 GB decoded. 40 megapixels is above a phone camera's usual photo (12 to 24); Pillow refuses above 89 alike.
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_PIXELS", default=40_000_000)
# --- Photos of the treated area (treatments/photos.py, issue 16) ---
# A phone's 12-megapixel JPEG is 3 to 8 MB; one file of more is refused at its field, and the photo page's
# request takes at most AREA_PHOTOS_PER_REQUEST of them (a larger body is refused unread, core/request_limits.py).
AREA_PHOTO_MAX_BYTES = env.int("AREA_PHOTO_MAX_BYTES", default=15 * 1024 * 1024)
AREA_PHOTOS_PER_REQUEST = env.int("AREA_PHOTOS_PER_REQUEST", default=6)
AREA_PHOTO_THUMBNAIL_PX = 320  # the longer side of a thumbnail
# An uploaded file above 1 MB is streamed to a temporary file on disk, not held in the web process's memory
# (Django's default is 2.5 MB); the memory a photo needs is then its decoded pixels, freed after the request.
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)
# Where photos are stored: the default storage above (files under MEDIA_ROOT). With MEDIA_S3_BUCKET set, an
# S3-compatible store through django-storages, which must then be installed (pip install "django-storages[s3]";
# docs/deploy.md). The bucket stays private: files are read by the app and served to staff, never linked.
if env.str("MEDIA_S3_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("MEDIA_S3_BUCKET"),
            "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default="") or None,  # e.g. MinIO, Ceph, a provider
            "region_name": env.str("MEDIA_S3_REGION", default="") or None,
            "access_key": env.str("MEDIA_S3_ACCESS_KEY_ID", default="") or None,  # else the machine's role
            "secret_key": env.str("MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("MEDIA_S3_PREFIX", default=""),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "object_parameters": {"CacheControl": "no-store, private"},
        },
    }
CELERY_BEAT_SCHEDULE["dispatch-due-reminders"] = {
    "task": "aftercare.tasks.dispatch_due_reminders",
    "schedule": REMINDER_DISPATCH_SECONDS,
    # A tick that waited in the broker past the next one is dropped, not run back to back.
    "options": {"expires": REMINDER_DISPATCH_SECONDS},
}

# --- History, access log and retention (README; meso_clinic/core/history.py, meso_clinic/core/access_log.py) ---
# Clinical records are never deleted by the application; they are kept at least this long, and removal
# after that is a manual, documented procedure (README, "History, access log and retention").
CLINICAL_RECORD_RETENTION_YEARS = env.int("CLINICAL_RECORD_RETENTION_YEARS", default=20)
# Who opened which patient's record: rows older than this are purged every night.
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", default=730)
CELERY_BEAT_SCHEDULE["purge-access-log"] = {
    "task": "meso_clinic.core.tasks.purge_access_log",
    "schedule": 24 * 60 * 60.0,
    "options": {"expires": 60 * 60},
}

# --- Security headers and sessions (issue 6) --------------------------------------------------
# Content-Security-Policy (django-csp 4): nothing inline, everything from this site. Bootstrap's CSS
# and JS are served from /static/ (django-bootstrap-static); its CSS icons are data: images.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Permissions-Policy and Cache-Control: no-store come from meso_clinic.core.middleware.SecurityHeadersMiddleware.
# Referrer-Policy (SECURE_REFERRER_POLICY) and HSTS (SECURE_HSTS_*) are set in "Security" above.

# Sessions: signed out after IDLE_LOGOFF_SECONDS without a request (meso_clinic.core.middleware.IdleLogoffMiddleware),
# and SESSION_ABSOLUTE_SECONDS after signing in however active (the sign-in time is kept in the session,
# so the limit holds even if SESSION_COOKIE_AGE were extended). The session is not saved on every request
# by Django (SESSION_SAVE_EVERY_REQUEST stays False); the middleware writes the last-activity time itself.
IDLE_LOGOFF_SECONDS = env.int("IDLE_LOGOFF_SECONDS", default=15 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=8 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = False

# The manager's reports (issue 16; docs/clinical-rules.md "Reports"): a course is abandoned when it has had no
# session for this many days and fewer performed than planned; a batch is flagged as a safety signal when its
# side-effect reports reach the minimum count, its rate is at least the factor times its product's, and a one-sided
# Poisson test against the product's rate gives p below the threshold.
REPORT_ABANDONED_AFTER_DAYS = env.int("REPORT_ABANDONED_AFTER_DAYS", default=60)
BATCH_SIGNAL_MIN_REPORTS = env.int("BATCH_SIGNAL_MIN_REPORTS", default=3)
BATCH_SIGNAL_FACTOR = env.float("BATCH_SIGNAL_FACTOR", default=2.0)
BATCH_SIGNAL_P = env.float("BATCH_SIGNAL_P", default=0.01)
