"""The Atom feed of public bulletins (RFC 4287), built with Django's feed generator."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from edubridge.secretariat.models import Access, Bulletin

FEED_SIZE = 50


def public_bulletins_atom() -> str:
    base = str(settings.NODE["BASE_URL"]).rstrip("/")
    feed = Atom1Feed(
        title=_("%s — public bulletins") % settings.NODE["NAME"],
        link=base + reverse("secretariat:bulletins"),
        description=_("Public bulletins of the network's secretariat."),
        feed_url=base + reverse("secretariat:bulletins-atom"),
        language="en",
        feed_guid=f"urn:uuid:edubridge-bulletins-{settings.NODE['NAME']}",
    )
    for bulletin in Bulletin.objects.filter(access=Access.PUBLIC).order_by("-published_at")[
        :FEED_SIZE
    ]:
        feed.add_item(
            title=bulletin.title,
            link=base + reverse("secretariat:bulletin", args=[bulletin.pk]),
            description=bulletin.body,
            pubdate=bulletin.published_at,
            updateddate=bulletin.published_at,
            unique_id=f"urn:uuid:{bulletin.pk}",
        )
    return feed.writeString("utf-8")
