"""Hamseda: the working platform of a coordination council of PR offices."""

__version__ = "0.1.0"
