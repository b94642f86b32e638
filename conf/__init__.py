"""Hydra configs, loaded as pkg://expressivity.conf (this file makes it an importable package)."""
