"""The version of graphkit (one place; ``graphkit.__version__`` re-exports it).

>>> VERSION
'0.1.0'
"""

VERSION = "0.1.0"
