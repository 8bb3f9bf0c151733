"""What an entity sells and spends: quotes, invoices and credit notes, payments
received, purchases, expense claims, supplier credit notes and refunds.
"""
