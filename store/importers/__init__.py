"""Importers and the exporter for the six organisation files, from staff to recommendations."""
