"""Privacy engine: pseudonymization, optimal k-anonymity / l-diversity, differential privacy,
a privacy budget ledger, export policies (deny by default) and signed export manifests.

Pure Python (no Django): plain data in, plain data and human-readable reasons out.
"""
