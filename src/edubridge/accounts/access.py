"""Permission checks for views and API routes: the one place they live."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from edubridge.accounts.models import User
from edubridge.accounts.roles import Permission
from edubridge.accounts.selectors import user_has_permission

V = TypeVar("V", bound=Callable[..., HttpResponse])


def require_permission(permission: Permission) -> Callable[[V], V]:
    """Decorate a view: anonymous people go to sign in; signed-in people without it get 403."""

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_has_permission(request.user, permission):
                raise PermissionDenied(f"needs the permission {permission.value}")
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in person behind a request that login_required (or an API auth) already let in."""
    assert isinstance(request.user, User)
    return request.user
