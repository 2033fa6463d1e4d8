"""Benchmarks (issue 8): synthetic data, list pages against three baselines, ranking, export,
concurrent reviewers; `make bench` writes BENCHMARKS.md. Importable without Django."""
