"""People and their activities: persons, members and their shares, entities and their
holders, clients and suppliers, the membership review, local offices with their
advisers and sectors, and loading a national instance into its database.
"""
