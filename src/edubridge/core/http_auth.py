"""Authentication for the HTTP API: integrator API keys, or a signed-in session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyHeader, django_auth

from edubridge.accounts.services import api_key_authenticate


class ApiKeyAuth(APIKeyHeader):
    """Machine clients send ``X-API-Key: eb_<prefix>_<secret>``, issued to integrators."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not key:
            return None
        user = api_key_authenticate(key)
        if user is not None:
            request.user = user
        return user


api_key_auth = ApiKeyAuth()
AUTH = [api_key_auth, django_auth]
