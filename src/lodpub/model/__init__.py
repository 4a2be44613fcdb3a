"""The CIDOC-CRM mapping: Resolutions to named graphs, the authority file to its graph."""

from .authority import authority_graph
from .build import build
from .context import ModelError
from .vocabulary import vocabulary_graph

__all__ = ["ModelError", "authority_graph", "build", "vocabulary_graph"]
