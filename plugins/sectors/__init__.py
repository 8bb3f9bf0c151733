"""Sector plugins: a trade's rules, enabled per local office (entry point group
``partage.sectors``)."""
