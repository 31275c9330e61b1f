"""Template context shared by every page: the node's name and the reading direction."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_bidi


def node(request: HttpRequest) -> dict[str, Any]:
    return {
        "node_name": settings.NODE["NAME"],
        "text_direction": "rtl" if get_language_bidi() else "ltr",
    }
