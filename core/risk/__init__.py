"""Risk mutualisation: the no-bankruptcy rule (what an entity may commit) and the salary
guarantee fund that covers clients' unpaid invoices and absorbs defaults.
"""
