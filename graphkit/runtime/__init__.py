"""Speed machinery for the CLI only: forked workers, GC freezing, parking big objects and a fast exit, progress."""
