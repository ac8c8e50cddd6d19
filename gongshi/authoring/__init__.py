"""Helping editors write content: ``gongshi new`` starts a correctly shaped file."""
