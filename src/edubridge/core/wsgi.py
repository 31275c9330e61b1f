"""WSGI entry point used by gunicorn (`edubridge serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edubridge.core.settings")
application = get_wsgi_application()
