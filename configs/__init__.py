"""Configuration layers shipped with Partage (read as files, never imported as code)."""
