"""Adaptive Card templates and the plain data they render, shared by dialogs and notifications."""
