"""Texts as sources: sentences, character offsets and short quotes (the evidence the graph cites)."""
