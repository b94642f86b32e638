"""expressivity: put the claims of "A Simple Introduction to Neural Networks" to the test."""
__version__ = "0.1.0"
