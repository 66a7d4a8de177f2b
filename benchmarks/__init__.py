"""Scripts that measure speed and scale; results are recorded in docs/benchmarks.md."""
