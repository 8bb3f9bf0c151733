"""Email: an outbox in the instance's database, delivered by the job queue.

A message is written to the outbox (:mod:`.outbox`) in the same transaction as the act
that sends it, so a rolled-back act sends nothing and a committed one never loses its
message. Jobs of the queue (:mod:`.jobs`, huey) deliver what is due through the
configured backend (:mod:`.sending`: SMTP, a folder of files, or the console); each
attempt is recorded, and a failed one is tried again later, after a growing delay.
"""
