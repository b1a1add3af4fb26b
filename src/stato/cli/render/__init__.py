"""Renderers for people (rich) and for pipes (plain text), one module per area."""
