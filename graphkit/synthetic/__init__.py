"""Generated graphs and worlds of any size, for tests and benchmarks."""
