"""Seeded generators for the construction claims: same (seed, keys) -> same numbers.

The one definition lives with the construction jobs (``constructions.seeds``).
"""
from expressivity.constructions.seeds import generator

__all__ = ["generator"]
