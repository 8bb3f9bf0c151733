"""The ``[registries]`` settings, typed: which public company registers prefill a new
business client's details, where they answer and how long to wait on them.

Each register is disabled by default: an instance turns on those its members may ask,
with the base URL of the service it chose. A credential is never written in a settings
file: ``token_env`` names the environment variable that holds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The registers an adapter exists for: the EU's VAT check (VIES), the Belgian
#: enterprise register (KBO/BCE) and the French register of businesses (SIRENE).
REGISTRIES = ("vies", "kbo", "sirene")


@dataclass(frozen=True)
class RegistrySettings:
    """One public register as the instance configures it.

    Attributes:
        name: one of :data:`REGISTRIES`.
        enabled: whether new clients' details are asked of it.
        base_url: the service's address, without a trailing slash.
        timeout_seconds: how long to wait for its answer before saying it is down.
        token: the credential sent as a bearer token (read from the environment
            variable ``token_env`` names; empty: none).
    """

    name: str
    enabled: bool = False
    base_url: str = ""
    timeout_seconds: float = 3.0
    token: str = ""


@dataclass(frozen=True)
class Registries:
    """Every register's settings (``[registries.<name>]``), by name."""

    by_name: dict[str, RegistrySettings] = field(default_factory=dict)

    def get(self, name: str) -> RegistrySettings:
        return self.by_name.get(name, RegistrySettings(name))

    def enabled(self) -> list[RegistrySettings]:
        return [self.get(n) for n in REGISTRIES if self.get(n).enabled]
