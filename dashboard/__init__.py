"""Balanza's Streamlit dashboard: a frame, thin pages, a query layer and pure chart functions."""
