"""Transmission of issued invoices over the networks the law names (Peppol, French
approved platforms) or by email, and reception of supplier documents through the same
networks: the interface and its adapters (:mod:`.channels`), the routing rule
(:mod:`.routing`), the service (:mod:`.service`) and its jobs (:mod:`.jobs`)."""
