"""The names a framework file may use for its scoring methods and consensus rules, declared
once, here, in the lowest layer that needs them.

Each vocabulary is a small registry in the manner of scikit-learn's ``_SCORERS`` with
``get_scorer_names()``: the framework schema's lists of allowed values, the command's
``--consensus`` choices and the tables of ``docs/frameworks.md`` are read from it, and a miss
lists the valid names. :mod:`evalkit.scoring.methods` implements each name and registers the
implementation against it (``@scoring_method("band-percent")``); a new method or rule is one
registration there, which declares its name here as well.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from evalkit.core.errors import EvalkitError
from evalkit.core.i18n import Message, msg


@dataclass(frozen=True)
class Term:
    """One declared name: ``form`` is the sheet form a scoring method reads its values from."""

    name: str
    form: str = ""


class UnknownNameError(EvalkitError, KeyError):
    """A name that a vocabulary does not declare; the message lists the valid names."""

    def __str__(self) -> str:
        return str(self.args[0])


class Vocabulary:
    """The declared names of one kind (``scoring method``, ``consensus rule``), in order."""

    def __init__(self, kind: Message, terms: tuple[Term, ...]):
        self.kind = kind
        self._terms = {t.name: t for t in terms}

    def declare(self, term: Term) -> Term:
        """Add a name (a name declared already keeps its declaration; a different one for
        the same name is a programming error)."""
        known = self._terms.setdefault(term.name, term)
        if known != term:
            raise ValueError(f"{self.kind.text} {term.name!r} is declared as {known}, not {term}")
        return known

    def names(self) -> tuple[str, ...]:
        return tuple(self._terms)

    def __iter__(self) -> Iterator[Term]:
        return iter(self._terms.values())

    def __contains__(self, name: object) -> bool:
        return name in self._terms

    def get(self, name: str) -> Term:
        try:
            return self._terms[name]
        except KeyError:
            raise unknown_name(self.kind, name, self.names()) from None


def unknown_name(kind: Message, name: str, valid: tuple[str, ...]) -> UnknownNameError:
    """An error for a name not among ``valid``, with the closest valid one when there is one."""
    close = difflib.get_close_matches(name, list(valid), n=1)
    if close:
        return UnknownNameError(
            msg(
                "Unknown {kind} {name}; did you mean {close}? Valid names: {names}.",
                kind=kind,
                name=repr(name),
                close=repr(close[0]),
                names=", ".join(valid),
            )
        )
    return UnknownNameError(
        msg(
            "Unknown {kind} {name}. Valid names: {names}.",
            kind=kind,
            name=repr(name),
            names=", ".join(valid),
        )
    )


#: Scoring methods, each with the sheet form its values come from.
METHODS = Vocabulary(
    msg("scoring method"),
    (
        Term("band-percent", "band"),
        Term("rating", "band"),
        Term("gated-checklist", "checklist"),
        Term("indicator-success", "indicators"),
    ),
)
#: How assessors' values become the panel's.
CONSENSUS = Vocabulary(msg("consensus rule"), (Term("median"), Term("mean"), Term("trimmed")))


def method_names() -> tuple[str, ...]:
    return METHODS.names()


def consensus_names() -> tuple[str, ...]:
    return CONSENSUS.names()
