"""Reusable widgets of the rehearsal studio."""
