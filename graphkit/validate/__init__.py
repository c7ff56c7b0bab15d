"""SHACL validation: the shapes reader, the SPARQL engine, pySHACL as reference, the report."""
