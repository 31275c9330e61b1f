from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _fresh_model_cache() -> Iterator[None]:
    """Each test sees the fitted models of its own transaction, not a rolled-back one."""
    from edubridge.adaptive.services import forget_fitted

    forget_fitted()
    yield
    forget_fitted()
