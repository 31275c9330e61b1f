"""HTTP API of the governance app."""

from ninja import Router

router = Router(tags=["governance"])
