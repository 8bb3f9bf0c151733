"""Spending: supplier credit notes and refunds."""
