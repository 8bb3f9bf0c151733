"""The advisers' support work on the web: members' follow-up records and workshops."""
