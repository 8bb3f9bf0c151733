"""The web of spending: an entity's expense claims and the supplier invoices and credit
notes booked for it, supplier e-invoices imported among them, over the spending services
(:mod:`partage.core.spending`) and the import of supplier documents
(:mod:`partage.core.documents.importing`)."""
