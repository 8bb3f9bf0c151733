"""Declarations of one national instance computed from its books and payroll: the
periodic VAT return and the monthly social-declaration summary. Values only: the faces
render them (CSV, JSON, tables).
"""
