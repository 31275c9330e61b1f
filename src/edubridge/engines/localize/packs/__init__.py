"""Locale packs (versioned YAML data files) and the concept lexicon."""
