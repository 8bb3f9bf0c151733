"""The administrators' workspace: the books, the declarations, the offices and their
sectors, next to the instance's figures, the guarantee fund, the logins and the audit
log that other contexts show."""
