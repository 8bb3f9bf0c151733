"""Artists in Belgium: the trade the cooperative was founded for.

Registered under ``partage.sectors`` as ``artists_be``.

- Copyright: an artist's cession of rights is the engine's copyright-cession act, taxed
  by the Belgian country plugin's regime (:mod:`partage.plugins.belgium.copyright`:
  flat-rate costs by yearly bracket, then 15 % withheld). This sector adds no tax rule
  of its own, so that one regime serves every trade.
- Social security: an artist hired under art. 1bis of the law of 27 June 1969 (worker
  category ``artist``: artistic work paid without subordination) is covered as an
  employee only with the certificate the law in force asks for
  (``data/parameters/social_security/art1bis_certificate.toml``): none from 2003, a
  visa artistes valid on the day from 2014, an attestation du travail des arts held now
  or in the past from 2024. The certificate is put on file for the member as an
  ``artist_work_certificate`` attestation, and hiring is refused without it.

Applications from artists are admitted directly, without the ethics committee; the
review's questions still record the artistic activity.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from partage.core.contract import (
    N_,
    ActContext,
    ActKind,
    AttestationKind,
    Parameters,
    Refusal,
    ReviewQuestion,
    hookimpl,
)

#: The sector's name on pages (its plugin name ``artists_be`` is its code).
SECTOR_NAME = N_("Artists (Belgium)")

#: The country whose law the rules follow: the art. 1bis certificate is Belgian law, so
#: only an office of a Belgian instance may enable this sector.
SECTOR_COUNTRY = "be"

PARTAGE_HOOK_API = "2.0"
SECTOR = "artists_be"
PARAMETERS = Parameters(Path(__file__).parent / "data" / "parameters")

CERTIFICATE = AttestationKind(
    "artist_work_certificate",
    N_("Artistic work attestation (before 2024: artist visa)"),
    "member",
)
ART_1BIS_CATEGORY = "artist"
QUESTIONS = (
    ReviewQuestion("discipline", N_("Which artistic discipline do you work in?")),
    ReviewQuestion(
        "works", N_("Which works or performances do you plan for the coming year, and for whom?")
    ),
    ReviewQuestion(
        "certificate",
        N_(
            "Do you hold, or have you held, an attestation du travail des arts (or a visa "
            "artistes)? Give its number and dates."
        ),
    ),
    ReviewQuestion(
        "copyright", N_("Will part of your income be copyright on works you create? Which works?")
    ),
)


def certificate_refusal(act: ActContext) -> Refusal | None:
    """Why the act's member may not be hired under art. 1bis on the act's date, or
    ``None`` when they may."""
    rule = PARAMETERS.since("social_security.art1bis_certificate", act.on)
    if rule is None or rule.value == "none":
        return None
    held = [
        a
        for a in act.attestations
        if a.kind == CERTIFICATE.code and a.holder == f"member:{act.member}"
    ]
    if rule.value == "valid" and not any(a.covers(act.on) for a in held):
        return Refusal.of(
            SECTOR,
            N_("art. 1bis: member {member} holds no artist's certificate valid on {on} ({source})"),
            member=act.member,
            on=act.on,
            source=rule.reference.split(":")[0],
        )
    if rule.value == "held" and not any(a.valid_from <= act.on for a in held):
        return Refusal.of(
            SECTOR,
            N_(
                "art. 1bis: member {member} holds and never held an attestation du travail "
                "des arts on {on} (loi du 16 décembre 2022)"
            ),
            member=act.member,
            on=act.on,
        )
    return None


@hookimpl
def partage_validate_act(act: ActContext) -> Refusal | None:
    if act.kind != ActKind.CONTRACT or act.detail("worker_category") != ART_1BIS_CATEGORY:
        return None
    return certificate_refusal(act)


@hookimpl
def partage_attestation_kinds() -> Sequence[AttestationKind]:
    return [CERTIFICATE]


@hookimpl
def partage_review_required() -> bool:
    return False


@hookimpl
def partage_review_questions() -> Sequence[ReviewQuestion]:
    return QUESTIONS
