"""The French country plugin."""
