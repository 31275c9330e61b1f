"""Verifiable credentials: Open Badges 3.0 AchievementCredentials with eddsa-rdfc-2022 proofs.

Pure Python: JSON-LD canonicalization (RDFC-1.0 through pyld) with a local-only document
loader, Ed25519 through `cryptography`, Bitstring Status List revocation. No Django.
"""
