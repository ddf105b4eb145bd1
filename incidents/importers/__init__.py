"""Importers of outside data files into incidents (one module per source)."""
