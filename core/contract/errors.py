"""Typed errors of the core.

Every refusal the kit makes is one of these, so that the CLI, the API and the tests can
tell a rule that failed from a bug. Each names the field (or file, key, plugin) it
concerns and the rule that was broken, as attributes a program reads and as a message
meant for a person, ``"field: rule"``. How a face answers an error (an exit status, an
HTTP status) is the face's business: the errors do not know them. What an error does say
is its kind: :attr:`PartageError.usage` is declared by each class where it is defined,
so a face tells the two kinds apart without importing every error of the core.

**Refusals in the person's language.** A refusal a page or the API shows is raised with
its rule as an English *template* marked :func:`N_` and the figures it names as keyword
parameters, never as an f-string::

    raise InvalidAct(
        "unit_price",
        N_("{price} has more than {digits} decimals"),
        price=price,
        digits=2,
    )

The error keeps the template (:attr:`PartageError.template`) and the parameters
(:attr:`PartageError.params`); its :attr:`~PartageError.rule` and its message are the
English sentence, what the command line and the logs print. A face translates the
template with its catalog and formats each parameter for the reader's locale at display
time (:func:`partage.core.web.i18n.say`): a refusal it wraps in its own language, a
:class:`~datetime.date` as a date, a
:class:`~decimal.Decimal` as a number, an :class:`Amount` with the currency, a
:class:`Word` (a status, a category, a kind) through the catalog; any other value is
shown as it is (a code, a name). ``pybabel extract`` finds every ``N_`` of ``core/`` and
``plugins/``, so a plugin's refusals are translated the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar


def N_(text: str) -> str:
    """Mark a string for the catalogs; it is translated where it is shown."""
    return text


@dataclass(frozen=True)
class Amount:
    """A parameter of a refusal that is an amount of money: ``12.50 EUR`` in English
    messages, with the currency as the reader's locale writes it on a page
    (``12,50 €``, ``€ 12,50``).

    Attributes:
        value: the exact amount.
        currency: its ISO 4217 code.
    """

    value: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.value} {self.currency}"


class Word(str):
    """A parameter of a refusal that is a code or a phrase the catalogs translate (a
    status, a role, a category: ``"sent"``, ``"student"``); mark the text itself with
    :func:`N_` somewhere so that it is extracted. A phrase may have its own parameters
    (``Word(N_("hiring ({months} months reserved)"), months=3)``): the string is the
    English phrase, and a page translates the template and formats them.

    Attributes:
        template: the text before its parameters are put in.
        params: its parameters.
    """

    template: str
    params: dict[str, object]

    def __new__(cls, text: str, **params: object) -> Word:
        if isinstance(text, Word) and not params:
            params = text.params
            text = text.template
        made = super().__new__(cls, text.format(**params) if params else text)
        made.template, made.params = text, params
        return made


def _english(value: object) -> object:
    """A parameter as an English message writes it (a list as ``a, b``)."""
    return ", ".join(map(str, value)) if isinstance(value, tuple | list) else value


class PartageError(Exception):
    """Base of every error the core raises on purpose.

    The message is ``"field: rule"``, or ``"field value: rule"`` when the value at fault
    is shown (``"entity 'E000009': no such entity"``), or the rule alone when no field
    applies.

    Attributes:
        field: the field, file, key or plugin the refusal concerns; ``None`` when none
            applies.
        rule: the rule that was broken, in words.
        value: the value at fault, shown after the field (``repr`` it for quotes);
            ``None`` when the message shows none.
        template: the rule before its parameters are put in: the English sentence the
            catalogs translate (the rule itself when it has no parameters).
        params: the figures, dates, names and codes the template names.
        usage: ``True`` for a refusal that asks the person to change what they typed,
            gave or configured (a setting, a plugin, an option, a file, a name that does
            not exist), ``False`` (the default) for an operation the rules refuse. Each
            subclass declares it; the command line exits with status 2 for the first
            kind and 1 for the second.
    """

    usage: ClassVar[bool] = False

    def __init__(
        self, field: str | None, rule: str, *, value: object = None, **params: object
    ) -> None:
        self.field = field
        self.template = rule
        self.params = params
        self.rule = rule.format(**{k: _english(v) for k, v in params.items()}) if params else rule
        self.value = value
        super().__init__(self.message())

    def message(self) -> str:
        """The message for a person, built from the attributes."""
        where = self.field if self.value is None else f"{self.field} {self.value}"
        return self.rule if where is None else f"{where}: {self.rule}"


class ConfigError(PartageError):
    """A setting is missing or breaks a rule; nothing has run yet.

    Attributes:
        source: the file (or environment variable) the offending value came from.
        key: the dotted key of the setting (also :attr:`field`).
        value: the value found (``None`` when missing).
        rule: the rule it breaks, in words.
    """

    usage = True

    def __init__(self, source: str, key: str, value: object, rule: str) -> None:
        self.source, self.key = source, key
        super().__init__(key, rule, value=value)

    def message(self) -> str:
        shown = "<missing>" if self.value is None else repr(self.value)
        return f"{self.source}: {self.key} = {shown}: {self.rule}"


class PluginError(PartageError):
    """A plugin cannot be loaded or used (unknown name, wrong hook API version, ...)."""

    usage = True


class DatabaseError(PartageError):
    """The database cannot be reached or its URL is not usable."""

    usage = True


class TooLarge(PartageError):
    """An upload, or a file inside one, weighs more than its configured limit
    (``[limits]``); it was refused before being read, so it cost no more than its bytes.
    The web answers it 413, the command line with status 2."""

    usage = True
