"""Country and sector plugins, and the conformance suite on the instance's country."""
