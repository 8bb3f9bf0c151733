"""The newcomers of a simulated month: members, their shares and entities, and parties.

They are admitted, opened and registered first, on the month's first days, before any
act is planned: the month's plan is drawn among everyone the database then holds.
Names and addresses come from Faker in the instance's languages (a foreign company's
from its own country's), national numbers, IBANs and VAT numbers from the country
plugin's sample data (hook ``partage_sample_data``), so that its own checks accept them.
Each Faker is seeded from the month's seed, and drawn from in the same order every time:
the same seed gives the same people.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from faker import Faker
from faker.config import AVAILABLE_LOCALES
from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.contract.samples import FOREIGN_CLIENTS, foreign_vat_number
from partage.core.demo.kinds import KIND_SHARES, KIND_WORK
from partage.core.demo.schedule import MonthSchedule
from partage.core.members import membership
from partage.core.members import service as members
from partage.core.members.models import Member, Party, PartyKind, Person

#: A street address in each language, from a surname and a house number.
STREET = {"fr": "Rue {name} {n}", "nl": "{name}straat {n}", "de": "{name}straße {n}"}


def _ascii(text: str) -> str:
    """``text`` in lower-case ASCII letters and digits, for an e-mail address."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


def _unique(used: set[str], make: Callable[[], str]) -> str:
    """A value ``make`` gives that is not yet in ``used``, added to it."""
    while (value := make()) in used:
        pass
    used.add(value)
    return value


class Newcomers:
    """The month's newcomers, admitted, opened and registered one act at a time.

    Attributes:
        month: the month's schedule (its draws, meter and actor).
        fakers: a seeded Faker for each of the instance's languages.
        foreign: the countries (two at most) of the EU business clients.
        foreign_fakers: a seeded Faker for each of those countries.
    """

    def __init__(self, month: MonthSchedule) -> None:
        self.month = month
        languages = month.coop.instance.languages
        self.fakers = {lang: self._faker(self._locale(lang)) for lang in languages}
        self.foreign = [c for c in FOREIGN_CLIENTS if c != month.country][:2]
        self.foreign_fakers = {c: self._faker(FOREIGN_CLIENTS[c][1]) for c in self.foreign}

    def _locale(self, language: str) -> str:
        """The Faker locale of a language in the instance's country, or the language's
        own (German names for German speakers in Belgium)."""
        wanted = f"{language}_{self.month.country}"
        if wanted in AVAILABLE_LOCALES:
            return wanted
        return {"fr": "fr_FR", "nl": "nl_NL", "de": "de_DE"}.get(language, "en_US")

    def _faker(self, locale: str) -> Faker:
        faker = Faker(locale)
        faker.seed_instance(f"{self.month.seed}:{self.month.first:%Y-%m}:{locale}")
        return faker

    def _used(self, name: str, column: Any) -> set[str]:
        """The values of ``column`` already taken (journalled: a resumed month draws
        among the same ones)."""
        values = self.month.recall(name, lambda s: sorted(filter(None, s.scalars(select(column)))))
        return set(values)

    def admit_members(self) -> list[int]:
        """Admit the month's newcomers; return their membership numbers."""
        month = self.month
        rng, samples = month.rng, month.samples
        taken = self._used("taken.national_ids", Person.national_id)
        languages = month.coop.instance.languages
        weights = [8, 6, *[1] * len(languages)][: len(languages)]  # first, second, others
        admitted = []
        for n in range(month.volume.members):
            language = rng.choices(languages, weights)[0]
            faker = self.fakers[language]
            first, last = faker.first_name(), faker.last_name()
            office = rng.choice(month.coop.instance.offices)
            city = office.address.rsplit(",", 1)[-1].strip()
            street = STREET.get(language, STREET["fr"]).format(
                name=last.split()[-1], n=rng.randint(1, 240)
            )
            details = membership.PersonDetails(
                first_name=first,
                last_name=last,
                national_id=_unique(taken, lambda: samples.person_number(rng)),
                iban=samples.iban(rng),
                address=f"{street}, {city}",
                email=f"{_ascii(first)}.{_ascii(last)}.{n}@example.org",
                language=language,
            )
            share_class = "A" if rng.random() < 0.9 else "B"
            shares, on = rng.choice((1, 1, 1, 2, 4)), month.day(1, 3)

            def admit(
                s: Session,
                d: membership.PersonDetails = details,
                c: str = share_class,
                n: int = shares,
                o: date = on,
            ) -> int:
                return membership.admit_member(
                    s, month.coop, d, share_class=c, shares=n, on=o, actor=month.actor
                ).number

            member = month.run("member.admit", admit)
            if member is not None:
                admitted.append(member)
        return admitted

    def open_entities(self, newcomers: list[int]) -> None:
        """Open the month's entities: one per newcomer first, then more for others."""
        month, rng = self.month, self.month.rng
        everyone = month.recall(
            "members",
            lambda s: list(s.scalars(select(Member.number).where(Member.left_on.is_(None)))),
        )
        offices = [o.code for o in month.coop.instance.offices]
        office_weights = [len(offices) - i + 1 for i in range(len(offices))]
        kinds, shares = zip(*KIND_SHARES.items(), strict=True)
        for n in range(month.volume.entities):
            holder = newcomers[n] if n < len(newcomers) else rng.choice(everyone)
            holders = [holder]
            if rng.random() < 0.05 and len(everyone) > 1:
                holders.append(rng.choice([m for m in everyone if m != holder]))
            kind = rng.choices(kinds, shares)[0]
            name = f"{rng.choice(KIND_WORK[kind][0])} {rng.randint(1, 999):03d}"
            office = rng.choices(offices, office_weights)[0]
            on = month.day(1, 3)

            def open_one(
                s: Session,
                h: list[int] = holders,
                k: str = kind,
                nm: str = name,
                o: str = office,
                d: date = on,
            ) -> str:
                return members.open_entity(
                    s,
                    month.coop,
                    holders=h,
                    name=nm,
                    kind=k,
                    office=o,
                    on=d,
                    actor=month.actor,
                ).code

            month.run("entity.open", open_one)

    def register_parties(self) -> None:
        """Register the month's clients (domestic, private, EU businesses) and suppliers."""
        month, volume = self.month, self.month.volume
        taken = self._used("taken.vat_numbers", Party.vat_number)
        home = self.fakers[month.coop.instance.languages[0]]
        for n in range(volume.clients + volume.suppliers):
            supplier = n >= volume.clients
            draw = month.rng.random()
            country, faker, vat = month.country, home, True
            if not supplier and draw < 0.15:
                vat = False
            elif not supplier and draw < 0.27 and self.foreign:
                country = month.rng.choice(self.foreign)
                faker = self.foreign_fakers[country]
            name = faker.name() if not vat else faker.company()
            number = _unique(taken, partial(self.vat_number, country)) if vat else None
            kind = PartyKind.SUPPLIER if supplier else PartyKind.CLIENT

            def register(
                s: Session,
                nm: str = name,
                k: str = kind,
                c: str = country,
                v: str | None = number,
                i: int = n,
            ) -> str:
                return members.register_party(
                    s,
                    month.coop,
                    address="1 Main Street\n1000 Town",
                    name=nm,
                    kind=k,
                    country=c,
                    vat_number=v,
                    email=f"billing.{i}@example.org",
                    actor=month.actor,
                ).code

            month.run("party.register", register)

    def vat_number(self, country: str) -> str:
        """A VAT number of a company of ``country``: the instance's or a foreign one."""
        if country == self.month.country:
            return self.month.samples.vat_number(self.month.rng)
        return foreign_vat_number(country, self.month.rng)
