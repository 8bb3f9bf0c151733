"""The platform: configuration, database, plugin registry, upgrade check, packaging, the architecture's rules."""
