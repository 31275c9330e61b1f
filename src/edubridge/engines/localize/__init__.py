"""Deep localization engine: adapt items to another country's curriculum, culture and customs.

Plain data in (JSON items, locale packs, crosswalks), plain data out (localized items and change
records with reasons). No Django. See docs/adr/0013-localization-engine.md.
"""

from .adapt import Localizer, Options, localize_items
from .model import Change, ItemResult, LocalizeResult
from .pack import LocalePack, PackError, available_locales, load_pack

__all__ = [
    "Change",
    "ItemResult",
    "LocalePack",
    "LocalizeResult",
    "Localizer",
    "Options",
    "PackError",
    "available_locales",
    "load_pack",
    "localize_items",
]
