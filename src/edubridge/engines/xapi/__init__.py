"""xAPI 1.0.3 / 2.0 statement rules: validation, agent identity, output formats, signatures.

Pure Python (no Django): the learning record store in ``edubridge.records`` calls these, and
the rules are tested without a database.
"""

from edubridge.engines.xapi.errors import XapiError

__all__ = ["XapiError"]
