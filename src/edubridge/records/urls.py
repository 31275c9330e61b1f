"""xAPI endpoints live under /xapi/ (plain Django views: the spec's headers and multipart bodies)."""

from django.urls import path

urlpatterns: list = []
