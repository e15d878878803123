"""Short words shown outside embeds: button labels, modal titles, command descriptions.

They live in ``templates/bot/words.j2`` like every other word the project shows; this module
only looks them up, so code names a word by its key.
"""

from __future__ import annotations

from typing import Any

from briefs.render import environment

WORDS_TEMPLATE = "bot/words.j2"


def word(key: str, **context: Any) -> str:
    """The text for ``key`` (plain: labels and descriptions are not Markdown)."""
    template = environment("text").get_template(WORDS_TEMPLATE)
    text = template.render(key=key, **context).strip()
    if not text:
        raise KeyError(f"no word {key!r} in {WORDS_TEMPLATE}")
    return text
