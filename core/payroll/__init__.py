"""Employment: hiring a member under a contract, payslips computed by the country and
posted within the entity's funds, the budget simulation, and the employment
declarations (hire and periodic) the State requires.
"""
