"""The web of entities and the parties they deal with: listing and opening entities, an
entity's dashboard and page (its funds, its books in plain words, its latest sales and
purchases, the supplier e-invoice upload), and the clients and suppliers the instance's
entities share, over the members services (:mod:`partage.core.members`)."""
