"""keylint: finds credential anti-patterns in Python code bases."""

__version__ = "0.1.0"
