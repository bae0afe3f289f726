"""Messages in Thai or English, through the standard :mod:`gettext` machinery.

The catalogues are ordinary gettext ``.po`` files under ``evalkit/locale/<lang>/LC_MESSAGES``,
whose msgids are the English texts: ``evalkit.po`` holds what the code says with :func:`msg`,
``_()`` or ``ngettext()`` (``make messages`` extracts it with ``pybabel extract`` and merges it
with ``pybabel update``), ``phrases.po`` the fixed phrases that reach it as finished English,
looked up whole (argparse's help texts and words, the params schema's descriptions). They
are compiled to one ``.mo`` when first needed (with Babel, in memory), so a catalogue edited
by a translator takes effect without a build step.

A message is a msgid and its values (:class:`Message`, built with :func:`msg`): it is
translated by its msgid when shown, and the values put into the Thai as they are (a value
that is itself a message in the same language). Finished English is never read back as a
pattern: :func:`translate` looks a text up as a whole msgid (a fixed phrase), and text that
is no msgid (a value found in a sheet) comes back as it was.

The language is, in order: :func:`set_language` (the ``--lang`` option), ``EVALKIT_LANG``,
then the locale (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``): Thai when it is Thai,
English otherwise.
"""

from __future__ import annotations

import gettext
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

DOMAIN = "evalkit"
#: the ``.po`` files of a language: the msgids the code says (``msg()``, ``_()``, kept by
#: ``make messages``), then the fixed phrases that reach it as finished English (help texts)
CATALOGUES = (DOMAIN, "phrases")
LANGUAGES = ("th", "en")
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_chosen: str | None = None


def normalise_language(value: str) -> str:
    """``th``, ``th_TH.UTF-8``, ``thai`` -> ``th``; anything else -> ``en``."""
    return "th" if value.strip().lower().startswith("th") else "en"


def set_language(value: str | None) -> None:
    """Choose the language of messages for this process; ``None`` goes back to the default."""
    global _chosen
    _chosen = normalise_language(value) if value else None


def language() -> str:
    """The language messages are shown in now: ``th`` or ``en``."""
    if _chosen:
        return _chosen
    explicit = os.environ.get("EVALKIT_LANG", "")
    if explicit:
        return normalise_language(explicit)
    for variable in LOCALE_VARIABLES:
        value = os.environ.get(variable, "")
        if value:
            return normalise_language(value.split(":")[0])
    return "en"


@cache
def _read(lang: str, name: str) -> Catalog | None:
    """The ``.po`` file ``name`` of ``lang``, read with Babel; None when there is none."""
    source = resources.files("evalkit") / "locale" / lang / "LC_MESSAGES" / f"{name}.po"
    if not source.is_file():
        return None
    from babel.messages.pofile import read_po

    with source.open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


@cache
def catalogue(lang: str) -> gettext.NullTranslations:
    """The translations of ``lang``, compiled from its ``.po`` files; none for English."""
    compiled = resources.files("evalkit") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if compiled.is_file():
        return gettext.GNUTranslations(io.BytesIO(compiled.read_bytes()))
    catalogs = [c for c in (_read(lang, name) for name in CATALOGUES) if c is not None]
    if not catalogs:
        return gettext.NullTranslations()
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    merged = Catalog(locale=lang, domain=DOMAIN)
    for message in (m for catalog in catalogs for m in catalog if m.id):
        merged[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, merged)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _(message: str) -> str:
    """``message`` (an English msgid) in the current language."""
    return catalogue(language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return catalogue(language()).ngettext(singular, plural, count)


@dataclass(frozen=True)
class Message:
    """A message as data: an English msgid with ``{placeholders}`` and the values that fill
    them. It is translated when shown (``str()``), through the catalogue, by its msgid: never
    by matching finished English. A value that is itself a :class:`Message` is shown in the
    same language; any other value is data and is shown as it is.

    Build one with :func:`msg`, or :func:`pmsg` when the same English is said in other
    words elsewhere (its ``context`` tells the two apart, as gettext's ``msgctxt``);
    ``make messages`` finds every msgid."""

    text: str
    args: tuple[tuple[str, object], ...] = ()
    context: str | None = None

    def render(self, lang: str | None = None) -> str:
        lang = lang or language()
        if lang == "en":
            template = self.text
        elif self.context:
            template = catalogue(lang).pgettext(self.context, self.text)
        else:
            template = catalogue(lang).gettext(self.text)
        values = {
            key: value.render(lang) if isinstance(value, Message) else value
            for key, value in self.args
        }
        return template.format(**values) if values else template

    def __str__(self) -> str:
        return self.render()


def msg(text: str, /, **args: object) -> Message:
    """A :class:`Message`: ``msg("no scores for item {item}", item="2.1")``."""
    return Message(text, tuple(args.items()))


def pmsg(context: str, text: str, /, **args: object) -> Message:
    """A :class:`Message` whose English is said in other words elsewhere:
    ``pmsg("what-if result", "what-if")`` is ``ผลเมื่อจำลอง`` where ``pmsg("tab", "what-if")``
    is ``จำลองผล``."""
    return Message(text, tuple(args.items()), context)


def joined(
    parts: Sequence[Message | str], pair: Message, last: Message | None = None
) -> Message | str:
    """``parts`` said as one message, two at a time as ``pair`` joins its ``{first}`` and
    ``{second}`` (the last two as ``last``, when given): with ``msg("{first}, {second}")``
    and ``msg("{first} and {second}")``, ``a, b and c`` in each language."""
    said = parts[0]
    for n, part in enumerate(parts[1:], 2):
        join = last if last is not None and n == len(parts) else pair
        said = Message(join.text, (("first", said), ("second", part)), join.context)
    return said


def translate(text: str | Message, lang: str | None = None) -> str:
    """A message, or a fixed phrase (a whole msgid), in ``lang`` (default: the current
    language); text that is no msgid (a value found in a sheet) comes back as it was."""
    if isinstance(text, Message):
        return text.render(lang)
    lang = lang or language()
    if lang == "en" or not text:
        return text
    return catalogue(lang).gettext(text)


def bilingual(message: str | Message) -> str:
    """``ไทย (English)``, as report pages label everything, whatever the current language."""
    if isinstance(message, Message):
        thai, english = message.render("th"), message.render("en")
        return english if thai == english else f"{thai} ({english})"
    thai = translate(message, "th")
    return message if thai == message else f"{thai} ({message})"
