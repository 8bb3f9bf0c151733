"""The demo: a month of a national instance's activity lived through the same acts as
real work, and ``partage demo``'s job around it (set up, simulate, report).
"""
