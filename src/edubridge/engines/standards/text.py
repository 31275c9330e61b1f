"""Multilingual lexical analysis for matching: Chinese n-grams, Arabic normalization, light
stemming and stopwords for English and Indonesian. Small and dependency-free on purpose."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


def words(text: str) -> list[str]:
    """Whitespace-separated words of a literal (keeps long word lists readable)."""
    return text.split()


_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[^\W\d_]+|\d+(?:\.\d+)?", re.UNICODE)
_IS_CJK = re.compile(rf"^[{_CJK}]+$")
_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_MAP = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}
)
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        words(
            "a an and are as at be by can do does for from has have he her his how i in is it its "
            "of on or she that the their them then there these they this to was were what when "
            "which who will with you your each all any many much more than one per"
        )
    ),
    "id": frozenset(
        words(
            "yang dan di ke dari untuk dengan pada adalah ini itu atau juga dalam akan oleh se "
            "sebuah para ada tidak bisa dapat berapa apa siapa bagaimana tersebut jika maka "
            "setiap semua nya"
        )
    ),
    "ar": frozenset(words("في من على الى إلى عن مع هو هي هذا هذه ذلك تلك ما ماذا كم كان و او ثم")),
}
_EN_SUFFIXES = (
    ("ications", ""),
    ("ication", ""),
    ("ations", ""),
    ("ation", ""),
    ("itions", ""),
    ("ition", ""),
    ("isions", "id"),
    ("ision", "id"),
    ("ctions", "ct"),
    ("ction", "ct"),
    ("ments", ""),
    ("ment", ""),
    ("ness", ""),
    ("ings", ""),
    ("ing", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ers", ""),
    ("er", ""),
    ("ed", ""),
    ("es", ""),
    ("ly", ""),
    ("s", ""),
)
_ID_SUFFIXES = ("nya", "lah", "kah", "kan", "an")
_ID_PREFIXES = (
    "meng",
    "meny",
    "mem",
    "men",
    "me",
    "peng",
    "peny",
    "pem",
    "pen",
    "per",
    "pe",
    "ber",
    "be",
    "ter",
    "di",
    "ke",
    "se",
)


@dataclass(frozen=True)
class Term:
    """An index term and the surface text it came from (shown as the matched word)."""

    key: str
    surface: str


def base_language(tag: str | None) -> str:
    """``"zh-CN"`` -> ``"zh"``; unknown or empty -> ``""``."""
    return (tag or "").split("-")[0].lower()


def normalize_arabic(text: str) -> str:
    """Remove diacritics and tatweel, unify alef/yeh/teh marbuta forms and digits."""
    return _ARABIC_DIACRITICS.sub("", text).translate(_ARABIC_MAP).translate(_ARABIC_DIGITS)


def stem_en(word: str) -> str:
    """A light English suffix stripper (``multiplying``, ``multiplication`` -> ``multipl``)."""
    for suffix, replacement in _EN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ply"):
            word = word[: -len(suffix)] + replacement
            break
    if len(word) > 4 and word[-1] in "eyi":
        word = word[:-1]
    return word


def stem_id(word: str) -> str:
    """A light Indonesian affix stripper (``perkalian`` -> ``kali``)."""
    for suffix in _ID_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    for prefix in _ID_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 4:
            return word[len(prefix) :]
    return word


def terms(text: str, language: str | None = None) -> list[Term]:
    """Index terms of ``text``: CJK character bigrams (unigrams for single characters), and
    lower-cased, stopword-filtered, lightly stemmed words for other scripts."""
    lang = base_language(language)
    text = unicodedata.normalize("NFKC", text)
    if lang == "ar" or re.search("[\u0600-\u06ff]", text):
        text = normalize_arabic(text)
    out: list[Term] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if _IS_CJK.match(token):
            if len(token) == 1:
                out.append(Term(token, token))
            out.extend(Term(token[i : i + 2], token[i : i + 2]) for i in range(len(token) - 1))
            continue
        word = token.casefold()
        if word[0].isdigit():
            continue  # numbers in word problems vary; they say nothing about the standard
        if word in STOPWORDS.get(lang, frozenset()) or (
            word in STOPWORDS["en"] and lang in ("", "en")
        ):
            continue
        if lang == "ar":
            word = word[2:] if word.startswith("ال") and len(word) > 4 else word
        elif lang == "id":
            word = stem_id(word)
        elif lang in ("en", ""):
            word = stem_en(word)
        if len(word) >= 2:
            out.append(Term(word, token))
    return out
