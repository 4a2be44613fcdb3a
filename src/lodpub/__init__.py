"""lodpub: publish archival documents as a traceable CIDOC-CRM knowledge graph."""

__version__ = "0.1.0"
