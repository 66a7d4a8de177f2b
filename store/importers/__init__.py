"""Importers for the four organisation files: staff, actions, audits and events."""
