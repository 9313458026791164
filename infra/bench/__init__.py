"""Benchmarks that print figures (``portal bench``); nothing here asserts timings."""
