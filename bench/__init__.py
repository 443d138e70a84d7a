"""Benchmarks (``python -m bench.fanout``); figures in ``bench/README.md``. Never timed tests."""
