"""Reusable widgets: the lazy table (model, view, row cache, cell texts)."""
