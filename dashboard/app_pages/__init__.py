"""Thin pages: read widgets, call dashboard.queries, pass frames to dashboard.charts."""
