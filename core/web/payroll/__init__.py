"""The web of employment: an entity's contracts and payslips, hiring and paying, and
what an amount invoiced buys in pay (the budget simulation), over the payroll services
(:mod:`partage.core.payroll`)."""
