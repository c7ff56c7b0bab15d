"""The local SPARQL endpoint: HTTP, workers, query guard, routes, static pages, reconciliation."""
