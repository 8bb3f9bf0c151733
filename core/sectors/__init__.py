"""Sector rules: which sector plugins are in force for an entity's act (enabled by its
office on the act's date), what they answer, and the attestations the cooperative keeps
on file for them to look at.
"""
