"""The web of the wider views: an office as its advisers see it, the instance's
consolidated figures for its administrators, and the network report the franchisor
receives (:mod:`partage.core.franchise.report`). Read only: nothing here writes."""
