"""Sector rules on economic acts."""
