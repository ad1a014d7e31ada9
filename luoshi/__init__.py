"""Luoshi (落实): supervision and evaluation for local government."""
