"""Django settings for an EduBridge node, read from the environment (see docs/operator-guide.md)."""

from __future__ import annotations

import os

from django.utils.translation import gettext_lazy as _

from edubridge.core.config import (
    data_dir,
    database_settings,
    env_flag,
    env_list,
    project_root,
    secret_key,
    task_storage,
)

DATA_DIR = data_dir()
BASE_DIR = project_root()
SECRET_KEY = secret_key(DATA_DIR)
DEBUG = env_flag("EDUBRIDGE_DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "edubridge.core",
    "edubridge.accounts",
    "edubridge.records",
    "edubridge.exchange",
    "edubridge.catalogue",
    "edubridge.governance",
    "edubridge.training",
    "edubridge.secretariat",
    "edubridge.adaptive",
    "edubridge.localization",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves Swagger UI from the node's own static files (no CDN, CSP-friendly)
    "django_tasks",
    "huey.contrib.djhuey",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "edubridge.core.urls"
WSGI_APPLICATION = "edubridge.core.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "edubridge.core.context.node",
            ],
        },
    },
]

DATABASES = {"default": database_settings(DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Background work: Django's tasks interface, run by Huey (SQLite file by default, Redis at scale).
TASK_STORAGE = task_storage(DATA_DIR)
HUEY = TASK_STORAGE.huey_settings(os.environ.get("EDUBRIDGE_TASK_QUEUE", "edubridge"))
TASKS = {"default": {"BACKEND": "huey.contrib.djhuey.tasks_backend.HueyBackend"}}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling: lock a username+address pair after repeated failures, for a while.
AXES_FAILURE_LIMIT = int(os.environ.get("EDUBRIDGE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Internationalization: the shell speaks English, Simplified Chinese, Indonesian and Arabic.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("id", _("Indonesian")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "src" / "edubridge" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "media")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Security defaults. Cookies are marked secure unless the node runs in debug mode.
# Browsers treat http://127.0.0.1 and localhost as secure contexts, so secure cookies work there too.
SECURE_COOKIES = env_flag("EDUBRIDGE_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_flag("EDUBRIDGE_HTTPS"):
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Ninja's /api/docs page loads Swagger UI from the node itself (vendored by django-ninja).
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

NODE = {
    "NAME": os.environ.get("EDUBRIDGE_NODE_NAME", "EduBridge demo node"),
    "ORGANIZATION": os.environ.get("EDUBRIDGE_NODE_ORGANIZATION", "EduBridge Network Secretariat"),
    "COUNTRY": os.environ.get("EDUBRIDGE_NODE_COUNTRY", "ID"),
    "BASE_URL": os.environ.get("EDUBRIDGE_BASE_URL", "http://127.0.0.1:8000"),
    "KEY_DIR": DATA_DIR / "keys",
}

# Official schemas and contexts (QTI, CASE, Open Badges) are read from this folder at run time.
EDUBRIDGE_STANDARDS_DIR = os.environ.get("EDUBRIDGE_STANDARDS_DIR")

# The issuer id of credentials: "did:key" (self-contained) or "did:web" (the host of
# EDUBRIDGE_BASE_URL, resolved through /.well-known/did.json). See ADR 0018.
EDUBRIDGE_CREDENTIAL_ISSUER = os.environ.get("EDUBRIDGE_CREDENTIAL_ISSUER", "did:key")

# Practice answers on PostgreSQL commit without waiting for the WAL to reach the disk (as the
# default SQLite setup, WAL with synchronous=NORMAL, always does): a database crash can lose the
# last fraction of a second of answers, never part of one. On: wait for the disk. ADR 0022.
EDUBRIDGE_PRACTICE_DURABLE_COMMIT = env_flag("EDUBRIDGE_PRACTICE_DURABLE_COMMIT", default=False)

# An optional OpenAI-compatible chat endpoint for machine translation (localization drafts,
# bulletins). Unset URL: no provider; translation stays a task for a person.
EDUBRIDGE_TRANSLATION_URL = os.environ.get("EDUBRIDGE_TRANSLATION_URL", "")
EDUBRIDGE_TRANSLATION_MODEL = os.environ.get("EDUBRIDGE_TRANSLATION_MODEL", "")
EDUBRIDGE_TRANSLATION_API_KEY = os.environ.get("EDUBRIDGE_TRANSLATION_API_KEY", "")
EDUBRIDGE_TRANSLATION_TIMEOUT = float(os.environ.get("EDUBRIDGE_TRANSLATION_TIMEOUT", "60"))

# xAPI batches and attachments, item-bank packages: larger than Django's 2.5 MB default.
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("EDUBRIDGE_LOG_LEVEL", "WARNING")},
    "loggers": {"axes": {"level": "WARNING"}, "huey": {"level": "INFO"}},
}
