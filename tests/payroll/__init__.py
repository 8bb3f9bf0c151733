"""Payroll: the quick job's salary, employment declarations."""
