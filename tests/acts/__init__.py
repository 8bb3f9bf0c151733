"""The economic acts end to end, through the acts' kernel."""
