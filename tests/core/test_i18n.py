"""The shell speaks English, Simplified Chinese, Indonesian and Arabic; Arabic reads right to left."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def page_in(language: str) -> str:
    client = Client()
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    return client.get("/").content.decode()


def test_arabic_pages_are_right_to_left_and_translated() -> None:
    page = page_in("ar")
    assert '<html lang="ar" dir="rtl">' in page
    assert "مرحبًا بك في EduBridge" in page


@pytest.mark.parametrize(
    ("language", "greeting"),
    [
        ("zh-hans", "欢迎使用 EduBridge"),
        ("id", "Selamat datang di EduBridge"),
        ("en", "Welcome to EduBridge"),
    ],
)
def test_left_to_right_languages(language: str, greeting: str) -> None:
    page = page_in(language)
    assert f'<html lang="{language}" dir="ltr">' in page
    assert greeting in page


def test_browser_language_is_honoured() -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="id-ID,id;q=0.9").get("/").content.decode()
    assert "Selamat datang" in page
