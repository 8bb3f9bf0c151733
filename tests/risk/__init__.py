"""The no-bankruptcy rule and the salary guarantee fund."""
