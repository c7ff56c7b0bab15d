"""The one read model of the graph (places and relations) and the tables exported from it."""
