"""The kinds of entity a simulated month opens, and what each does.

They are the personas of the founding documents: a quick job, a project, a freelance,
a maker, a business and a long-term employment, each with its share of the entities,
its activity, what it sells and how its holder is paid.
"""

from __future__ import annotations

from partage.core.members.models import EntityKind

#: Share of entities of each kind (the personas of the founding documents).
KIND_SHARES = {
    EntityKind.QUICK_JOB: 25,
    EntityKind.PROJECT: 20,
    EntityKind.FREELANCE: 25,
    EntityKind.MAKER: 10,
    EntityKind.BUSINESS: 10,
    EntityKind.LONG_TERM_EMPLOYMENT: 10,
}
#: How much each kind invoices, relative to the others.
KIND_ACTIVITY = {
    EntityKind.QUICK_JOB: 0.6,
    EntityKind.PROJECT: 1.0,
    EntityKind.FREELANCE: 1.2,
    EntityKind.MAKER: 1.0,
    EntityKind.BUSINESS: 1.6,
    EntityKind.LONG_TERM_EMPLOYMENT: 1.0,
}
#: What each kind sells: (activity names, unit, quantity range, unit price range in euros,
#: supply).
KIND_WORK: dict[str, tuple[tuple[str, ...], str, tuple[int, int], tuple[int, int], str]] = {
    EntityKind.QUICK_JOB: (
        ("Event staff", "Moving help", "Catering shift", "Photo shoot", "Translation"),
        "day",
        (1, 3),
        (120, 300),
        "services",
    ),
    EntityKind.PROJECT: (
        ("Festival", "Documentary", "Exhibition", "Theatre tour", "Research study"),
        "stage",
        (1, 2),
        (400, 2500),
        "services",
    ),
    EntityKind.FREELANCE: (
        ("Graphic design", "Web development", "Consulting", "Copywriting", "Training"),
        "hour",
        (4, 24),
        (40, 85),
        "services",
    ),
    EntityKind.MAKER: (
        ("Ceramics", "Furniture", "Jewellery", "Bike repair", "Letterpress"),
        "piece",
        (1, 8),
        (20, 250),
        "goods",
    ),
    EntityKind.BUSINESS: (
        ("Studio", "Workshop", "Agency", "Bakery", "Atelier"),
        "delivery",
        (1, 3),
        (300, 1800),
        "services",
    ),
    EntityKind.LONG_TERM_EMPLOYMENT: (
        ("Coaching", "Bookkeeping", "Teaching", "Care work", "IT support"),
        "month",
        (1, 1),
        (1500, 3500),
        "services",
    ),
}
#: Kinds whose holder is hired on a monthly contract; the others are paid by the hour.
MONTHLY_KINDS = frozenset({EntityKind.BUSINESS, EntityKind.LONG_TERM_EMPLOYMENT})
