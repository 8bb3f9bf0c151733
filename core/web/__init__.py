"""The web application: JSON API under /api/v1 and the server-rendered interface, one
sub-package per bounded context (accounts, entities, sales, spending, payroll, quick
job, reports) with its handlers, bodies and read models, on the plumbing they share
(the wiring in :mod:`.app`, dependencies, the site, problems, page rendering, i18n)."""
