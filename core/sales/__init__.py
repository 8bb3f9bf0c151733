"""What an entity sells: quotes, invoices and credit notes issued in its name, the
payments clients make and their structured references, and what clients still owe.
It commits no money of the entity, so it stands below the no-bankruptcy rule (risk),
which reads its receivables.
"""
