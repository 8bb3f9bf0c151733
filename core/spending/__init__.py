"""What an entity commits money to besides salaries: purchases and supplier credit notes,
their payment and refunds, expense claims, invoices between entities, other income and
copyright cessions. Each commitment passes the no-bankruptcy rule (risk) first.
"""
