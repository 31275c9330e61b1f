"""One error type: the JSON path of the failing property and why it fails."""

from __future__ import annotations


class XapiError(ValueError):
    """A statement or request breaks an xAPI rule; ``path`` names the property (``$.actor.mbox``)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
