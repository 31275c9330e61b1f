"""Run the engine's matrix work on one BLAS thread.

NumPy's bundled OpenBLAS starts one thread per core for every large enough call. On a shared
two-core machine those threads wait for each other: a batch of 100 solves of 200 x 200 systems
took 4.5 s of wall clock threaded and 0.1 s on one thread (measured while other jobs ran, ADR
0011). The fits are a sequence of mid-sized calls, so one thread is also the fastest on an idle
machine. :func:`single_threaded` sets the thread count of every OpenBLAS that NumPy and SciPy
loaded to 1 for the duration of a block and restores it afterwards (what ``threadpoolctl`` does,
without the dependency). If no OpenBLAS is found, it does nothing.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

_SETTERS = (
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)
_GETTERS = (
    "scipy_openblas_get_num_threads64_",
    "scipy_openblas_get_num_threads",
    "openblas_get_num_threads64_",
    "openblas_get_num_threads",
)

_lock = threading.Lock()
_depth = 0
_saved: list[tuple[ctypes._CFuncPtr, int]] = []  # type: ignore[name-defined]
_libraries: list[tuple[ctypes._CFuncPtr, ctypes._CFuncPtr]] | None = None  # type: ignore[name-defined]


def _find() -> list[tuple[ctypes._CFuncPtr, ctypes._CFuncPtr]]:  # type: ignore[name-defined]
    """(set, get) function pairs of the OpenBLAS copies bundled with NumPy and SciPy."""
    found = []
    site = Path(np.__file__).resolve().parent.parent
    for folder in ("numpy.libs", "scipy.libs"):
        for path in sorted((site / folder).glob("*openblas*.so*")):
            try:
                lib = ctypes.CDLL(str(path))
            except OSError:
                continue
            setter = next((getattr(lib, n) for n in _SETTERS if hasattr(lib, n)), None)
            getter = next((getattr(lib, n) for n in _GETTERS if hasattr(lib, n)), None)
            if setter is not None and getter is not None:
                setter.argtypes = [ctypes.c_int]
                setter.restype = None
                getter.argtypes = []
                getter.restype = ctypes.c_int
                found.append((setter, getter))
    return found


@contextmanager
def single_threaded() -> Iterator[None]:
    """Within the block, BLAS calls use one thread (re-entrant; restores on exit)."""
    global _depth, _libraries
    with _lock:
        if _libraries is None:
            _libraries = _find()
        if _depth == 0:
            _saved.clear()
            for setter, getter in _libraries:
                _saved.append((setter, int(getter())))
                setter(1)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                for setter, count in _saved:
                    setter(count)
