"""The social franchise: the fee a franchisee owes the franchisor, the network report each
instance exports and its consolidation, and the scaffolding of a new national
partner's country plugin from the template.
"""
