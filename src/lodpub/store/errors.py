"""Errors of the store layer."""


class StoreError(Exception):
    """A store that cannot be opened or written, named by its URL."""
