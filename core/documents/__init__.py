"""Documents the cooperative issues and exchanges: PDF invoices and credit notes, the
structured e-invoices of each country, incoming supplier e-invoices, and employment
declarations. Every format is built from the neutral model of :mod:`.model`."""
