"""The social franchise: fee, network contract and report, the country template."""
