"""The web of the quick job: a salary paid on one invoice, through the API (the salary
the invoice buys, and the hire) and the interface's five screens (quote, invoice,
expenses, contract, net pay). The flow spans sales, spending and payroll; its salary is
the payroll service's (:mod:`partage.core.payroll.quick_job`)."""
