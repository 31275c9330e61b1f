"""The one-thread BLAS block restores the thread count it found, also when nested."""

from __future__ import annotations

import numpy as np

from edubridge.engines.adaptive import blas


def _counts() -> list[int]:
    return [int(getter()) for _, getter in blas._find()]


def test_single_threaded_sets_one_thread_and_restores() -> None:
    before = _counts()
    with blas.single_threaded():
        assert all(c == 1 for c in _counts())
        with blas.single_threaded():
            assert all(c == 1 for c in _counts())
        assert all(c == 1 for c in _counts())  # the outer block still holds
        a = np.ones((50, 50))
        assert float((a @ a)[0, 0]) == 50.0
    assert _counts() == before
