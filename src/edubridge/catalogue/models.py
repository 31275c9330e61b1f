"""Item banks, items, curriculum frameworks (CASE), alignments and the search index."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from edubridge.accounts.models import Organization
from edubridge.core.data_classes import DataClass, classified

PUBLIC = DataClass.PUBLIC
INTERNAL = DataClass.INTERNAL
PERSONAL = DataClass.PERSONAL


class BankStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Bank(models.Model):
    """A resource: an item bank with its catalogue metadata, licence and data class."""

    slug = classified(
        models.SlugField(_("identifier"), max_length=120, unique=True),
        PUBLIC,
        "stable identifier of the bank in exports and URLs",
    )
    title = classified(models.CharField(_("title"), max_length=300), PUBLIC, "catalogue entry")
    description = classified(
        models.TextField(_("description"), blank=True), PUBLIC, "catalogue entry"
    )
    language = classified(
        models.CharField(_("language"), max_length=35), PUBLIC, "catalogue filter (BCP 47)"
    )
    subject = classified(
        models.CharField(_("subject"), max_length=100, blank=True), PUBLIC, "catalogue filter"
    )
    grade_min = classified(
        models.PositiveSmallIntegerField(_("lowest grade"), null=True, blank=True),
        PUBLIC,
        "grade band shown in the catalogue",
    )
    grade_max = classified(
        models.PositiveSmallIntegerField(_("highest grade"), null=True, blank=True),
        PUBLIC,
        "grade band shown in the catalogue",
    )
    licence = classified(
        models.CharField(_("licence (SPDX)"), max_length=100, default="CC-BY-4.0"),
        PUBLIC,
        "what partners may do with the resource",
    )
    data_class = classified(
        models.CharField(
            _("data class"),
            max_length=20,
            choices=[(c.value, c.value) for c in DataClass],
            default=DataClass.PUBLIC.value,
        ),
        PUBLIC,
        "how widely the resource may be shared and exported",
    )
    author_organization = classified(
        models.ForeignKey(
            Organization,
            on_delete=models.PROTECT,
            null=True,
            blank=True,
            related_name="catalogue_banks",
        ),
        PUBLIC,
        "publisher credited in the catalogue",
    )
    status = classified(
        models.CharField(max_length=10, choices=BankStatus.choices, default=BankStatus.DRAFT),
        PUBLIC,
        "only published banks are listed for partners",
    )
    version = classified(
        models.PositiveIntegerField(_("version"), default=0),
        PUBLIC,
        "published version number, increased on each publication",
    )
    derived_from = classified(
        models.ForeignKey(
            "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="derivatives"
        ),
        PUBLIC,
        "provenance: the bank this one was derived from",
    )
    sections = classified(
        models.JSONField(_("sections"), default=list, blank=True),
        PUBLIC,
        "course outline ([{title, item_ids}]) for Common Cartridge export",
    )
    created_by = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL,
            on_delete=models.SET_NULL,
            null=True,
            blank=True,
            related_name="+",
        ),
        PERSONAL,
        "who imported the bank (accountability)",
    )
    created_at = classified(
        models.DateTimeField(auto_now_add=True), INTERNAL, "when the bank was imported"
    )
    published_at = classified(
        models.DateTimeField(null=True, blank=True),
        PUBLIC,
        "when the current version was published",
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Item(models.Model):
    """One assessment item: the validated edubridge-item/1 JSON plus columns for filters."""

    bank = classified(
        models.ForeignKey(Bank, on_delete=models.CASCADE, related_name="items"),
        PUBLIC,
        "the bank holding the item",
    )
    identifier = classified(
        models.CharField(_("item id"), max_length=200), PUBLIC, "the item's id in its bank"
    )
    position = classified(models.PositiveIntegerField(default=0), PUBLIC, "order in the bank")
    data = classified(
        models.JSONField(), PUBLIC, "the canonical edubridge-item/1 JSON (stem, answer, ...)"
    )
    title = classified(models.CharField(max_length=300, blank=True), PUBLIC, "shown in lists")
    language = classified(models.CharField(max_length=35), PUBLIC, "search filter")
    grade_min = classified(
        models.PositiveSmallIntegerField(null=True, blank=True), PUBLIC, "search filter"
    )
    grade_max = classified(
        models.PositiveSmallIntegerField(null=True, blank=True), PUBLIC, "search filter"
    )
    subject = classified(models.CharField(max_length=100, blank=True), PUBLIC, "search filter")
    interaction_type = classified(models.CharField(max_length=30), PUBLIC, "search filter")
    licence = classified(models.CharField(max_length=100, blank=True), PUBLIC, "search filter")
    version = classified(models.PositiveIntegerField(default=1), PUBLIC, "edit counter")

    class Meta:
        ordering = ["bank", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "identifier"], name="catalogue_item_unique_id")
        ]
        indexes = [models.Index(fields=["language", "subject"])]

    def __str__(self) -> str:
        return self.identifier


class Framework(models.Model):
    """A curriculum framework (CASE CFDocument); ``package`` keeps the imported JSON."""

    identifier = classified(
        models.CharField(max_length=200, unique=True), PUBLIC, "CASE CFDocument identifier"
    )
    uri = classified(models.CharField(max_length=500), PUBLIC, "CASE CFDocument URI")
    title = classified(models.CharField(max_length=300), PUBLIC, "framework name")
    creator = classified(models.CharField(max_length=300), PUBLIC, "framework author")
    language = classified(models.CharField(max_length=35, blank=True), PUBLIC, "framework language")
    subject = classified(models.CharField(max_length=200, blank=True), PUBLIC, "framework subject")
    version = classified(models.CharField(max_length=100, blank=True), PUBLIC, "CASE version field")
    source_version = classified(
        models.CharField(max_length=10, default="1.1"), PUBLIC, "CASE version of the imported file"
    )
    package = classified(models.JSONField(), PUBLIC, "the CASE package, for lossless export")
    imported_by = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL,
            on_delete=models.SET_NULL,
            null=True,
            blank=True,
            related_name="+",
        ),
        PERSONAL,
        "who imported the framework (accountability)",
    )
    imported_at = classified(models.DateTimeField(auto_now=True), INTERNAL, "last import")

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class FrameworkItem(models.Model):
    """A CASE CFItem placed in its framework's tree."""

    framework = classified(
        models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="items"),
        PUBLIC,
        "the framework holding the statement",
    )
    identifier = classified(
        models.CharField(max_length=200, unique=True), PUBLIC, "CASE CFItem identifier"
    )
    code = classified(models.CharField(max_length=100, blank=True), PUBLIC, "human coding scheme")
    statement = classified(models.TextField(), PUBLIC, "the standard's full statement")
    item_type = classified(models.CharField(max_length=100, blank=True), PUBLIC, "CFItemType")
    parent = classified(
        models.ForeignKey(
            "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
        ),
        PUBLIC,
        "the tree (isChildOf)",
    )
    level = classified(models.PositiveSmallIntegerField(default=1), PUBLIC, "depth in the tree")
    position = classified(models.PositiveIntegerField(default=0), PUBLIC, "order in the tree")

    class Meta:
        ordering = ["framework", "position"]

    def __str__(self) -> str:
        return self.code or self.statement[:60]


class Association(models.Model):
    """A CASE CFAssociation other than isChildOf; the far end may be in another framework."""

    framework = classified(
        models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="associations"),
        PUBLIC,
        "the package the association came in",
    )
    identifier = classified(models.CharField(max_length=200), PUBLIC, "CASE identifier")
    association_type = classified(models.CharField(max_length=60), PUBLIC, "crosswalk type")
    origin_identifier = classified(models.CharField(max_length=200), PUBLIC, "origin CFItem")
    origin_title = classified(models.CharField(max_length=300, blank=True), PUBLIC, "origin label")
    destination_identifier = classified(
        models.CharField(max_length=200), PUBLIC, "destination CFItem"
    )
    destination_title = classified(
        models.CharField(max_length=300, blank=True), PUBLIC, "destination label"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "identifier"], name="catalogue_association_unique"
            )
        ]
        indexes = [
            models.Index(fields=["origin_identifier"]),
            models.Index(fields=["destination_identifier"]),
        ]

    def __str__(self) -> str:
        return f"{self.origin_title} {self.association_type} {self.destination_title}"


class AlignmentSource(models.TextChoices):
    HAND = "hand", _("Aligned by hand")
    SUGGESTED = "suggested", _("Suggestion accepted")


class Alignment(models.Model):
    """An item aligned to a standard, or a suggestion the publisher rejected."""

    item = classified(
        models.ForeignKey(Item, on_delete=models.CASCADE, related_name="alignments"),
        PUBLIC,
        "the aligned item",
    )
    framework_item = classified(
        models.ForeignKey(FrameworkItem, on_delete=models.CASCADE, related_name="alignments"),
        PUBLIC,
        "the standard",
    )
    source = classified(
        models.CharField(max_length=10, choices=AlignmentSource.choices),
        PUBLIC,
        "how the alignment was made",
    )
    rejected = classified(
        models.BooleanField(default=False),
        INTERNAL,
        "a rejected suggestion, kept so it is not suggested again",
    )
    score = classified(models.FloatField(null=True, blank=True), PUBLIC, "suggester score")
    matched = classified(
        models.JSONField(default=list, blank=True), PUBLIC, "words the suggester matched"
    )
    created_at = classified(models.DateTimeField(auto_now_add=True), INTERNAL, "when decided")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item", "framework_item"], name="catalogue_alignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id} -> {self.framework_item_id}"


class SearchEntry(models.Model):
    """The normalized search text of an item (space-separated terms, see search.py).

    SQLite also indexes it in the FTS5 table ``catalogue_search_fts``; PostgreSQL indexes it
    with a GIN index on a generated ``tsv`` column (``array_to_tsvector`` of the terms, added by
    migration 0002 on PostgreSQL only). Both are maintained by the service layer."""

    item = classified(
        models.OneToOneField(
            Item, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
        ),
        PUBLIC,
        "the indexed item",
    )
    terms = classified(models.TextField(), PUBLIC, "normalized index terms of the item")

    def __str__(self) -> str:
        return self.terms[:60]


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Refused: nothing was imported")


class ImportJob(models.Model):
    """A large upload imported in the background; the page shows its status."""

    filename = classified(models.CharField(max_length=300), INTERNAL, "the uploaded file's name")
    path = classified(
        models.CharField(max_length=500), INTERNAL, "where the upload waits in the data directory"
    )
    options = classified(
        models.JSONField(default=dict), INTERNAL, "title, identifier, licence, data class chosen"
    )
    status = classified(
        models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED),
        INTERNAL,
        "progress shown to the publisher",
    )
    error = classified(models.TextField(blank=True), INTERNAL, "why the file was refused")
    report = classified(
        models.JSONField(default=dict), INTERNAL, "imported count, skipped items, notes"
    )
    bank = classified(
        models.ForeignKey(Bank, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"),
        INTERNAL,
        "the bank created",
    )
    created_by = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL,
            on_delete=models.SET_NULL,
            null=True,
            blank=True,
            related_name="+",
        ),
        PERSONAL,
        "who uploaded (only they and other publishers see the job)",
    )
    created_at = classified(models.DateTimeField(auto_now_add=True), INTERNAL, "upload time")

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"
