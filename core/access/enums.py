"""The roles a login may have, apart from the tables that store them, so that the command
line can offer them (``partage login add --role``) without loading the database layer.
"""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    """What a login may see and do (see :mod:`partage.core.access.roles`)."""

    MEMBER = "member"
    ADVISER = "adviser"
    OFFICE_MANAGER = "office_manager"
    ADMINISTRATOR = "administrator"
    ETHICS_COMMITTEE = "ethics_committee"
    FRANCHISOR = "franchisor"
