"""Members' context: offices and their sectors, the membership review."""
