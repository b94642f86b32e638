"""Claim `depth_vs_width`: its claim file (claim.yaml) and analysis (claim.py)."""
