"""SPARQL text: safe parameter binding, the query catalogue (queries/*.rq), running queries, results."""
