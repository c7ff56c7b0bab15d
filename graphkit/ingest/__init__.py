"""World dataset ingest (filled in below)."""
