"""Settings shared by every environment; every deploy-time choice is read from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Our apps first, so their templates and static files win.
    "lms",
    "people",
    "courses",
    "quizzes",
    "h5p",
    "accounts",
    "certificates",
    "reports",
    "notifications",
    "scale",  # the province-scale data set of the benchmarks (manage.py seed_scale)
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailmedia",
    "modelcluster",
    "taggit",
    "axes",
    "csp",
    "django_tasks_db",  # the database task backend (TASKS["background"]); worker: manage.py db_worker
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp; the admin's own policy) and Permissions-Policy.
    "lms.middleware.ContentSecurityPolicyMiddleware",
    "lms.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lms.middleware.LearnerSessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "csp.context_processors.nonce",
                "notifications.context_processors.bell",
            ],
        },
    },
]

WSGI_APPLICATION = "lms.wsgi.application"

# Database: DATABASE_URL, or an SQLite file beside the code that needs no server.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; the timeout rides out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by every gunicorn process), else in-process memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lms",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    # django-axes counts failures and refuses locked-out sign-ins before any password check.
    "axes.backends.AxesStandaloneBackend",
    "people.auth.NIPOrUsernameBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Accounts (accounts/): an imported ASN activates their account with a one-time code an office
# hands out (docs/accounts.md).
LMS_ACTIVATION_CODE_DAYS = int(os.environ.get("LMS_ACTIVATION_CODE_DAYS", "30"))
# Failed activations for one NIP, from any address, before that NIP is paused for the cool-off
# (the sign-in's own limits per account-and-address and per address apply as well).
LMS_ACTIVATION_NIP_FAILURE_LIMIT = int(os.environ.get("LMS_ACTIVATION_NIP_FAILURE_LIMIT", "10"))
# How an account that was never used can be activated: "code" (a slip from the office), "email" (a
# one-time link to the address in the roster, asked for on *Lupa kata sandi*), or both.
LMS_ACTIVATION_METHODS = {
    method.strip() for method in os.environ.get("LMS_ACTIVATION_METHODS", "code,email").split(",") if method.strip()
}
LMS_ACTIVATION_LINK_HOURS = int(os.environ.get("LMS_ACTIVATION_LINK_HOURS", "72"))
PASSWORD_RESET_TIMEOUT = int(os.environ.get("LMS_PASSWORD_RESET_HOURS", "24")) * 3600
# *Lupa kata sandi*: requests per client address per hour, and emails per account per hour.
LMS_RECOVERY_ADDRESS_LIMIT = int(os.environ.get("LMS_RECOVERY_ADDRESS_LIMIT", "20"))
LMS_RECOVERY_EMAILS_PER_HOUR = int(os.environ.get("LMS_RECOVERY_EMAILS_PER_HOUR", "3"))
# Staff added in the admin choose their own password through the activation link or a code; nobody
# types a password for someone else (accounts/wagtail_hooks.py sends the link on creation).
WAGTAILUSERS_PASSWORD_ENABLED = False
# Single sign-on with an agency's OpenID Connect provider (accounts/oidc.py, docs/accounts.md): on only
# when both LMS_OIDC_ISSUER and LMS_OIDC_CLIENT_ID are set. Endpoints are discovered on first use.
LMS_OIDC_ISSUER = os.environ.get("LMS_OIDC_ISSUER", "").strip().rstrip("/")
LMS_OIDC_CLIENT_ID = os.environ.get("LMS_OIDC_CLIENT_ID", "").strip()
LMS_OIDC_CLIENT_SECRET = os.environ.get("LMS_OIDC_CLIENT_SECRET", "")
LMS_OIDC_NIP_CLAIM = os.environ.get("LMS_OIDC_NIP_CLAIM", "").strip() or "nip"
LMS_OIDC_SCOPES = os.environ.get("LMS_OIDC_SCOPES", "").strip() or "openid profile"
LMS_OIDC_SIGN_ALGO = os.environ.get("LMS_OIDC_SIGN_ALGO", "").strip() or "RS256"
if LMS_OIDC_ISSUER and LMS_OIDC_CLIENT_ID:
    AUTHENTICATION_BACKENDS.append("accounts.oidc.NIPOIDCBackend")
# Certificates (certificates/): requests to the public verification page per client address per minute.
LMS_CERTIFICATE_VERIFY_PER_MINUTE = int(os.environ.get("LMS_CERTIFICATE_VERIFY_PER_MINUTE", "30"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "/"

# Sign-in throttling (django-axes): five failures for one account from one address lock that
# pair for 15 minutes. Keying on the pair, not the address alone, keeps a whole office behind
# one NAT address from being locked out by one person's typos. Password spraying (one address,
# many accounts) is limited separately: AXES_ADDRESS_FAILURE_LIMIT failures from one address,
# summed over every account that has not since signed in, lock the address for the cool-off.
# django-axes has one failure limit for all its lockout parameters, so the per-address limit
# is counted by our handler (people.auth.AddressLimitedAxesHandler) from axes' own records.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "30"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "people.auth.AddressLimitedAxesHandler"
AXES_USERNAME_CALLABLE = "people.auth.axes_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0")) or None
AXES_VERBOSE = False

# Sessions: Django's two weeks for staff; a learner (no admin access) is signed out after
# LMS_SESSION_IDLE_MINUTES without a request, as offices share computers. Refreshed on activity.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60 * 24 * 14)))
LMS_SESSION_IDLE_MINUTES = int(os.environ.get("LMS_SESSION_IDLE_MINUTES", "120"))

# Content-Security-Policy (django-csp). Site pages: scripts only from our origin or with the
# request's nonce; no inline handlers, no eval; style attributes are allowed (progress bars set
# their width), <style> elements are not. A response that already carries a policy keeps it
# (the H5P content routes set their own sandbox). The Wagtail admin gets LMS_ADMIN_CSP (below).
CSP_MEDIA_ORIGINS = env_list("CSP_MEDIA_ORIGINS", [])  # e.g. the object-storage host for uploads
# The H5P player's own origin, when it is served from a separate host (h5p/player.py); empty: this site.
H5P_CONTENT_ORIGIN = os.environ.get("H5P_CONTENT_ORIGIN", "").strip().rstrip("/")
# Frames: lesson video embeds, and the H5P player's own origin when it has one.
CSP_FRAME_ORIGINS = [
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    *([H5P_CONTENT_ORIGIN] if H5P_CONTENT_ORIGIN else []),
]
_CSP_BASE = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", *CSP_MEDIA_ORIGINS],
    "media-src": ["'self'", "blob:", *CSP_MEDIA_ORIGINS],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'", *CSP_FRAME_ORIGINS],
    "worker-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {**_CSP_BASE, "script-src": ["'self'", NONCE]},
}
# Wagtail 8's admin still writes inline <script> initialisers (inline panels, date pickers, chooser
# modal responses) and inline styles, without nonces: the admin allows inline script and style, and
# nothing else: no eval, no other origin, no plugins, no framing by other sites, forms post home.
LMS_ADMIN_PATH_PREFIX = "/admin/"
LMS_ADMIN_CSP = {
    **_CSP_BASE,
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
}
# Permissions-Policy: nothing here needs a camera, microphone, location, payment or USB; fullscreen
# and picture-in-picture stay for our own player and the video embeds.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": ["self"],
    "camera": [],
    "display-capture": [],
    "encrypted-media": ["self", *CSP_FRAME_ORIGINS],
    "fullscreen": ["self", *CSP_FRAME_ORIGINS],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "picture-in-picture": ["self", *CSP_FRAME_ORIGINS],
    "publickey-credentials-get": [],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}
# Wagtail's admin would load avatars from gravatar.com and check releases.wagtail.org: no third-party requests.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Language and time: Bahasa Indonesia first, English second; WIB.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Static files: collected and served with WhiteNoise, compressed and fingerprinted.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]

# Media: local files by default; S3-compatible object storage when AWS_STORAGE_BUCKET_NAME is set.
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    default_storage = {
        # S3Storage, with objects under h5p/ always private and only reachable by signed URLs.
        "BACKEND": "h5p.storage.MediaStorage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", True),
            "file_overwrite": False,
        },
    }
else:
    default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Local media is served by our own view (HTTP Range for video seeking); object storage serves itself.
SERVE_MEDIA = env_bool("SERVE_MEDIA", not AWS_STORAGE_BUCKET_NAME)

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "LMS ASN Provinsi Jambi")
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_I18N_ENABLED = False
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "txt", "csv", "zip"]
WAGTAILMEDIA = {"MEDIA_MODEL": "wagtailmedia.Media"}

# Email: console in development; SMTP settings from the environment in production.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "lms@bpsdm.jambiprov.go.id")

# Tasks (django-tasks). Wagtail's own tasks (search and reference index) stay on "default", run in
# the request as before. The platform's background work (emails, ...) goes to "background": rows in
# the database (django-tasks-db), run by `manage.py db_worker --backend background` (Procfile: worker;
# `make run` starts one). Workers claim rows with SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, an
# exclusive transaction on SQLite, so any number of them is safe. Retries: lms/tasks.py.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}

# Domain settings an administrator may change (see docs/domain.md).
LMS_JP_MINUTES = int(os.environ.get("LMS_JP_MINUTES", "45"))
LMS_ANNUAL_JP_TARGET = int(os.environ.get("LMS_ANNUAL_JP_TARGET", "20"))
# Reports count someone as "close" to the annual target from this share of it.
LMS_JP_CLOSE_PERCENT = int(os.environ.get("LMS_JP_CLOSE_PERCENT", "75"))
# SIASN riwayat kursus export: the organiser's name and the jenis diklat id per competency kind
# (ids seen in agency data, unverified; see docs/domain.md), and the ids SIASN assigns that we do not hold.
LMS_INSTITUTION_NAME = os.environ.get("LMS_INSTITUTION_NAME", "BPSDM Provinsi Jambi")
LMS_SIASN_JENIS_DIKLAT = {"teknis": "3", "manajerial": "5", "sosial_kultural": "6"}
LMS_SIASN_JENIS_KURSUS_SERTIPIKAT = os.environ.get("LMS_SIASN_JENIS_KURSUS_SERTIPIKAT", "")
LMS_SIASN_LOKASI_ID = os.environ.get("LMS_SIASN_LOKASI_ID", "")
LMS_SIASN_INSTANSI_ID = os.environ.get("LMS_SIASN_INSTANSI_ID", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Wagtail runs its reference-index tasks through django-tasks, which logs every one.
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
    },
}
