"""Case-insensitive patterns searched in lower-cased text, which is several times faster.

With ``re.IGNORECASE`` the regular expression engine folds every character it compares, and it
cannot skip ahead to a literal. A pattern written in lower-case letters finds the same matches,
at the same places, in ``text.lower()`` without the flag, unless the text holds one of the four
characters that ``re`` matches to an ASCII letter while ``lower()`` does not lower them to that
one letter: "İ" (lowered to two characters), "ı", "ſ" and the Kelvin sign. Such text is searched
with the flag, as before.
"""

from __future__ import annotations

import re

_ODD_LETTERS = ("\u0130", "\u0131", "\u017f", "\u212a")  # İ ı ſ K
# A capital letter the pattern would match, not an escape ("\\S") nor a named group's "(?P<".
_CAPITAL = re.compile(r"(?<!\\)(?<!\(\?)[A-Z]")
CUED: list[NoCase] = []  # every pattern with cues, for a test to check each wording holds one


def lowered(text: str) -> str | None:
    """``text.lower()`` where a lower-cased pattern finds in it what the pattern with
    ``re.IGNORECASE`` finds in ``text``; None where it might not."""
    if not text.isascii() and holds_any(text, _ODD_LETTERS):
        return None
    return text.lower()


def holds_any(text: str, words: tuple[str, ...]) -> bool:
    """True when ``text`` holds one of ``words``. A plain loop: cue lists are scanned for every
    sentence, and ``any()`` over a generator costs more per word than the scan itself."""
    for word in words:  # noqa: SIM110 (a loop, on purpose: see above)
        if word in text:
            return True
    return False


class NoCase:
    """A pattern compiled with ``re.IGNORECASE`` and without it, for :func:`lowered` text.

    ``cues``, when given, are lower-case words of which every match holds one: text without
    any of them is turned away by a scan for plain words, cheaper than trying the pattern.
    """

    def __init__(self, pattern: re.Pattern[str], cues: tuple[str, ...] = ()) -> None:
        source = pattern.pattern
        if not pattern.flags & re.IGNORECASE or _CAPITAL.search(source):
            raise ValueError("a NoCase pattern is case-insensitive and written in lower case")
        if any(c.isalpha() and not c.isascii() for c in source):  # "σ" is "ς" to re, not lower()
            raise ValueError("a NoCase pattern's letters are ASCII")
        self.anycase = pattern
        self.plain = re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)
        self.cues = cues
        if cues:
            CUED.append(self)

    def search(self, text: str, lower: str | None) -> re.Match[str] | None:
        """The first match in ``text``, ``lower`` being ``lowered(text)``. A match found in the
        lower-cased text gives its places, and its letters in lower case."""
        if lower is None:
            return self.anycase.search(text)
        if self.cues and not holds_any(lower, self.cues):
            return None
        return self.plain.search(lower)

    def finditer(self, text: str, lower: str | None) -> list[re.Match[str]]:
        """Every match, as :meth:`search` finds the first."""
        if lower is None:
            return list(self.anycase.finditer(text))
        if self.cues and not holds_any(lower, self.cues):
            return []
        return list(self.plain.finditer(lower))

    def sub(self, repl: str, text: str, lower: str | None) -> tuple[str, str | None]:
        """``text`` with every match replaced by ``repl``, and the same done to ``lower``, for
        the next pattern to search (``repl`` holds no letter that lower() would change)."""
        if lower is None:
            return self.anycase.sub(repl, text), None
        if self.cues and not holds_any(lower, self.cues):
            return text, lower
        spans = [m.span() for m in self.plain.finditer(lower)]
        if not spans:
            return text, lower
        return _replaced(text, spans, repl), _replaced(lower, spans, repl)


def _replaced(text: str, spans: list[tuple[int, int]], repl: str) -> str:
    """``text`` with each of the spans, in order and apart, replaced by ``repl``."""
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], repl]
        last = end
    parts.append(text[last:])
    return "".join(parts)
