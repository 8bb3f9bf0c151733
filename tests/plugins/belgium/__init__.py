"""The Belgian country plugin."""
