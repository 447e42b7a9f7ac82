"""Plotly figures built from evsupply's frames (no file or network access)."""
