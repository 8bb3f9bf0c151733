"""The sector plugins."""
