"""SHACL validation of lodpub graphs: `validate(data, extra=None) -> Report`."""

from lodpub.validate.datagraph import Context
from lodpub.validate.report import Report, Result
from lodpub.validate.shapes import shapes_graph
from lodpub.validate.validator import validate

__all__ = ["Context", "Report", "Result", "shapes_graph", "validate"]
