"""The demo: a month of a national instance's activity lived through the same acts as
real work, and ``partage demo``'s job around it (set up, simulate, report).
"""

#: Members of the first simulated month (``partage demo --members``); here rather than
#: in :mod:`.run`, so that the command line shows it without loading the demo.
DEFAULT_MEMBERS = 300
