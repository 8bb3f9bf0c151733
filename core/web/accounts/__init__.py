"""The web of logins and personal accounts: logging in and out, who is logged in, the
member account and the worker account, creating logins, and the demo instance's logins,
over the access services (:mod:`partage.core.access`)."""
