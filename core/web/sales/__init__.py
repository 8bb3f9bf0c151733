"""The web of sales: an entity's quotes, invoices and credit notes, their PDF and
e-invoice files, and the payments its clients make, over the sales services
(:mod:`partage.core.sales`) and the documents they file (:mod:`partage.core.documents`)."""
