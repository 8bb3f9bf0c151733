"""Who may use the instance: logins, their passwords and sessions, and the roles' rules
of what each login may see and do. The web application asks these; it holds none of
them.
"""
