"""The kernel every economic act shares: the cooperative's context for one instance, the
refusals an act raises, gapless numbering and posting by role through the ledger. The
domain contexts (members, trade, payroll, risk...) build their acts on it.
"""
