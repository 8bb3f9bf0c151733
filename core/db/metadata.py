"""The complete metadata: imports every model module so that their tables register.

Alembic's ``env.py`` and the schema tests read :data:`metadata` from here.
"""

from __future__ import annotations

from partage.core.banking import models as banking_models  # noqa: F401
from partage.core.db import models  # noqa: F401  (registers the foundation tables)
from partage.core.db.base import Base
from partage.core.documents import models as documents_models  # noqa: F401
from partage.core.ledger import models as ledger_models  # noqa: F401
from partage.core.members import models as members_models  # noqa: F401
from partage.core.payroll import models as payroll_models  # noqa: F401
from partage.core.trade import models as trade_models  # noqa: F401
from partage.core.web import models as web_models  # noqa: F401

metadata = Base.metadata
