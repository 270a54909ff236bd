"""Balanza, the application: the `balanza` command line, which puts the layers together.

The layers import downwards only: `dashboard` may import `model` and `etl`, `model` may import `etl`, and `etl`
imports neither (tests/unit/test_layers.py). This package sits above all three.
"""
