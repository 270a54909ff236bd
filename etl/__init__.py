"""Balanza ETL: sources → parse/validate → load into DuckDB."""
