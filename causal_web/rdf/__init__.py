"""RDF and SPARQL: the model as named graphs, the vocabulary, SHACL, the embedded store and queries."""
