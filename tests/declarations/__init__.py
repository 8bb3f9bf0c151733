"""The VAT return and the social summary."""
