"""Recognizers that turn a `Record` into `Mention`s of names, dates, events and counts."""

from lodpub.extract.mention import CountValue, DateValue, EventValue, Mention
from lodpub.extract.pipeline import extract

__all__ = ["CountValue", "DateValue", "EventValue", "Mention", "extract"]
