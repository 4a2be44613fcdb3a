"""Recognizers that turn a `Record` into `Mention`s of names, dates, events, counts and roles."""

from lodpub.extract.mention import CountValue, DateValue, EventValue, Mention, RoleValue
from lodpub.extract.pipeline import extract

__all__ = ["CountValue", "DateValue", "EventValue", "Mention", "RoleValue", "extract"]
