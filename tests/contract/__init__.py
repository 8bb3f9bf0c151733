"""The plugin contract: value types, money, dated parameters, periods, the VAT decision, hookspecs."""
