"""Standards codecs: the EduBridge JSON item format, QTI 3, CASE 1.1, Common Cartridge, LRMI.

Pure Python (no Django): plain data in, plain data and human-readable errors out. Every refusal
is a :class:`~edubridge.engines.standards.errors.StandardsError` whose ``problems`` name the
file, the line or JSON path, and what is wrong. Entry points:

- ``items``: ``item_schema``, ``item_problems``, ``validate_item``, ``validate_bank``,
  ``normalize_item`` (the ``edubridge-item/1`` format, docs/formats/item.md);
- ``expression``: ``evaluate`` (safe template answers);
- ``qti.writer.write_item_xml`` / ``qti.reader.read_item_xml`` (one QTI 3 item);
- ``qti.package.write_package`` / ``read_package`` (QTI 3 content packages), configured by
  ``qti.manifest.StandardsConfig`` (where the official XSDs live);
- ``case.codec.parse_package`` / ``export_package``, ``case.tree.build_tree`` (CASE 1.1/1.0);
- ``cartridge.write_thin_cartridge`` (Common Cartridge 1.3 thin), ``lrmi.item_lrmi`` /
  ``bank_lrmi`` (schema.org JSON-LD);
- ``align.AlignmentIndex`` / ``suggest_alignments`` (ranked standards with matched words).
"""
