"""RDF basics: namespaces (IRIs that refuse misspelt terms), term conversion, RDF formats and atomic files."""
