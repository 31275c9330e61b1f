"""HTTP API of the secretariat app."""

from ninja import Router

router = Router(tags=["secretariat"])
