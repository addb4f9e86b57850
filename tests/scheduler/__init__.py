"""Sweeps, presence questions and the daily digest, driven at injected times."""
