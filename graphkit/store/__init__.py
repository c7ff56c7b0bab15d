"""Triple stores behind one interface: embedded (pyoxigraph), remote endpoints, the on-disk index, the last build.

>>> from graphkit.store import EmbeddedStore, Store
>>> isinstance(EmbeddedStore(), Store)
True
"""

from graphkit.store.embedded import EmbeddedStore, Store

__all__ = ["EmbeddedStore", "Store"]
