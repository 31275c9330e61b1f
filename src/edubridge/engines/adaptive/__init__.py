"""Adaptive learning: learner models (BKT with forgetting, a PFA-family history model),
online per-answer updates and an explained next-item policy. Pure Python + NumPy/SciPy."""
