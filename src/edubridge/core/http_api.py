"""The node's HTTP API (Django Ninja). Each app contributes a router from its routes.py."""

from __future__ import annotations

from ninja import NinjaAPI

import edubridge

api = NinjaAPI(
    title="EduBridge node API",
    version=edubridge.__version__,
    description=(
        "Everything a person can do on an EduBridge node, for integrators. Authenticate with an "
        "API key (`X-API-Key`) issued to an integrator, or with a signed-in session."
    ),
    urls_namespace="api",
)


def _register_routers() -> None:
    from edubridge.accounts.routes import router as accounts_router
    from edubridge.adaptive.routes import router as adaptive_router
    from edubridge.catalogue.routes import router as catalogue_router
    from edubridge.core.routes import router as core_router
    from edubridge.exchange.routes import router as exchange_router
    from edubridge.governance.routes import router as governance_router
    from edubridge.localization.routes import router as localization_router
    from edubridge.secretariat.routes import router as secretariat_router
    from edubridge.training.routes import router as training_router

    api.add_router("/", core_router)
    api.add_router("/accounts", accounts_router)
    api.add_router("/exchange", exchange_router)
    api.add_router("/catalogue", catalogue_router)
    api.add_router("/governance", governance_router)
    api.add_router("/training", training_router)
    api.add_router("/secretariat", secretariat_router)
    api.add_router("/adaptive", adaptive_router)
    api.add_router("/localization", localization_router)


_register_routers()
