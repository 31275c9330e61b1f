"""QTI 3.0 codecs: single ``qti-assessment-item`` XML and IMS content packages."""
