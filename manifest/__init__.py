"""This package holds the Teams app manifest template and its icons, shipped as package data."""
