"""RDF namespaces used across lodpub. Local terms are declared in ontology/lodpub.ttl."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

CRM = Namespace("http://www.cidoc-crm.org/cidoc-crm/")
CRMINF = Namespace("http://www.ics.forth.gr/isl/CRMinf/")
OA = Namespace("http://www.w3.org/ns/oa#")
AAT = Namespace("http://vocab.getty.edu/aat/")
SCHEMA = Namespace("https://schema.org/")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
# lodpub's own classes and properties, and its SKOS scheme of local types (type/{facet}/{slug}).
LP = Namespace("https://w3id.org/lodpub/ns#")
LPT = Namespace("https://w3id.org/lodpub/type/")

PREFIXES = {
    "crm": CRM,
    "crminf": CRMINF,
    "oa": OA,
    "aat": AAT,
    "lp": LP,
    "lpt": LPT,
    "prov": PROV,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "schema": SCHEMA,
    "void": VOID,
    "dcat": DCAT,
}

__all__ = [
    "AAT",
    "CRM",
    "CRMINF",
    "DCAT",
    "DCTERMS",
    "LP",
    "LPT",
    "OA",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "VOID",
    "XSD",
]
