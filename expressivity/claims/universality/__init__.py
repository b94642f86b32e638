"""Claim `universality`: its claim file (claim.yaml) and analysis (claim.py)."""
