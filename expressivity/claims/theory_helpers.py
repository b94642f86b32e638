"""Seeded generators for the construction claims: same (seed, keys) -> same numbers.

The one definition lives with the construction jobs (``constructions.seeds``).
"""
from ..constructions.seeds import generator

__all__ = ["generator"]
