"""CASE 1.1 (and 1.0) CFPackage codec: plain dataclasses, schema validation, tree, export."""
