"""Rules that read a licensing deal from a sentence: who licenses to whom, the kind, the asset,
the territory, and the terms stated with it or in the sentences that follow.

A sentence is read with its organisations replaced by markers (``⟨0⟩ licensed HX-2 from ⟨1⟩``,
see :func:`.sentences.mark`) so that each role rule is a short pattern a reader can check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from .amounts import FIGURE_WORDS, UNDISCLOSED, find_amounts, milestone_kinds, role_of
from .dates import find_period
from .deal_cues import cued_roles
from .lowered import NoCase, holds_any, lowered
from .newco import co_founder, contributor, founded, investor, licenses_to_newco
from .orgs import DESCRIBED_LEAD, Mention, Org
from .passive_takers import licensed_by_taker, owner_named
from .proposal import Party, Proposal, ProposedFigure, proposed_figure
from .sentences import mark
from .takers import as_one_taker, co_takers, giver_to_many, named_takers, plain_lists
from .term_rows import row_direction
from .unnamed_takers import counted_taker, counts_takers, licensed_to_counted

# --- Role rules over the marked sentence ------------------------------------------------------

E = r"⟨(?P<{}>\d+)⟩(?:['’]s?)?"
OWNER = r"⟨(?P<{}>\d+)⟩['’]s?"  # a possessive: the party that owns what follows
GAP = r"[^⟨⟩]{0,120}?"
AUX = (
    r"(?:(?:has|have|had|will|would|recently|also|officially|formally|exclusively|agreed to|"
    r"signed on to|today|yesterday|now|just|on\s+\w+day|this\s+(?:morning|afternoon|week)|itself)\s+)*"
)
# "today", "last night", "this morning": when a company said what it did, before its verb.
WHEN_SAID = r"(?:today|yesterday|last\s+night|this\s+morning|late\s+\w+|earlier\s+today)"
# "said", "said on Monday", "said on June 13", "announced today": a reporting verb and when.
REPORTED = (
    r"(?:said|says|announced|announces|confirmed|disclosed)"
    r"(?:\s+(?:after|before)\s+the\s+(?:close|bell|open))?"  # "announced after the close on Monday"
    r"(?:\s+(?:today|yesterday|(?:(?:late|early)\s+)?(?:on\s+)?\w+day|in a statement|"
    r"on\s+(?:[A-Z][a-z]+\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]+)(?:,?\s+\d{4})?))?"  # "on June 13"
    r"\s+(?:that\s+)?"
)
# A describing noun in front of a name ("to Indian carmaker B"), which orgs.py leaves outside it.
DESCRIBED = DESCRIBED_LEAD
# What may stand between a preposition and a name: "from Tokyo-listed B", "to South Korea's B",
# "pay Chinese biotech B".
# A place glued before a name, of one word or a few: "Oslo-based B", "Rio de Janeiro-based B".
GLUED_PLACE = r"(?:(?:[A-Z][\w.]*\s+|de\s+|do\s+){0,3}?[\w-]+-(?:based|listed|headquartered)\s+)"
LEAD = (
    r"(?:(?:(?:[A-Z][\w.-]*\s+){0,2}?[A-Z][\w.-]*['’]s\s+)|"
    + GLUED_PLACE
    + r")?"
    + r"(?:"
    + DESCRIBED
    + r")?"
)
# An apposition may name a place or another company as what it belongs to or comes from
# ("the seed company that supplies growers across Brazil's ⟨1⟩,"), never as a party of its own.
_APPOSED = r"(?:[^⟨⟩;]|(?<=['’]s )⟨\d+⟩|(?<=of )⟨\d+⟩|(?<=by )⟨\d+⟩)"
_BECOMES = (
    r"(?:is|was|has become|had become|have become|becomes|became|will become|(?<=would )become)"
)
# An apposition after a name: ", a Lyon group that builds welding cells,", ", one of India's ...,".
APPOSITION = r"(?:,\s+(?:a|an|the|one\s+of|[A-Z][\w-]*['’]s)\s+" + _APPOSED + r"{0,150}?,)?"
# What may stand between a subject and its verb: a name in brackets ("(浙江华信药业)"), a relative
# clause about the subject (", which raised $90 million in March,"), a reporting verb ("said it",
# "also said it").
# ", as licensee,": the role a filing gives a party right after its name.
ROLE_APPOSITION = (
    r"(?:,\s+as\s+(?:the\s+)?(?:licensor|licensee|purchaser|buyer|vendor|seller)\b,?)?"
)
SUBJECT_TAIL = (
    r"(?:\s*\([^()⟨⟩]{1,40}\))?"
    + ROLE_APPOSITION
    + r"(?:,\s+(?:which|who|whose)\b[^;]{0,100}?,)?"
    + r"(?:\s+[—–]\s+(?:which|who|whose)\b[^;—–]{0,100}?\s+[—–])?"  # " — which owns it —"
    + APPOSITION
    + r"(?:,\s+(?:through|via|acting through)\s+[^;,]{0,80}?,)?"  # ", through its subsidiary X,"
    + r"(?:\s+of\s+[A-Z][\w-]+)?,?\s+"
    r"(?:" + WHEN_SAID + r"\s+)?(?:(?:also\s+)?" + REPORTED + r"(?:it|they)\s+)?"
)
_RELATIVE_CLAUSE = re.compile(
    r",\s+(?:which|who|whose)\b[^;,]{0,100},"
    r"|\b(?:that|which)\s+[^,;]{0,60}?\b(?:launched|developed|discovered|approved|filed|"
    r"founded|introduced|invented)\b[^,;]{0,60}"  # "a cream that B launched in Japan in 2023"
)
_RIGHTS = r"(?:rights?|licen[cs]e|sublicen[cs]e|access|option)"


# "rights to ⟨1⟩ from ⟨2⟩": what rights are taken to, before the one they come from, is the
# asset however it was named (a product named bare reads like a company).
RIGHTS_TO_NAMED = r"(?:(?<=rights to )⟨\d+⟩" + GAP + r")?"


# "agreed on Wednesday (May 14) to", "agreed to": an agreement to do what follows, and its day.
_AGREED_TO = r"(?:agreed(?:\s+on\s+\w+(?:\s+\([^()⟨⟩]{1,20}\))?)?\s+to\s+)?"


def _active(verbs: str) -> str:
    """Subject ⟨a⟩, what may follow it, auxiliaries, then one of ``verbs`` as a whole word."""
    return E.format("a") + SUBJECT_TAIL + AUX + r"(?:" + verbs + r")\b"


# "A is carving three programmes into ...": what a company spins out, up to "into".
_SPUN_INTO = (
    _active(
        r"(?:is\s+|are\s+)?(?:carving|spinning)|carve[sd]?|spins?|spun|"
        r"(?:is\s+)?contribut(?:es|ed|ing)|contribute"
    )
    + r"\s+(?P<asset>[^⟨⟩.;]{0,120}?)\binto\s+"
)
_NEW_ENTITY = r"(?:[\w.-]+\s+){0,2}?(?:company|venture|entity|NewCo|start-?up|spin-?out|subsidiary)"


# How one company reports what another did: "said (on Monday) (that)", "said in a filing
# that", "told analysts that".
_SAYS = (
    r"(?:also\s+)?(?:told\s+(?:investors|analysts|reporters|shareholders)\s+(?:on\s+\w+\s+)?"
    r"(?:that\s+)?|(?:said|says|announced|confirmed|disclosed)\s+in\s+an?\s+"
    r"(?:filing|statement|release|announcement)(?:\s+(?:on\s+)?\w+day)?\s+(?:that\s+)?|"
    + REPORTED
    + r")"
)
# ... then the other company taking rights to what the reporter owns ("A would take global
# rights to its antibody", "A had licensed its platform"), perhaps after a colon ("said it had
# found a partner: A is taking rights").
_REPORTED_TAKING = (
    r"(?:[^⟨⟩.;:]{0,80}:\s+)?"
    + LEAD
    + E.format("a")
    + APPOSITION
    + r"\s+"
    + AUX
    + r"(?:taken|took|acquired|obtained|secured|received|gained|licen[cs]ed|in-?licen[cs]ed|"
    r"(?:(?<=will )|(?<=would )|(?<=to ))(?:take|acquire|obtain|secure|receive|gain|in-?licen[cs]e)|"
    r"(?:is|are|was)\s+(?:taking|acquiring|obtaining|securing|receiving|gaining|in-?licen[cs]ing))"
    # what the reporting company grants: not rights taken "from" someone else
    r"\s+(?P<asset>(?![^⟨⟩.;]*\bfrom\b)(?:[^⟨⟩.;]{0,40}?\b(?:rights?|licen[cs]e)\b|"
    r"(?:(?<=licensed )|(?<=license )|(?<=licence ))(?:its|their)\b)[^⟨⟩.;]{0,80})"
)


ROLE_RULES: tuple[tuple[str, str, float, re.Pattern[str]], ...] = (
    (
        "paid-by",  # "A will receive $75m upfront from B": the one paid is the licensor
        "licensor-first",
        0.85,
        re.compile(
            _active(
                r"(?:is|are)\s+(?:to|set to|due to|entitled to|eligible to)\s+(?:receive|get|collect)|"
                r"stands? to (?:receive|get|collect)|receive[ds]?|get|gets|got|collect(?:s|ed)?|"
                r"earn(?:s|ed)?|bag(?:s|ged)|net(?:s|ted)|pocket(?:s|ed)|bank(?:s|ed)"
            )
            + r"(?P<asset>"
            + GAP
            + r")\bfrom\s+"
            + E.format("b"),
            re.I,
        ),
    ),
    (
        "licensed-from",  # "A licensed X from B", "A in-licensed X from B", "A acquired rights to X from B"
        "licensee-first",
        0.9,
        re.compile(
            _active(
                r"in-?licen[cs]ed|licen[cs]ed|in-?licen[cs]es?|licen[cs]es?|acquired|acquires|obtained|"
                r"obtains|secured|secures|bought|buys|took|takes|taken|received|receives|gained|gains|"
                r"purchased|purchases|acquire|obtain|buy|purchase|"  # "has agreed to buy"
                r"(?:(?:is|are)\s+)?(?:will|would|to) (?:acquire|obtain|receive|gain|take|secure|buy|"
                r"purchase|in-?licen[cs]e|licen[cs]e)|"
                r"exercised\s+(?:its|an|the|their)\s+option\s+to\s+(?:(?:in-?)?licen[cs]e|acquire|"
                r"obtain|buy)|"
                r"(?:is|are)\s+(?:buying|acquiring|taking)|snapped\s+up|snaps\s+up|picked\s+up|"
                r"won|wins|lands|landed|nabs|nabbed|grabs|grabbed|bags|bagged|"  # "has won the rights"
                r"(?:struck|signed|reached|inked|entered\s+into)\s+(?:an?\s+)?(?:[\w-]+\s+){0,2}?"
                r"(?:agreement|deal)\s+to\s+(?:in-?licen[cs]e|acquire|buy|licen[cs]e)"
            )
            + r"(?P<asset>"
            + GAP
            + RIGHTS_TO_NAMED
            + r")\bfrom\s+"
            + LEAD
            + E.format("b"),
            re.I,
        ),
    ),
    (
        "rights-to-owner",  # "A obtained the rights to B's design", "A licensed B's antibody"
        "licensee-first",
        0.85,
        re.compile(
            _active(
                r"acquired|acquires|acquire|obtained|obtains|obtain|secured|secures|secure|took|"
                r"takes|take|taken|gets|get|got|gained|gains|gain|won|wins|received|receives|receive|bought|buys|buy|"
                r"in-?licen[cs]ed|licen[cs]ed|in-?licen[cs]es?|licen[cs]es?"
            )
            + r"\s+(?P<asset>[^⟨⟩.;]{0,60}?\b"
            + _RIGHTS
            + r"\b[^⟨⟩.;]{0,60}?\s(?:to|for|over|on)\s+(?:[a-z]+\s+){0,4}?"
            + r"(?:[A-Z][\w-]*,\s+)?"  # "rights to VT-9, ⟨1⟩'s inhaled steroid"
            + GLUED_PLACE  # "rights to develop and sell Pune-based ⟨1⟩'s drug"
            + r"?)"
            + OWNER.format("b"),
            re.I,
        ),
    ),
    (
        "rights-developed-by",  # "A obtained rights to X, a drug discovered and developed by B"
        "passive",
        0.8,
        re.compile(
            _active(
                r"acquired|acquires|obtained|obtains|secured|secures|took|takes|taken|gained|gains|won|"
                r"gets|got|gain|signed|signs|inked|in-?licen[cs]ed|in-?licen[cs]es|"
                r"received|receives|will (?:acquire|obtain|secure|take|gain|receive|in-?licen[cs]e)|"
                r"(?:agreed to |will )?pay(?:s|ing)?|paid"
            )
            + r"\s+(?P<asset>[^⟨⟩.;]{0,80}?\b"
            + _RIGHTS
            + r"\b[^⟨⟩;]{0,140}?)\b(?:(?:discovered|developed|owned|held|created|invented)\s+"
            r"(?:by|at)\s+"
            + LEAD
            + E.format("b")
            + r"|that\s+"
            + E.format("d")
            + r"\s+(?:launched|developed|discovered|owns|markets|sells|invented|created))",
            re.I,
        ),
    ),
    (
        "signed-for-owner",  # "A has signed a patent licence covering B's portfolio"
        "passive",  # taker ⟨a⟩ or ⟨c⟩, owner ⟨b⟩ or ⟨d⟩
        0.8,
        re.compile(
            _active(r"signed|signs|took|takes|taken|has taken|inked|obtained|secured")
            + r"\s+(?:an?\s+|the\s+)?(?:[\w-]+,?\s+){0,3}?(?:licen[cs]e|option)"
            r"(?:\s+(?:agreement|deal|contract))?\s+(?:for|covering|to|on|over|under)\s+"
            r"(?:the\s+)?"
            + LEAD
            + OWNER.format("b")
            + r"(?P<asset>[^⟨⟩.;,]{0,60})|"
            + E.format("c")
            + SUBJECT_TAIL
            + AUX
            + r"signed\s+up\s+for\s+"
            + OWNER.format("d")
            + r"(?P<asset2>[^⟨⟩.;,]{0,60})",
            re.I,
        ),
    ),
    (
        "licensed-owner",  # "A licensed B's antibody"
        "licensee-first",
        0.85,
        re.compile(
            _active(
                r"in-?licen[cs]ed|licen[cs]ed|in-?licen[cs]es|licen[cs]es|will (?:in-?)?licen[cs]e|"
                r"(?<=agreed to )(?:in-?)?licen[cs]e"
            )
            # "in-licensed YL-5, Shenzhen B's antibody": a product code, a place before the owner
            + r"\s+(?:the\s+)?(?P<asset>[A-Z][\w-]*\d[\w-]*,\s+(?:[A-Z][\w-]*\s+)?)?"
            + LEAD
            + OWNER.format("b"),
            re.I,
        ),
    ),
    (
        "licensed-of",  # "A licensed the battery software of B", "A acquired the platform of B"
        "passive",
        0.8,
        re.compile(
            _active(r"in-?licen[cs]ed|licen[cs]ed|will (?:in-?)?licen[cs]e")
            + r"\s+(?P<asset>(?:the|a|an)\s+[^⟨⟩.;,]{0,60}?)\s+of\s+"
            + E.format("b")
            + r"|"
            + E.format("c")
            + SUBJECT_TAIL
            + AUX
            + r"(?:acquired|acquires|bought|buys|purchased|purchases|will (?:acquire|buy|purchase))"
            r"\s+(?P<asset2>(?:the|a|an)\s+[^⟨⟩.;,]{0,60}?\b(?:platform|assets?|portfolio|"
            r"programmes?|programs?|patents|technology|product lines?|business)[^⟨⟩.;,]{0,60}?)"
            r"\s+of\s+" + LEAD + E.format("d"),
            re.I,
        ),
    ),
    (
        "passive-granted-owner",  # "A has been granted exclusive rights to sell B's spray"
        "licensee-first",
        0.8,
        re.compile(
            E.format("a") + r"\s+(?:was|has been|had been|is|were)\s+(?:granted|given|awarded)\s+"
            r"(?P<asset>[^⟨⟩.;]{0,60}?\b" + _RIGHTS + r"\b[^⟨⟩.;]{0,40}?)" + OWNER.format("b"),
            re.I,
        ),
    ),
    (
        "joint-owner",  # "A and B will co-develop A's antibody": the owner licenses the other
        "joint",
        0.75,
        re.compile(
            E.format("a")
            + r"\s+and\s+"
            + LEAD
            + E.format("c")
            + r"\s+"
            + AUX
            + _AGREED_TO
            + r"(?:co-develop|co-commerciali[sz]e|jointly develop|jointly commerciali[sz]e)"
            r"(?:\s+and\s+(?:co-commerciali[sz]e|co-market|commerciali[sz]e|market|sell))?\s+"
            r"(?:the\s+)?(?P<asset>[^⟨⟩.;,]{1,50},\s+)?" + OWNER.format("b"),  # "a pump, B's"
            re.I,
        ),
    ),
    (
        "pays-for-rights",  # "A will pay B 900 million yuan for the right to use its design"
        "licensee-first",
        0.8,
        re.compile(
            _active(
                r"(?:is|are)\s+paying|agreed to pay|pay|pays|paid|paying|"
                r"(?:will\s+)?hand(?:s|ed|ing)?"  # "will hand B $30 million for the rights"
            )
            + r"\s+"
            + LEAD
            + E.format("b")
            + r"\s+(?P<asset>(?:[^⟨⟩.;]|(?<=\d)\.(?=\d)){0,80}?\b(?:(?:for|in exchange for|in return for)\b"
            r"[^⟨⟩.;]{0,40}?"
            r"\b(?:rights?|licen[cs]e|access|use|option)\b|to\s+(?:use|access|make|sell|commerciali[sz]e)\b|"
            r"for\s+(?-i:[A-Z]{1,5}-\d{1,5})\b)"  # "for QR-8": a product by its code
            r"[^⟨⟩.;]{0,80})",
            re.I,
        ),
    ),
    (
        "pays-for-rights-to-owner",  # "A will pay $5 million upfront for the rights to sell X, B's drug"
        "licensee-first",
        0.8,
        re.compile(
            _active(r"(?:is|are)\s+paying|agreed to pay|pay|pays|paid|paying|overpaid|overpays")
            + r"\s+(?P<asset>(?:[^⟨⟩.;]|(?<=\d)\.(?=\d)){0,80}?\b(?:for|in exchange for|in return for)\s+"
            r"(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:rights?|licen[cs]e)\s+(?:to|for|over|on)\s+"
            r"(?:[a-z]+\s+){0,4}?(?:[A-Z][\w-]*\d[\w-]*,\s+)?)" + OWNER.format("b"),
            re.I,
        ),
    ),
    (
        "payment-to",  # "A will make an upfront payment of $20 million to B for the rights to X"
        "licensee-first",
        0.8,
        re.compile(
            _active(r"make|makes|made|making")
            + r"\s+(?:an?\s+|the\s+)?(?P<asset>[^⟨⟩.;]{0,60}?\bpayments?\b[^⟨⟩.;]{0,60}?)\bto\s+"
            + LEAD
            + E.format("b")
            + r"\s+(?:for|in exchange for|in return for)\b[^⟨⟩.;]{0,40}?\b(?:rights?|licen[cs]e|access|option)\b",
            re.I,
        ),
    ),
    (
        "licensed-to",  # "B out-licensed X to A", "B licensed X to A", "B sold the rights to X to A"
        "licensor-first",
        0.9,
        re.compile(
            _active(
                r"out-?licen[cs]ed|licen[cs]ed|out-?licen[cs]es?|licen[cs]es?|sold|sells|sell|"
                r"divested|divests|divest|"
                r"transferred|transfers|transfer|sublicen[cs]ed|will (?:out-?licen[cs]e|licen[cs]e)|"
                r"(?:is|are)\s+(?:out-?)?licen[cs]ing|"  # "is licensing its patents to B"
                r"(?:entered into|signed|reached|struck)\s+(?:an?\s+)?(?:[\w-]+\s+){0,2}?"
                r"(?:agreement|deal)\s+to\s+(?:out-?)?licen[cs]e"
            )
            + r"(?P<asset>"
            + GAP
            + r"(?:,[^,;.]{0,80},[^⟨⟩]{0,40}?)?)\bto\s+"
            + LEAD
            + E.format("b"),
            re.I,
        ),
    ),
    (
        "licensed-to-do",  # "B has licensed A to make its stapler"
        "licensor-first",
        0.8,
        re.compile(
            _active(r"licen[cs]ed|licen[cs]es|will licen[cs]e")
            + r"\s+"
            + LEAD
            + E.format("b")
            + r"\s+to\s+(?P<asset>(?:make|use|sell|manufacture|develop|produce|commerciali[sz]e|"
            r"market|distribute|deploy)\b[^⟨⟩.;]{0,80})",
            re.I,
        ),
    ),
    (
        "granted-rights-to",  # "B has granted rights to its platform to A"
        "licensor-first",
        0.85,
        re.compile(
            _active(r"granted|grants|gave|gives|awarded|awards|will (?:grant|give|award)")
            + r"\s+(?P<asset>(?:[^⟨⟩.;]{0,40}?\b)?"
            + _RIGHTS
            + r"\b[^⟨⟩.;]{0,160}?)\bto\s+"
            + LEAD
            + E.format("b"),
            re.I,
        ),
    ),
    (
        "granted",  # "B granted A an exclusive licence to X"
        "licensor-first",
        0.9,
        re.compile(
            _active(
                r"granted|grants|gave|gives|given|awarded|awards|handed|hands|hand|will grant|"
                r"(?:is|are)\s+(?:granting|giving|handing|awarding)"
            )
            + r"\s+(?:to\s+)?"
            + LEAD
            + E.format("b")
            + APPOSITION  # "B, a Lyon group that ...,"
            + r"\s+(?P<asset>"
            + GAP
            + r"(?:licen[cs]e|rights?|sublicen[cs]e|option)"
            + r"(?:[^⟨⟩.;]|⟨\d+⟩){0,200}?)(?:[.,;]|$|\s+(?:controlled|owned|held)\s+by\b)",
            re.I,
        ),
    ),
    (
        "deal-gives",  # "The licence gives A access to B's process"
        "licensee-first",
        0.85,
        re.compile(
            r"\b(?:licen[cs]e|agreement|deal|pact|contract|arrangement|partnership)\s+"
            r"(?:will\s+)?(?:gives|grants|gave|granted|give|grant|provides|provided|offers)\s+"
            + E.format("a")
            + r"\s+(?P<asset>(?:[\w-]+\s+){0,3}?"
            + _RIGHTS
            + r"\s+(?:to|for|over|on)\s+(?:[a-z]+\s+){0,4}?)"  # "rights to develop and sell B's X"
            + OWNER.format("b"),
            re.I,
        ),
    ),
    (
        "passive-acquired",  # "rights to X, developed by B, have been acquired by A"
        "licensee-first",
        0.8,
        re.compile(
            r"\b(?:developed|owned|held|created|invented|built|designed|engineered|discovered)"
            r"\s+by\s+"
            + LEAD
            + E.format("b")
            + r"(?P<asset>[^⟨⟩.;]{0,40}?)\b(?:was|were|has been|have been|had been)\s+"
            r"(?:acquired|obtained|bought|taken|licen[cs]ed|in-?licen[cs]ed)\s+by\s+"
            + LEAD
            + E.format("a"),
            re.I,
        ),
    ),
    (
        "reported-taker",  # "B said A had taken an exclusive licence to its inhibitor"
        "licensee-first",
        0.8,
        re.compile(
            E.format("b")
            + r"(?:\s*\([^()⟨⟩]{1,40}\))?"
            + APPOSITION
            + r"(?:,\s+(?:which|who)\b[^;⟨⟩]{0,100}?,)?"  # "B, which is listed in Prague, said"
            + r",?\s+"
            + _SAYS
            + _REPORTED_TAKING,
            re.I,
        ),
    ),
    (
        "according-to-taker",  # "According to B, A will take global rights to its antibody"
        "licensee-first",
        0.8,
        re.compile(r"\b[Aa]ccording\s+to\s+" + LEAD + E.format("b") + r",\s+" + _REPORTED_TAKING),
    ),
    (
        "owner-then-passive-taker",  # "X, developed in the labs of A, has been licensed by B"
        "licensee-first",
        0.75,
        re.compile(
            r"\b(?:of|by|at)\s+"
            + LEAD
            + E.format("b")
            + r"[^⟨⟩.;]{0,80}?,\s+(?:has|have)\s+(?:now\s+|also\s+)?been\s+(?:in-?)?licen[cs]ed\s+by\s+"
            + GLUED_PLACE
            + r"?"
            + E.format("a")
            # "... by B to C" makes B the giver
            + r"(?![^.;]{0,120}?\bto\s+(?:the\s+)?⟨)(?P<asset>)",
        ),
    ),
    (
        "reported-user-under-licence",  # "B said A will develop X in Europe under the licence"
        "licensee-first",
        0.75,
        re.compile(
            E.format("b")
            + r"(?:\s*\([^()⟨⟩]{1,40}\))?"
            + APPOSITION
            + r",?\s+(?:also\s+)?(?:said|says|announced|confirmed)"
            r"\s+(?:(?:on\s+\w+|\w+day|today|yesterday)\s+)?(?:that\s+)?"
            + LEAD
            + E.format("a")
            + APPOSITION
            + r"\s+(?:will|would|is to|can)\s+(?:now\s+)?(?:develop|commerciali[sz]e|sell|market|"
            r"manufacture|make|use|produce|distribute)\b(?P<asset>[^⟨⟩.;]{0,100}?)\bunder\s+"
            r"(?:the|a|an|its|this)\s+(?:[\w-]+\s+){0,2}?(?:licen[cs]e|licen[cs]ing\s+(?:deal|agreement))\b",
            re.I,
        ),
    ),
    (
        "passive-from-by",  # "TP-4 was licensed from B by A"
        "licensee-first",
        0.8,
        re.compile(
            r"\b(?:was|were|has been|have been|had been|is|are)\s+(?:exclusively\s+)?"
            r"(?:(?:in-?)?licen[cs]ed|acquired|obtained|bought|purchased)\s+from\s+"
            + LEAD
            + E.format("b")
            + r"\s+by\s+"
            + LEAD
            + E.format("a"),
            re.I,
        ),
    ),
    (
        "under-licence-from",  # "Under the licence from B, A will develop X"
        "licensee-first",
        0.75,
        re.compile(
            r"\b[Uu]nder\s+(?:the|a|an|its)\s+(?:[\w-]+\s+){0,2}?licen[cs]e\s+(?:agreement\s+)?from\s+"
            + LEAD
            + E.format("b")
            + r",\s+"
            + E.format("a")
            + r"(?P<asset>)",
            re.I,
        ),
    ),
    (
        "joined-licensees",  # "B has been added to A's licensees", "B has joined A's licensing programme"
        "licensee-first",
        0.8,
        re.compile(
            _active(r"(?:has|have|had)\s+been\s+added|was\s+added|joined|joins|will\s+join")
            + r"\s+(?:to\s+)?"
            + LEAD
            + OWNER.format("b")
            + r"\s+(?P<asset>(?:[\w-]+\s+){0,3}?(?:licensees|licen[cs]ing\s+(?:programme|program|pool)|"
            r"patent\s+pool|pool))\b",
            re.I,
        ),
    ),
    (
        "as-licensee",  # "A has chosen B as its European licensee"
        "licensor-first",
        0.8,
        re.compile(
            _active(
                r"chosen|chose|selected|selects|signed(?:\s+up)?|signs(?:\s+up)?|named|names|"
                r"appointed|picked"
            )
            + r"\s+"
            + LEAD
            + E.format("b")
            + r"\s+as\s+(?:its|an?|the)\s+(?P<asset>(?:[\w-]+\s+){0,3}?)licensee\b",
            re.I,
        ),
    ),
    (
        "chosen-to-commercialise",  # "A has chosen B to develop and commercialise X in Europe"
        "licensor-first",
        0.75,
        re.compile(
            _active(r"chosen|chose|selected|selects|tapped|taps|picked|appointed|named")
            + r"\s+"
            + LEAD
            + E.format("b")
            + r"\s+to\s+(?P<asset>(?:develop\s+and\s+|co-develop\s+and\s+)?(?:commerciali[sz]e|market)\b"
            r"[^⟨⟩.;]{0,100})",
            re.I,
        ),
    ),
    (
        "licensee-of",  # "A is the latest licensee of B's process", "B said A had become a licensee of its"
        "passive",
        0.8,
        re.compile(
            E.format("a")
            + SUBJECT_TAIL
            + AUX
            + _BECOMES
            + r"(?P<asset>\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,3}?licensee\s+(?:of|for|under|to)\s+)"
            + LEAD
            + OWNER.format("b")
            + r"|"
            + E.format("d")
            + r",?\s+"
            + _SAYS
            + LEAD
            + E.format("c")
            + r"\s+"
            + AUX
            + _BECOMES
            + r"(?P<asset2>\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,3}?licensee\s+(?:of|for|under|to)\s+)"
            r"(?:its|their)\b",
            re.I,
        ),
    ),
    (
        "makes-under-licence",  # "A will make cells using B's chemistry under a licence"
        "licensee-first",
        0.75,
        re.compile(
            _active(r"manufacture|make|produce|build|sell|develop|market|commerciali[sz]e")
            + r"\b(?P<asset>[^⟨⟩.;]{0,60}?)\b(?:using|based on|built on|incorporating)\s+"
            + LEAD
            + OWNER.format("b"),
            re.I,
        ),
    ),
    (
        "makes-with-technology-from",  # "A will make cells using technology from B"
        "licensee-first",
        0.75,
        re.compile(
            _active(r"manufacture|make|produce|build|develop")
            + r"\b(?P<asset>[^⟨⟩.;]{0,60}?)\b(?:using|based on|built on|with)\s+"
            r"(?:(?:the|its)\s+)?(?:[\w-]+\s+){0,2}?(?:technology|know-how|process|patents)\s+"
            r"(?:licen[cs]ed\s+)?from\s+" + LEAD + E.format("b"),
            re.I,
        ),
    ),
    (
        "launched-newco",  # "A has teamed up with investors to launch B, a new company that will develop"
        "licensor-first",
        0.8,
        re.compile(
            r"(?<!⟩ and )"  # one of two founders named together is no sure licensor
            + E.format("a")
            + SUBJECT_TAIL
            + r"(?:[^⟨⟩.;]|\.(?!\s+(?-i:[A-Z⟨]))){0,80}?\b(?:launch|form|create|set\s+up|establish|unveil)(?:e?[ds]|ing)?\s+"
            r"(?:of\s+)?"
            + E.format("b")
            + r",\s+(?:a|an|the)\s+(?P<asset>(?:newly\s+(?:formed|created)\s+|new\s+)"
            r"(?:[\w.-]+\s+){0,2}?(?:company|venture|start-?up|entity|biotech|NewCo)\s+"
            r"(?:that|which)\s+(?:will\s+)?(?:develop|commerciali[sz]e|advance|hold|take|license|"
            r"in-license)[^⟨⟩.;]{0,120})",
            re.I,
        ),
    ),
    (
        "rights-under-agreement-with",  # "A gains rights to X under an agreement with B"
        "licensee-first",
        0.8,
        re.compile(
            _active(
                r"gains|gained|obtains|obtained|receives|received|takes|took|gets|got|acquires|"
                r"acquired|secures|secured|will (?:gain|obtain|receive|take|get|acquire|secure)"
            )
            + r"\s+(?P<asset>[^⟨⟩.;]{0,80}?\b(?:rights?|licen[cs]e)\b[^⟨⟩.;]{0,80}?)\b"
            r"(?:under|through|in|via)\s+(?:an?|the|its|a\s+new)\s+(?:[\w-]+\s+){0,3}?"
            r"(?:agreement|deal|pact|partnership|collaboration|arrangement)\s+with\s+"
            + LEAD
            + E.format("b"),
            re.I,
        ),
    ),
    (
        "under-licence-from-after",  # "A will develop X under a licence from B", "X, developed by A under ..."
        "passive",
        0.8,
        re.compile(
            _active(
                r"(?:will\s+)?(?:develop|commerciali[sz]e|make|sell|market|manufacture|produce|"
                r"distribute|use)[sd]?"
            )
            + r"\b(?P<asset>[^⟨⟩.;]{0,100}?)\bunder\s+(?:an?|the|its)\s+(?:[\w-]+\s+){0,2}?"
            r"licen[cs]e\s+(?:agreement\s+)?from\s+"
            + LEAD
            + E.format("b")
            + r"|\bby\s+"
            + E.format("c")
            + r"\s+under\s+(?:an?|the|its)\s+(?:[\w-]+\s+){0,2}?licen[cs]e\s+(?:agreement\s+)?"
            r"from\s+" + LEAD + E.format("d") + r"(?P<asset2>)",
            re.I,
        ),
    ),
    (
        "buys-owner-s",  # "A will acquire B's antiviral programme"
        "licensee-first",
        0.8,
        re.compile(
            _active(
                r"acquired|acquires|bought|buys|purchased|purchases|"
                r"(?:will|to|agreed to)\s+(?:acquire|buy|purchase)|(?:is|are)\s+(?:acquiring|buying)"
            )
            + r"\s+"
            + LEAD
            + OWNER.format("b")
            + r"(?P<asset>[^⟨⟩.;,]{0,60}?\b(?:programmes?|programs?|portfolio|assets?|patents?|"
            r"platform|technology|product lines?|candidates?|franchise|brands?|rights)\b)",
            re.I,
        ),
    ),
    (
        "sells-owner-s-under-licence",  # "A will commercialise B's X under a licensing deal"
        "licensee-first",
        0.75,
        re.compile(
            _active(
                r"(?:will\s+)?(?:develop|commerciali[sz]e|market|sell|manufacture|distribute)s?"
            )
            + r"\s+"
            + LEAD
            + OWNER.format("b")
            + r"(?P<asset>[^⟨⟩.;]{0,80}?)\bunder\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}?"
            r"(?:licen[cs]ing\s+(?:deal|agreement|pact)|licen[cs]e)\b",
            re.I,
        ),
    ),
    (
        "spun-into",  # "A is carving three programmes out of its pipeline into a new company, B"
        "licensor-first",
        0.8,
        re.compile(
            _SPUN_INTO + r"(?:an?\s+|the\s+)?"
            r"(?:newly\s+(?:formed|created)\s+|new\s+)?"
            + _NEW_ENTITY
            + r",?\s+"
            + LEAD
            + E.format("b"),
            re.I,
        ),
    ),
    (
        "added-to-pipeline",  # "A added B's X to its pipeline through an in-licensing deal"
        "licensee-first",
        0.75,
        re.compile(
            _active(r"added|adds|will add")
            + r"\s+"
            + LEAD
            + OWNER.format("b")
            + r"(?P<asset>[^⟨⟩.;,]{0,60}?)\s+to\s+(?:its|their)\s+(?:[\w-]+\s+)?(?:pipeline|portfolio)\b"
            r"[^⟨⟩.;]{0,60}?\b(?:licen[cs]|rights\b|deal\b|agreement\b)",
            re.I,
        ),
    ),
    (
        "spun-into-named",  # "A has spun X out into B, a new company backed by investors"
        "licensor-first",
        0.8,
        re.compile(
            _SPUN_INTO
            + r""
            + E.format("b")
            + r",\s+(?:a|an|the)\s+(?:newly\s+(?:formed|created)\s+|new\s+)"
            + _NEW_ENTITY
            + r"\b",
            re.I,
        ),
    ),
    (
        "taker-and-keeper",  # "A gets rights in Europe; B keeps India for itself"
        "licensee-first",
        0.75,
        re.compile(
            _active(
                r"(?:will\s+)?(?:receive|take|gain|obtain|get|acquire|secure)s?|"
                r"(?:has|have)\s+(?:received|taken|gained|obtained|acquired|secured)"
            )
            + r"\s+(?P<asset>(?:an?\s+|the\s+)?(?:[\w-]+,?\s+){0,4}?(?:rights?|licen[cs]e)\b"
            r"[^⟨⟩.;]{0,200}?)[;,]\s+(?:while\s+|whereas\s+|and\s+)?"
            + E.format("b")
            + r"\s+(?:will\s+)?(?:keeps?|retains?|holds? on to|reserves?)\b",
            re.I,
        ),
    ),
    (
        "taker-then-reporter",  # "A will receive rights to X in Europe, B said in a filing"
        "licensee-first",
        0.75,
        re.compile(
            _active(
                r"(?:will\s+|to\s+)?(?:receive|take|gain|obtain|get|acquire|secure)s?|"
                r"(?:has|have|had)\s+(?:received|taken|gained|obtained|acquired|secured)|"
                r"received|took|taken|gained|obtained|acquired|secured"
            )
            + r"\s+(?P<asset>(?:an?\s+|the\s+)?(?:[\w-]+,?\s+){0,4}?(?:rights?|licen[cs]e)\b"
            r"[^⟨⟩;]{0,200}?),\s+"
            + E.format("b")
            + r"\s+(?:said|says|announced|confirmed|disclosed)\b",
            re.I,
        ),
    ),
    (
        "passive-granted",  # "A was granted a licence to X by B"
        "licensee-first",
        0.85,
        re.compile(
            E.format("a") + r"\s+(?:was|has been|had been|is|were)\s+(?:granted|given|awarded)\s+"
            r"(?P<asset>" + GAP + r")\bby\s+" + E.format("b"),
            re.I,
        ),
    ),
    (
        "passive-licensed-by",  # "X was licensed to A by B" / "X, licensed by B to A"
        "passive",
        0.85,
        re.compile(
            r"(?P<asset>" + GAP + r")\b(?:was|were|has been|have been|had been|is|are)?\s*"
            r"(?:exclusively\s+)?(?:(?:out-?)?licen[cs]ed|granted|sold|transferred)\s+(?:by\s+"
            + E.format("b")
            + r"\s+to\s+"
            + E.format("a")
            + r"|to\s+"
            + E.format("c")
            + r"\s+by\s+"
            + E.format("d")
            + r")",
            re.I,
        ),
    ),
    (
        "owner-licensed-by",  # "B's compiler IP has been licensed by A": the one licensing it in
        "licensee-first",
        0.8,
        re.compile(
            OWNER.format("b")
            + r"\s+(?P<asset>[^⟨⟩]{0,200}?)\s+(?:was|were|has been|have been|had been|is|are)\s+"
            r"(?:exclusively\s+)?(?:in-?)?licen[cs]ed\s+by\s+"
            + LEAD
            + E.format("a")
            + r"(?!\s+to\b)",
            re.I,
        ),
    ),
    (
        "from-owner-licensed-by",  # "X, an antiviral from B, has been licensed by A"
        "licensee-first",
        0.8,
        re.compile(
            r"\bfrom\s+"
            + LEAD
            + E.format("b")
            + r"(?P<asset>[^⟨⟩.;]{0,60}?),?\s+(?:was|were|has been|have been|had been|is|are)\s+"
            r"(?:exclusively\s+)?(?:in-?)?licen[cs]ed\s+by\s+"
            + LEAD
            + E.format("a")
            + r"(?!\s+(?:to|from)\b)",
            re.I,
        ),
    ),
    (
        "in-licensed-by-from",  # "X-12 was in-licensed by A from B"
        "licensee-first",
        0.85,
        re.compile(
            r"(?P<asset>" + GAP + r")\b(?:was|were|has been|have been|had been|is|are)\s+"
            r"(?:exclusively\s+)?(?:(?:in-?)?licen[cs]ed|acquired|obtained|bought|purchased|taken)"
            r"\s+by\s+" + LEAD + E.format("a") + r"\s+from\s+" + LEAD + E.format("b"),
            re.I,
        ),
    ),
    (
        "added-licensee",  # "A has added B to its licensees"
        "licensor-first",
        0.8,
        re.compile(
            _active(r"added|adds|will add")
            + r"\s+"
            + LEAD
            + E.format("b")
            + r"\s+to\s+(?:its|the)\s+(?:list of\s+|roster of\s+|growing\s+)?(?P<asset>licensees)",
            re.I,
        ),
    ),
    (
        "licensing-of-to",  # "A's licensing of its candidate to B"
        "licensor-first",
        0.8,
        re.compile(
            OWNER.format("a")
            + r"\s+(?:(?:out-?)?licen[cs]ing|sale|divestment|divestiture|transfer)\s+of\s+"
            r"(?P<asset>[^⟨⟩.;]{0,80}?)\s+to\s+" + LEAD + E.format("b"),
            re.I,
        ),
    ),
    (
        "announced-licensing-of-to",  # "A today announced the out-licensing of X to B"
        "licensor-first",
        0.8,
        re.compile(
            _active(r"announced|announces|completed|completes|confirmed|disclosed|unveiled")
            + r"\s+(?:the|its|an?)\s+(?:(?:out-?)?licen[cs]ing|sale|divestment|divestiture|transfer)"
            r"\s+of\s+(?P<asset>[^⟨⟩.;]{0,80}?)\s+to\s+" + LEAD + E.format("b"),
            re.I,
        ),
    ),
    (
        "buys-as-other-sells",  # "A has agreed to acquire, and B has agreed to sell, the patents"
        "licensee-first",
        0.8,
        re.compile(
            E.format("a")
            + r"\s+(?:(?:has|have|had)\s+)?(?:conditionally\s+)?agreed\s+to\s+(?:acquire|purchase|buy)"
            r",?\s+and\s+"
            + E.format("b")
            + r"\s+(?:(?:has|have|had)\s+)?(?:conditionally\s+)?agreed\s+to\s+(?:sell|transfer|assign)"
            r",?\s+(?P<asset>[^⟨⟩.;]{0,120})",
            re.I,
        ),
    ),
    (
        "taking-of-from",  # "A's in-licensing of X from B", "A announced the acquisition of X from B"
        "licensee-first",
        0.8,
        re.compile(
            r"(?:"
            + OWNER.format("a")
            + r"|"
            + _active(
                r"announced|announces|completed|completes|closed|closes|confirmed|unveiled|"
                r"finali[sz]ed"
            ).replace("(?P<a>", "(?P<c>", 1)
            + r"\s+(?:the|its|an?))\s+(?:in-?licen[cs]ing|acquisition|purchase)\s+of\s+"
            r"(?P<asset>[^⟨⟩.;]{0,80}?)\s+from\s+" + LEAD + E.format("b"),
            re.I,
        ),
    ),
    (
        "passive-licensed-to",  # "B's X was licensed to A"
        "owner-passive",
        0.8,
        re.compile(
            E.format("b") + r"\s+(?P<asset>[^⟨⟩]{0,80}?)\s+(?:was|were|has been|had been|is|are)\s+"
            r"(?:exclusively\s+)?(?:out-?)?licen[cs]ed\s+to\s+" + E.format("a"),
            re.I,
        ),
    ),
    (
        "in-licensing-with",  # "A struck three deals, including an in-licensing agreement with B"
        "licensee-first",
        0.8,
        re.compile(
            E.format("a")
            + r"[^⟨⟩.;]{0,200}?\b(?:an?|the|its|their)\s+(?:[\w-]+\s+){0,2}?in-?licen[cs]ing\s+"
            r"(?:agreement|deal|pact|contract|transaction)\s+with\s+" + LEAD + E.format("b"),
            re.I,
        ),
    ),
)

# For each role rule, words one of which its pattern cannot match without (lower case): a cheap
# test before the costlier pattern.
_OWNED = ("'", "’")
_RULE_NEEDS: dict[str, tuple[str, ...]] = {
    "paid-by": ("from",),
    "licensed-from": ("from",),
    "in-licensing-with": ("in-licen", "inlicen"),
    "rights-to-owner": _OWNED,
    "rights-developed-by": (" by ", " at ", "that "),
    "signed-for-owner": _OWNED,
    "licensed-owner": _OWNED,
    "licensed-of": (" of ",),
    "passive-granted-owner": _OWNED,
    "joint-owner": ("co-", "jointly"),
    "pays-for-rights": ("pa", "hand"),
    "licensed-to": (" to ",),
    "granted-rights-to": (" to ",),
    "licensed-to-do": (" to ",),
    "payment-to": ("payment",),
    "pays-for-rights-to-owner": ("pay", "paid"),
    "granted": ("grant", "gave", "give", "award", "hand"),
    "deal-gives": ("give", "grant", "provide", "offer"),
    "passive-acquired": (" by ",),
    "reported-taker": ("said", "says", "announced", "confirmed", "disclosed", "told"),
    "according-to-taker": ("according",),
    "owner-then-passive-taker": ("been licen", "been in-licen", "been inlicen"),
    "passive-granted": (" by ",),
    "spun-into": ("into",),
    "spun-into-named": ("into",),
    "added-to-pipeline": ("pipeline", "portfolio"),
    "sells-owner-s-under-licence": ("licen",),
    "rights-under-agreement-with": (
        "agreement with",
        "deal with",
        "pact with",
        "partnership with",
        "collaboration with",
        "arrangement with",
    ),
    "under-licence-from-after": ("licence", "license"),
    "buys-owner-s": ("acqui", "bought", "buy", "purchas"),
    "launched-newco": ("launch", "form", "creat", "set up", "establish", "unveil"),
    "makes-with-technology-from": ("technology", "know-how", "process", "patents"),
    "makes-under-licence": ("licence", "license"),
    "licensee-of": ("licensee ",),
    "passive-from-by": (" by ",),
    "reported-user-under-licence": ("licen",),
    "under-licence-from": ("under ",),
    "as-licensee": ("licensee",),
    "chosen-to-commercialise": ("commerciali", "market"),
    "joined-licensees": ("licens", "pool"),
    "taker-and-keeper": ("keep", "retain", "hold", "reserve"),
    "taker-then-reporter": ("said", "says", "announced", "confirmed", "disclosed"),
    "passive-licensed-by": (" by ",),
    "owner-licensed-by": (" by ",),
    "in-licensed-by-from": (" by ",),
    "from-owner-licensed-by": (" by ",),
    "added-licensee": ("licensees",),
    "licensing-of-to": ("ing of", "sale of", "ment of", "iture of", "transfer of"),
    "announced-licensing-of-to": ("ing of", "sale of", "ment of", "iture of", "transfer of"),
    "taking-of-from": ("licensing of", "licencing of", "acquisition of", "purchase of"),
    "passive-licensed-to": ("licensed to", "licenced to"),
    "buys-as-other-sells": ("agreed to sell", "agreed to transfer", "agreed to assign"),
}

_DEAL_NOUN = (
    r"(?:agreement|deal|pact|contract|partnership|collaboration|arrangement|alliance|tie-up|"
    r"term sheet|terms)"
)
_LICENCE_WHAT = (
    r"patent\s+licen[cs]ing|patent\s+licen[cs]e|cross-licen[cs]ing|out-licen[cs]ing|licen[cs]ing|"
    r"licen[cs]e|technology\s+transfer|technology\s+licen[cs]ing"
)
_AGREEMENT = re.compile(
    E.format("a")
    + r"(?:"
    + APPOSITION  # "A, an AI drug discovery company, and B today announced"
    + ROLE_APPOSITION
    + r"\s+and\s+"
    + E.format("c")
    + r")?"
    + SUBJECT_TAIL
    + AUX
    + r"(?:signed|reached|entered into|enters into|entered|struck|inked|concluded|sealed|"
    r"finali[sz]ed|clinched|announced|signs|reaches|strikes|inks|agreed|forged|formed)\s+"
    r"(?:an?\s+|the\s+|its\s+)?(?P<terms>[\w\s$.,-]{0,60}?)"
    r"(?P<what>(?:" + _DEAL_NOUN + r"\s+and\s+)?(?:" + _LICENCE_WHAT + r")"
    r"(?:\s+(?:and\s+\w+\s+)?" + _DEAL_NOUN + r"s?)?"
    r"|" + _DEAL_NOUN + r"s?)\b(?:\s*\([^()⟨⟩]{0,80}\))?"
    r"(?:(?:\s+(?:worth|valued at)\s+[^⟨⟩,;]{0,40}?)?"
    r"\s+with\s+(?P<pre>[^⟨⟩]{0,30}?)" + E.format("b") + r")?",
    re.I,
)
_BETWEEN = re.compile(
    r"(?P<what>patent\s+licen[cs]ing|patent\s+licen[cs]e|licen[cs]ing|licen[cs]e|"
    r"co-?development|co-?commerciali[sz]ation)\s+"
    r"(?:agreement|deal|pact)\s+between\s+"
    + LEAD
    + E.format("a")
    + r"\s+and\s+"
    + LEAD
    + E.format("b"),
    re.I,
)
# Clauses after "A signed an agreement with B" that name who takes the licence or who grants it.
_TAKER = r"(?:will|would|is to|shall|can|may|is set to|to)?\s*(?:also\s+)?"
_NAMED_LICENSEE = re.compile(
    r"\b(?:giving|granting|gives|grants|gave|granted|grant|give|offering|providing|allowing|"
    r"letting|enabling|permitting)\s+(?:to\s+)?⟨(?P<x>\d+)⟩"
    r"|⟨(?P<y>\d+)⟩[^⟨⟩;.]{0,80}?\b(?:receiv|get|gain|obtain|acquir|tak|hav|hold)(?:es?|s|ing)?\s+"
    r"(?:the\s+|an?\s+)?(?:[\w-]+,?\s+){0,4}?(?:rights?|licen[cs]e|access|option)\b"
    r"|⟨(?P<z>\d+)⟩(?:,[^,⟨⟩;]{1,120},|,\s+(?:which|who))?\s+"
    + _TAKER
    + r"(?!be\b)(?:\w+\s+)?(?:develop|sell|"
    r"commerciali[sz]e|market|manufacture|produce|use|deploy|distribute|pay|pays|paid|make\s+(?:an?\s+)?(?:[\w-]+\s+)?payments?)\b",
    re.I,
)
_NAMED_LICENSOR = re.compile(
    r"⟨(?P<x>\d+)⟩\s+(?:will|would|is to|shall|stands to|could|may|is eligible to)?\s*"
    r"(?:receive|get|collect|earn|be paid|is paid|gets paid)s?\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:US\$|HK\$|[$€£¥]|\d|up-?front|payments?\b|fees?\b|royalt|milestones?\b)"
    r"|\b(?:in-?)?licen[cs]e\s+⟨(?P<y>\d+)⟩['’]s?"
    r"|\b(?:rights?|access|licen[cs]e)\s+(?:to|for|over|on)\s+(?:use\s+)?⟨(?P<z>\d+)⟩['’]s?"
    r"|\bfrom\s+⟨(?P<w>\d+)⟩|\b(?:for|covering|over|on|involving)\s+(?:[A-Z][\w-]*\d[\w-]*,\s+)?"
    r"⟨(?P<v>\d+)⟩['’]s?"  # "for VX-12, B's antiviral"
    r"|\bfor\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?,\s+⟨(?P<u>\d+)⟩['’]s\b",  # "for Lumo, B's app"
    re.I,
)
# Right after "A signed a deal (worth ...)": "for rights to B's X" names the owner.
_RIGHTS_OF = re.compile(
    r"(?:\s+(?:worth|valued at)\s+[^⟨⟩,;]{0,40}?)?\s+for\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:rights?|licen[cs]e|access)\s+(?:to|for|over|on)\s+⟨(?P<z>\d+)⟩['’]s?",
    re.I,
)
# Unnamed cues: after "A signed a licensing agreement with B", which way does the licence go?
_FIRST_IS_LICENSOR = re.compile(
    r"\bto\s+(?:out-?)?licen[cs]e\s+(?:its|their|the)\b|\bto\s+(?:grant|transfer|provide|supply)\b"
    r"|\bfor\s+its\b",
    re.I,
)
_FIRST_IS_LICENSEE = re.compile(
    r"\bto\s+(?:use|acquire|access|obtain|adopt|employ|in-?licen[cs]e|gain access|manufacture|"
    r"produce|make|develop|commerciali[sz]e|sell|market|build)\b|\bfrom\s+the latter"
    r"|\bunder which it\s+(?:will|would)\s+(?:pay|gain|obtain|get|develop|sell|commerciali[sz]e)\b"
    r"|\b(?:taking|gaining|acquiring|obtaining|securing|winning)\s+(?:the\s+|an?\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:rights?|licen[cs]e|access)\b"
    r"|\bfor\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:rights?|licen[cs]e|access)\s+(?:to|for|over|on)\b",
    re.I,
)
# A bare "agreement" or "deal" is a licence only when what follows speaks of rights or a licence,
# or has one party develop or sell what the other owns ("B will develop and sell A's drug").
_LICENCE_CUE = re.compile(
    r"licen[cs]|\brights?\b|patent|know-how|technology transfer"
    r"|\b(?:develop|sell|commerciali[sz]e|market|manufacture|distribute)\b[^.;⟨⟩]{0,30}⟨\d+⟩['’]s?",
    re.I,
)
# Weaker: an agreement "covering" a technology or process is a licence of it unless the agreement
# is named as another kind ("a supply agreement covering motor technology").
_TECHNOLOGY_CUE = re.compile(r"\bcovering\b|technolog|\bprocess\b", re.I)
_OTHER_AGREEMENT = re.compile(
    r"suppl|distribut|research|manufactur|service|purchas|sales|joint venture|collaborat|"
    r"framework|cooperat|memorandum|strategic",
    re.I,
)

_TERRITORIES = (
    r"(?:mainland |Greater )?China|the United States|the U\.S\.|the US|Europe|the European Union|"
    r"the EU|Japan|South Korea|Korea|Asia|North America|Southeast Asia|the Middle East|Latin America|"
    r"India|Canada|the UK|the United Kingdom|Australia"
)
_TERRITORY = re.compile(
    r"\b(?P<ww>worldwide|global)\b"
    r"|\b(?P<ex>outside(?: of)?|excluding|ex-)\s*(?P<exwhere>" + _TERRITORIES + r")"
    r"|\b(?:in|for|across|covering)\s+(?P<where>"
    + _TERRITORIES
    + r")(?:(?:,|\s+and)\s+(?P<more>"
    + _TERRITORIES
    + r"))?",
)
_ASSET_LEAD = re.compile(
    r"^(?:(?:the|a|an|its|their|his|her|exclusive|non-exclusive|global|worldwide|regional|"
    r"commercial|development|and|patent|licen[cs]es?|licen[cs]ing|rights?|to|for|of|in)\s+)+",
    re.I,
)
_ASSET_TAIL = re.compile(
    r"\s+(?:in|for|outside|across|covering|excluding)\s+(?:"
    + _TERRITORIES
    + r")\b.*$|\s+(?:on|last|this)\s+\w+$|\s+for\b.*$",
    re.I,
)

_UNDISCLOSED = UNDISCLOSED  # its wordings live in data/ingest/terms.toml
_PLURAL_DEALS = re.compile(r"\b(?:agreements|deals|licen[cs]es|transactions|both)\b", re.I)


def undisclosed_for(sentence: str) -> str | None:
    """'one' when the sentence says a deal's terms were not disclosed, 'all' when it says so of
    several deals ("terms of the agreements were not disclosed"), else None."""
    if not _UNDISCLOSED.search(sentence):
        return None
    return "all" if _PLURAL_DEALS.search(sentence) else "one"


_TERMS_SENTENCE = re.compile(
    r"up-?front|milestone|equity|royalt|the (?:deal|agreement|terms|licen[cs]e|transaction)|"
    r"under the|\bpa(?:y|ys|id|ying)\b|payments?|\b(?:receive|receives|gets?|earns?)\b|shares|"
    r"\bstake\b|worth|valued|for the rights",
    re.I,
)
_TERMS_SENTENCE_NOCASE = NoCase(_TERMS_SENTENCE)


# --- The deal being read ----------------------------------------------------------------------


@dataclass
class Draft:
    """A deal being assembled while its following sentences are read."""

    proposal: Proposal
    figures: list[ProposedFigure] = field(default_factory=list)
    age: int = 0
    # Milestone amounts by the kinds they are for (empty: not said), in the order read.
    milestones: dict[frozenset[str], ProposedFigure] = field(default_factory=dict)
    royalty: str | None = None
    stage: str | None = None
    evidence_of: dict[str, str] = field(default_factory=dict)  # field -> the sentence it is from
    # The same licence taken by the other companies listed with the licensee, one deal each.
    co_takers: list[Draft] = field(default_factory=list)
    # Told as a deal of its own ("The second arrangement gives ..."): never folded into another.
    separate: bool = False

    def finished(self) -> Proposal:
        """The proposal with everything read for it: figures, royalty, stage, evidence."""
        return replace(
            self.proposal,
            figures=self.all_figures(),
            royalty=self.royalty,
            stage=self.stage,
            evidence_of=dict(self.evidence_of),
        )

    def note(self, fields: tuple[str, ...], sentence: str) -> None:
        """Record the sentence these fields were read from, unless an earlier one gave them."""
        for name in fields:
            self.evidence_of.setdefault(name, sentence)

    def all_figures(self) -> tuple[ProposedFigure, ...]:
        """The figures with the milestones: a stated total of milestones if there is one, else
        the parts added up (kept by kind too: "$140 million in development milestones, $300
        million in regulatory milestones")."""
        parts = self.milestones
        by_kind = [
            replace(figure, role=f"milestones_{next(iter(kinds))}")
            for kinds, figure in parts.items()
            if len(kinds) == 1
        ]
        if frozenset() in parts or len(parts) == 1:
            whole = parts.get(frozenset()) or next(iter(parts.values()))
            return (*self.figures, whole, *by_kind)
        if not parts:
            return tuple(self.figures)
        figures = list(parts.values())
        if len({f.unit for f in figures}) > 1:
            return (*self.figures, figures[0], *by_kind)
        whole = replace(
            figures[0],
            value=sum(f.value or 0 for f in figures),
            value_usd=sum(f.value_usd for f in figures)
            if all(f.value_usd for f in figures)
            else None,
            approx=next((f.approx for f in figures if f.approx), None),
        )
        return (*self.figures, whole, *by_kind)


_DEAL_TOPIC = re.compile(
    r"licen[cs]|\brights?\b|technolog|patent|know-how|access to|\bunder which\b|commerciali[sz]|"
    r"co-develop|jointly develop|\boption\b|platform|\bassets?\b|portfolio|programme|\bprogram|"
    r"signed up for|intellectual property|\bcandidates?\b|"
    r"\bcarv|\bspin|\bspun\b|new(?:ly formed)? company|newco|product line|"
    r"\b(?:second|third) (?:agreement|deal)",
    re.I,
)
# Every wording of _DEAL_TOPIC holds one of these words: keep them in step.
_DEAL_TOPIC_CUED = NoCase(
    _DEAL_TOPIC,
    cues=(
        "licen",
        "right",
        "technolog",
        "patent",
        "know-how",
        "access to",
        "under which",
        "commerciali",
        "co-develop",
        "jointly develop",
        "option",
        "platform",
        "asset",
        "portfolio",
        "program",
        "signed up for",
        "intellectual property",
        "candidate",
        "carv",
        "spin",
        "spun",
        "company",
        "newco",
        "product line",
        "second agreement",
        "second deal",
        "third agreement",
        "third deal",
    ),
)


# A product named by its code ("QR-8"): what a deal may be about though no deal word is said.
_PRODUCT_CODE = re.compile(r"\b[A-Z]{1,5}-\d{1,5}\b")


def _about_a_deal(sentence: str, mentions: list[Mention]) -> bool:
    """Whether the sentence speaks of what deals are about; a taker named alone may say only
    what it pays (see _TAKER_PAYS)."""
    return bool(
        _DEAL_TOPIC_CUED.search(sentence, lowered(sentence))
        or ("-" in sentence and _PRODUCT_CODE.search(sentence))
        or (len(mentions) == 1 and "pay" in sentence)
    )


# "It", "Separately, it", "In a second deal, the company": the subject of the sentence before.
_PRONOUN_SUBJECT = re.compile(
    r"(?:(?:Separately|Meanwhile|Also|Additionally|In addition|Earlier|Later|"
    r"In (?:a|another) [\w\s-]{0,30}?),\s+|"
    r"(?:On \w+day|Last week|This week|Today|On the same day),?\s+)?"  # "On Monday it licensed"
    r"(?P<it>It|it|The company|the company|The firm|the firm|The group|the group|The drugmaker)\b"
)


def read_deal(
    sentence: str,
    mentions: list[Mention],
    published: date | None,
    year: int | None,
    last_subject: Org | None = None,
    previous: Proposal | None = None,
) -> Draft | None:
    """The deal the sentence states, with the terms stated alongside it; None when it states none.
    A leading "It" stands for ``last_subject``, the company the sentence before began with;
    ``previous`` is the deal just read, whose licensor one more licensee may take the same from."""
    pronoun = _PRONOUN_SUBJECT.match(sentence)
    if pronoun and last_subject is not None and (not mentions or mentions[0].start > 0):
        # "It also sold the rights to Varga": the subject of the sentence before.
        mentions = [Mention(pronoun.start("it"), pronoun.end(), last_subject), *mentions]
    if "-" in sentence:
        mentions = _parties_only(sentence, mentions)
    mentions = _with_their_dots(sentence, mentions)
    if not _about_a_deal(sentence, mentions):
        return None
    if last_subject is not None and "licensees" in sentence:
        listed = _listed_takers(sentence, mentions, published, year, last_subject)
        if listed is not None:
            return listed
    grantor = previous.licensor if previous is not None else None
    if len(mentions) == 1 and (last_subject is not None or grantor is not None):
        marked = mark(sentence, mentions)
        found = _same_grantor(marked, mentions, grantor) if grantor is not None else None
        if found is not None and previous is not None:  # the same rights: the same kind
            draft = _draft(sentence, mentions, published, year, found)
            draft.proposal = replace(draft.proposal, kind=previous.kind)
            return draft
        if last_subject is not None:
            found = _taker_alone(marked, mentions, _grantor_in_story(last_subject, previous))
        return None if found is None else _draft(sentence, mentions, published, year, found)
    if len(mentions) < 2:
        return None
    marked = plain_lists(mark(sentence, mentions))
    if "⟩ ⟨" in marked:
        marked = _one_mark_per_name(marked, mentions)
    found = (
        _role_rule(marked, mentions)
        or _agreement_rule(marked, mentions, _defined_roles(sentence, mentions))
        or _joint_rule(marked, mentions)
        or _cued_rule(marked, mentions)
    )
    if found is None and last_subject is not None and not _OTHER_OWNER.search(marked):
        # "B will take rights to QL-1, an antibody targeting TNF": the other names are no party
        found = _taker_alone(marked, mentions, last_subject)
    if found is None:
        return None
    draft = _draft(sentence, mentions, published, year, found)
    if draft.proposal.licensor is None:
        _giver_to_many(draft, marked, mentions)
    draft.co_takers = _co_taker_drafts(draft, marked, mentions)
    return draft


def _giver_to_many(draft: Draft, marked: str, mentions: list[Mention]) -> None:
    """An agreement read without a direction takes it when one company signs licence
    agreements with a list of several: it grants, they take."""
    roles = giver_to_many(marked, [m.org.name for m in mentions])
    if roles is None:
        return
    licensor, licensee = (_party(mentions, str(i)) for i in roles)
    if licensor is None or licensee is None:
        return
    if {licensor.name, licensee.name} != {p.name for p in draft.proposal.parties}:
        return
    why = f"{draft.proposal.why}; direction from agreements with several"
    draft.proposal = replace(draft.proposal, licensor=licensor, licensee=licensee, why=why)
    draft.note(("licensor", "licensee"), draft.proposal.evidence)


# A name read as a company but used as a place ("a Dubai Science Park-based developer"), or an
# acronym read as a company but describing a thing ("a PPO-inhibitor herbicide").
_PLACE_AFTER = re.compile(r"(?:\s+[A-Z][\w.]*){0,2}-(?:based|headquartered)\b")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,4}")
_MODIFIER_AFTER = re.compile(r"-[a-z]")


# The dot of an abbreviated legal form left after a name ("Ltda., the seed company, has"),
# with the sentence going on after it.
_NAME_DOT = re.compile(r"\.(?=,|\s+[a-z])")


def _with_their_dots(sentence: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions, each taking the abbreviation dot that follows it, so that a rule reads
    "⟨0⟩, the seed company, has signed" rather than a sentence ending after the name."""
    if not any(_NAME_DOT.match(sentence, m.end) for m in mentions):
        return mentions
    return [
        Mention(m.start, m.end + 1, m.org) if _NAME_DOT.match(sentence, m.end) else m
        for m in mentions
    ]


def _parties_only(sentence: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions without those that only say where another company is based or describe
    what the deal is about."""
    return [
        m
        for m in mentions
        if not _PLACE_AFTER.match(sentence, m.end)
        and not (
            _MODIFIER_AFTER.match(sentence, m.end) and _ACRONYM.fullmatch(sentence, m.start, m.end)
        )
    ]


# Words a sentence founding a company, or naming the one founded, holds.
_NEWCO_WORDS = ("new", "venture", "jv")
# Words a founder putting rights into the company founded uses.
_FOUNDER_GIVES = ("contribut", "licen", "grant", "transfer", "assign")


def founded_org(sentence: str, mentions: list[Mention]) -> Org | None:
    """The company the sentence says is being founded ("the formation of C, a new company")."""
    if not mentions or not holds_any(sentence.lower(), _NEWCO_WORDS):
        return None
    index = founded(mark(sentence, mentions))
    return mentions[index].org if index is not None and index < len(mentions) else None


def newco_deal(
    sentence: str,
    mentions: list[Mention],
    newco: Org,
    published: date | None,
    year: int | None,
) -> Draft | None:
    """A founder putting a licence or its technology into the company founded in the story:
    the founder licenses to the NewCo ("A will contribute an exclusive licence to its patents")."""
    if not mentions or not holds_any(sentence, _FOUNDER_GIVES):
        return None
    marked = mark(sentence, mentions)
    found = contributor(marked) or licenses_to_newco(marked)
    if found is None:
        return None
    grantor = _party(mentions, str(found[0]))
    if grantor is None or grantor.name == newco.name:
        return None
    taker = Party(newco.name, newco.company_id)
    what = f"newco {found[1]}"
    return _draft(
        sentence,
        mentions,
        published,
        year,
        (grantor, taker, (grantor, taker), "rule contributed to a NewCo", 0.7, None, what),
    )


def counted_grantor(sentence: str, mentions: list[Mention]) -> Org | None:
    """The company a sentence says licensed to takers it counts but does not name ("A has
    licensed the technology to two new partners"); the takers follow."""
    if "licen" not in sentence or not mentions or not counts_takers(sentence):
        return None
    index = licensed_to_counted(mark(sentence, mentions))
    return mentions[index].org if index is not None and index < len(mentions) else None


def counted_taker_deal(
    grantor: Org, sentence: str, mentions: list[Mention], published: date | None, year: int | None
) -> Draft | None:
    """The deal of one of the takers counted before, named in a sentence of its own by what it
    will do with the licensed thing ("B, a Japanese smelter, will use the process")."""
    if not mentions:
        return None
    named = [m.org.name for m in mentions]
    at = named.index(grantor.name) if grantor.name in named else -1
    index = counted_taker(mark(sentence, mentions), at)
    taker = _party(mentions, str(index)) if index is not None else None
    if taker is None or taker.name == grantor.name:
        return None
    licensor = Party(grantor.name, grantor.company_id)
    found = (licensor, taker, (taker, licensor), "rule counted taker", 0.65, None, None)
    return _draft(sentence, mentions, published, year, found)


def passive_taker(sentence: str, mentions: list[Mention]) -> Org | None:
    """The company a sentence says has licensed something as its taker ("X has been licensed
    by B"), its licensor left to a following sentence."""
    if "licen" not in sentence or not mentions:
        return None
    index = licensed_by_taker(mark(sentence, mentions))
    return mentions[index].org if index is not None and index < len(mentions) else None


def owner_deal(
    told: tuple[str, list[Mention], Org],
    sentence: str,
    mentions: list[Mention],
    published: date | None,
    year: int | None,
) -> Draft | None:
    """The deal of a passive taker once a following sentence names whose the licensed thing is
    ("The core comes from A"); read from the sentence that told the licence."""
    if not mentions or ("from" not in sentence and " by " not in sentence):
        return None
    index = owner_named(mark(sentence, mentions))
    told_sentence, told_mentions, taker_org = told
    if index is None or index >= len(mentions) or mentions[index].org.name == taker_org.name:
        return None
    owner, taker = mentions[index].org, taker_org
    grantor = Party(owner.name, owner.company_id)
    taker_party = Party(taker.name, taker.company_id)
    found = (grantor, taker_party, (grantor, taker_party), "rule passive taker", 0.65, None, None)
    draft = _draft(told_sentence, told_mentions, published, year, found)
    draft.proposal = replace(draft.proposal, evidence=f"{told_sentence} {sentence}")
    draft.evidence_of["licensor"] = sentence
    return draft


def _listed_takers(
    sentence: str,
    mentions: list[Mention],
    published: date | None,
    year: int | None,
    last_subject: Org,
) -> Draft | None:
    """ "The licensees are A, B and C" right after a sentence whose subject licensed without
    naming them: one deal per listed company, that subject the licensor of each."""
    marked = mark(sentence, mentions)
    takers = [_party(mentions, str(i)) for i in named_takers(marked)]
    takers = [t for t in takers if t is not None and t.name != last_subject.name]
    if not takers:
        return None
    grantor = Party(last_subject.name, last_subject.company_id)
    first, *rest = takers
    found = (grantor, first, (first, grantor), "rule listed licensees", 0.7, None, sentence)
    draft = _draft(sentence, mentions, published, year, found)
    fields = ("licensor", "licensee", "date")
    deal = draft.proposal
    draft.co_takers = [_for_taker(deal, grantor, t, fields, deal.territory) for t in rest]
    return draft


def _co_taker_drafts(draft: Draft, marked: str, mentions: list[Mention]) -> list[Draft]:
    """One deal for each company listed with the licensee ("to A, B and C"): the same licensor,
    kind and asset; no terms, since the sentence does not give each its own."""
    deal = draft.proposal
    if deal.licensor is None or deal.licensee is None:
        return []
    names = [m.org.name for m in mentions]
    licensee = _index_of(names, deal.licensee.name, marked)
    if licensee is None:
        return []
    licensor = _index_of(names, deal.licensor.name, marked)
    drafts = []
    for index in co_takers(marked, licensee, licensor):
        taker = _party(mentions, str(index))
        if taker is None or taker.name in (deal.licensor.name, deal.licensee.name):
            continue
        fields = ("licensor", "licensee", "date") + (("asset",) if deal.asset else ())
        drafts.append(_for_taker(deal, deal.licensor, taker, fields, None))
    return drafts


def _for_taker(
    deal: Proposal, licensor: Party, taker: Party, fields: tuple[str, ...], territory: str | None
) -> Draft:
    """The same deal for one more taker of the same licensor, its ``fields`` evidenced by the
    sentence that told the deal."""
    proposal = replace(deal, licensee=taker, parties=(taker, licensor), territory=territory)
    taken = Draft(proposal)
    taken.note(fields, deal.evidence)
    return taken


def _index_of(names: list[str], name: str, marked: str) -> int | None:
    """The index of the marker that stands for ``name`` in the marked sentence."""
    for index, each in enumerate(names):
        if each == name and f"⟨{index}⟩" in marked:
            return index
    return None


_TWO_MARKS = re.compile(r"⟨(\d+)⟩ ⟨(\d+)⟩")


def _cued_rule(marked: str, mentions: list[Mention]) -> _Found | None:
    """A deal no frame reads, when the general cues of deal_cues decide its direction."""
    names = [m.org.name for m in mentions]
    roles = cued_roles(marked, names)
    if roles is None:
        # "⟨1⟩, ⟨2⟩ and ⟨3⟩ have each taken ...": the listed takers are one side
        one, same = as_one_taker(marked)
        if not same:
            return None
        roles = cued_roles(one, [names[same.get(i, i)] for i in range(len(names))])
    if roles is None:
        return None
    licensor, licensee = (_party(mentions, str(i)) for i in roles)
    if licensor is None or licensee is None:
        return None
    return (licensor, licensee, (licensee, licensor), "rule cued", 0.6, None, None)


def _one_mark_per_name(marked: str, mentions: list[Mention]) -> str:
    """ "the Chinese drugmaker Meiyang Biotech's": a description and the name of one company, side
    by side, are one party."""

    def one(match: re.Match[str]) -> str:
        first, second = (mentions[int(i)].org.name for i in match.groups())
        return f"⟨{match[2]}⟩" if first == second else match[0]

    return _TWO_MARKS.sub(one, marked)


def _draft(
    sentence: str,
    mentions: list[Mention],
    published: date | None,
    year: int | None,
    found: _Found,
) -> Draft:
    """The deal a rule found, dated and with the terms its sentence states."""
    licensor, licensee, parties, rule, confidence, asset_text, what = found
    if any(p is not None and p.company_id is None for p in (licensor, licensee)):
        confidence -= 0.05  # a name recognised by its shape alone may be misread
    # A relative clause about a party (", which raised $90 million in March,") dates and prices
    # something else; the deal's date and terms are read without it.
    own = _RELATIVE_CLAUSE.sub(",", sentence)
    kind = _kind(what or sentence)
    if kind == "licence" and "asset purchase" in sentence.lower():
        kind = "asset_purchase"  # "acquired global rights to X from B under an asset purchase agreement"
    proposal = Proposal(
        kind=kind,
        evidence=sentence,
        confidence=round(confidence, 2),
        why=rule,
        licensor=licensor,
        licensee=licensee,
        parties=parties,
        asset=_asset(asset_text, mentions),
        territory=_territory(sentence),
        period=_deal_period(own, published),
    )
    draft = Draft(proposal)
    read = ("licensor", "licensee") if licensor is not None else ("parties",)
    read += tuple(name for name in ("asset", "territory") if getattr(proposal, name))
    draft.note((*read, "date"), sentence)
    attach_terms(draft, own, mentions, year, in_deal_sentence=True)
    return draft


_LATER_CLAUSE = re.compile(r",\s+(?:and|but|while|whereas)\s|;")


def _deal_period(sentence: str, published: date | None) -> str | None:
    """The date the sentence gives the deal, else the article's. A bare year that is the
    article's own ("later this year") says less than the article's date, and a later bare year
    is a plan's, not the deal's."""
    # The main clause's date is the deal's: "licensed it to B in 2022, and B has run a unit
    # since last year" dates the licence to 2022.
    main = _LATER_CLAUSE.split(sentence, maxsplit=1)[0]
    period = find_period(main, published)
    if period is None and main != sentence:
        period = find_period(sentence, published)
    if published is not None and period in (None, str(published.year)):
        return published.isoformat()
    if published is not None and period and period.isdigit() and int(period) > published.year:
        return published.isoformat()  # "a plant that opens in 2027": a plan, not the deal
    return period


# Between "A will receive" and "from B": money, not rights (that would make A the licensee).
_PAYMENT_GAP = re.compile(
    r"(?!.*\b(?:rights?|licen[cs]e|technology|patents?|back)\b)"  # "gets X-5 back": rights returned
    r".*(?:US\$|HK\$|[$€£¥]|(?<![\w-])\d|\bpayments?\b|\bfees?\b|up-?front|royalt|milestones?).*",
    re.I | re.S,
)

_TAKEN_BACK = re.compile(
    r"\b(?:gets?|got|getting|takes?|taken|took|taking|buys?|bought|wins?|won)\s+(?:[\w-]+\s+){0,5}?back\b"
    r"|\btermination\b",
    re.I,
)
_MONEY_FIRST = re.compile(r"\s*(?:an?\s+)?(?:US\$|HK\$|[$€£¥]|(?:[A-Z]{3}\s?)?\d)")

_UNDER_LICENCE = re.compile(r"\b[Uu]nder\s+(?:a|an|the|its)\s+(?:[\w-]+\s+){0,3}?licen[cs]e\b")

_Found = tuple[Party | None, Party | None, tuple[Party, ...], str, float, str | None, str | None]


# "A contributes the molecule, and grants B rights": a second predicate of the same subject, read
# as if it followed the subject directly.
_SECOND_PREDICATE = re.compile(
    r"(?P<subject>⟨\d+⟩)\s+(?:also\s+)?[a-z]+(?:s|ed)\b[^⟨⟩;.]{0,120}?,?\s+and\s+"
    r"(?:also\s+|will\s+)?"
    r"(?=(?:grant|give|gave|licen[cs]|out-licen[cs]|transfer|sell|sold|award)\w*\s)"
)


_SECOND_VERBS = ("grant", "give", "gave", "licen", "transfer", "sell", "sold", "award")


def _role_rule(marked: str, mentions: list[Mention]) -> _Found | None:
    """The first role rule the sentence meets; failing that, the same with a subject's second
    predicate read right after it ("A brings the patents, and grants B rights")."""
    found = _first_role_rule(marked, mentions)
    if found is None and " and " in marked and any(w in marked for w in _SECOND_VERBS):
        second = _SECOND_PREDICATE.search(marked)
        if second is not None:
            joined = marked[: second.end("subject")] + " " + marked[second.end() :]
            found = _first_role_rule(joined, mentions)
    return found


def _first_role_rule(marked: str, mentions: list[Mention]) -> _Found | None:
    lowered = marked.lower()
    for name, shape, confidence, pattern in ROLE_RULES:
        needs = _RULE_NEEDS.get(name)
        if needs and not holds_any(lowered, needs):
            continue  # a word the rule cannot match without is missing: skip the pattern
        match = pattern.search(marked)
        if not match:
            continue
        groups = match.groupdict()
        if shape == "passive":
            owner = groups.get("b") or groups.get("d")
            taker = groups.get("a") or groups.get("c")
        elif shape == "joint":
            owner = groups["b"]
            named = {_party(mentions, groups["a"]), _party(mentions, groups["c"])}
            taker = (
                groups["c"]
                if _party(mentions, owner) == _party(mentions, groups["a"])
                else groups["a"]
            )
            if _party(mentions, owner) not in named:
                continue
        else:
            owner, taker = groups.get("b"), groups.get("a") or groups.get("c")
            if shape == "licensor-first":
                owner, taker = taker, owner
        licensor, licensee = _party(mentions, owner), _party(mentions, taker)
        if (
            name == "launched-newco"
            and licensor
            and owner
            and investor(marked, owner, licensor.name)
        ):
            licensor = _party(mentions, co_founder(marked, owner))  # it brings the asset
        if licensor is None or licensee is None or licensor.name == licensee.name:
            continue
        if name == "paid-by" and not _PAYMENT_GAP.fullmatch(groups["asset"]):
            continue
        if _TAKEN_BACK.search(match.group(0)):
            continue  # "A took back the rights from B": a licence ended, not a new one
        if name == "granted" and _MONEY_FIRST.match(groups["asset"]):
            continue  # "A will hand B $30 million for the rights": A pays, B grants
        if name == "pays-for-rights-to-owner" and re.search(r"\bwould\b", match.group(0)):
            continue  # "an agreement under which A would pay ...": talks, not a payment made
        if name == "makes-under-licence" and not _UNDER_LICENCE.search(marked):
            continue  # "A, which holds a licence from C, will sell cells using B's separators"
        if name in ("licensed-from", "taking-of-from") and not re.search(
            r"licen[cs]|rights|technolog|patent|know-how|portfolio|assets?\b|programs?\b|option|"
            r"programmes?\b|intellectual property|candidates?\b|compounds?\b|molecules?\b|"
            r"\b[A-Z]{1,5}-\d{1,5}\b",  # a product by its code: "bought ZX-3 from B"
            match.group(0),
            re.I,
        ):
            continue
        # "licensed B's laser patents": the kind reads to the clause end; what a licensee makes
        # and sells under a licence is no sale of the asset.
        clause = re.split(r"[,.;]", marked[match.end() :], maxsplit=1)[0]
        what = "licence" if name == "makes-under-licence" else match.group(0) + clause
        return (
            licensor,
            licensee,
            (licensee, licensor),
            f"rule {name}",
            confidence,
            groups.get("asset"),
            what,
        )
    return None


_JOINT = re.compile(
    E.format("a")
    + r"(?:\s*\([^()⟨⟩]{1,40}\))?\s+and\s+(?:[\w-]+\s+){0,3}?"
    + LEAD
    + E.format("c")
    + r"(?:,[^⟨⟩;]{1,80}?,)?\s+"
    + AUX
    + r"(?:(?:said|announced)\s+(?:on\s+\w+\s+)?(?:that\s+)?they\s+(?:would|will)\s+)?"
    + r"(?:have\s+|has\s+)?(?:"
    + _AGREED_TO
    + r"|plan|will|to)?\s*(?:to\s+)?(?P<what>co-develop|jointly develop|"
    r"co-commerciali[sz]e)"
    r"|"
    + E.format("b")
    + SUBJECT_TAIL
    + AUX
    + r"(?:(?:said|announced)\s+(?:on\s+\w+\s+)?(?:that\s+)?it\s+will\s+)?"
    r"(?P<what2>co-develop|jointly develop)[^⟨⟩.;]{0,120}?\bwith\s+" + LEAD + E.format("d"),
    re.I,
)


# "Under the new agreement, B gains exclusive rights to ...": the taker alone, as the subject.
_TAKER_ALONE = re.compile(
    r"(?:(?:Under|Through|With)\s+(?:the|its|this|that|an?)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:agreement|deal|licen[cs]e|terms|arrangement|pact|contract|transaction)[^,⟨⟩]{0,60},\s+)?"
    r"(?:(?:the\s+)?(?:NewCo|Newco|new company|newly formed company)(?:,\s+(?:called|named))?\s+)?"
    r"(?:In\s+(?:the|a)\s+[^⟨⟩,]{0,40},\s+)?"  # "In the larger of the two, "
    + LEAD
    + _active(
        r"gains|receives|obtains|takes|gets|acquires|secures|"
        r"(?:will|is to)\s+(?:[^⟨⟩.;,]{0,40}?\s+and\s+)?(?:gain|receive|obtain|take|get|acquire|secure)|"
        r"(?:has|have)\s+(?:gained|received|obtained|taken|acquired|secured)"
    )
    + r"\s+(?P<asset>(?:an?\s+|the\s+)?(?:[\w-]+,?\s+){0,4}?(?:rights?|licen[cs]e|option)\b"
    r"(?!\s+(?:payments?|fees?|period|exercise)\b)[^⟨⟩.;]{0,80})"
    r"[^.;]*[.!?][\"”’]?$",  # a whole sentence, not a heading
    re.I,
)


# "Separately, C has licensed the same patent family", "C had also been added to its licensees":
# one more licensee of the grantor of the deal just read.
_SAME_GRANTOR = re.compile(
    # At the start, after an opening phrase ("In a separate agreement signed days later, "), or
    # after "that"; a place may come before the name ("Kyoto-based B").
    r"(?:^(?:[A-Z][^⟨⟩,]{0,60},\s+)?|\bthat\s+)"
    + LEAD
    + E.format("a")
    + SUBJECT_TAIL
    + AUX
    + r"(?:(?:has|have|had)\s+)?(?:also\s+)?(?P<asset>(?:been\s+added\s+to\s+(?:its|their)\s+licensees|"
    r"(?:signed|signs)\s+(?:on|up)\s+as\s+(?:an?\s+)?(?:[\w-]+\s+)?licensee\s+(?:to|of|under)\s+"
    r"(?:the\s+same|its|their)|"
    r"(?:in-?licensed|licensed|licenses|(?:taken|took|obtained|received|secured)\s+an?\s+"
    r"(?:[\w-]+\s+){0,2}?licen[cs]e\s+(?:to|under|on|for))\s+the\s+same)\b[^⟨⟩.;]{0,80})",
)
# "The second agreement, with B, ...": one more deal of the grantor just read, named by its taker.
_NEXT_DEAL_WITH = re.compile(
    r"^(?:The|A|In\s+(?:a|the))\s+(?:second|third|other)\s+(?P<asset>agreement|deal|licen[cs]e)"
    r"(?:,\s+|\s+is\s+)with\s+(?:[\w-]+\s+){0,2}?" + E.format("a") + r"(?:,|\s+was\b)"
)


def _same_grantor(marked: str, mentions: list[Mention], grantor: Party) -> _Found | None:
    """A sentence naming only one more licensee of the grantor of the deal just read."""
    if "same" in marked or "licensees" in marked:
        match = _SAME_GRANTOR.search(marked)
    elif " with " in marked:
        match = _NEXT_DEAL_WITH.search(marked)
    else:
        return None
    taker = _party(mentions, match["a"]) if match else None
    if match is None or taker is None or taker.name == grantor.name:
        return None
    what = match.group(0)
    return (grantor, taker, (taker, grantor), "rule same grantor", 0.7, None, what)


# "B will develop and sell the drug there, paying $10 million upfront": the taker alone, paying.
_TAKER_PAYS = re.compile(
    _active(r"(?:will\s+)?(?:develop|commerciali[sz]e|market|sell)")
    + r"(?P<asset>[^⟨⟩.;]{0,100}?),?\s+(?:paying|and\s+(?:will\s+)?pays?)\s+(?:\w+\s+){0,2}?"
    r"(?:US\$|HK\$|[$€£¥]|[A-Z]{3}\s?\d|\d)",
)


def _grantor_in_story(last_subject: Org, previous: Proposal | None) -> Org:
    """Whom a taker named alone takes from: the company the sentence before began with, unless
    that company is itself the taker of the deal just read; then that deal's licensor."""
    if previous is None or previous.licensor is None or previous.licensee is None:
        return last_subject
    if previous.licensee.name != last_subject.name:
        return last_subject
    return Org(previous.licensor.name, previous.licensor.company_id)


# A second company named as owner, source or partner: the taker is not alone with the grantor.
_OTHER_OWNER = re.compile(r"⟩['’]|\b(?:from|by|with|of|to)\s+(?:the\s+)?⟨", re.I)


def _taker_alone(marked: str, mentions: list[Mention], last_subject: Org) -> _Found | None:
    """A sentence naming only the company that takes rights, at its start, right after one whose
    subject was another company: that company is the grantor the article is speaking of ("Heliant
    is carving three programmes into Solenne. Solenne receives an exclusive licence to them")."""
    match = _TAKER_ALONE.match(marked) or (_TAKER_PAYS.match(marked) if "pay" in marked else None)
    taker = _party(mentions, match["a"]) if match else None
    if match is None or taker is None or taker.name == last_subject.name:
        return None
    grantor = Party(last_subject.name, last_subject.company_id)
    what = match.group(0)
    return (grantor, taker, (taker, grantor), "rule taker alone", 0.7, match["asset"], what)


_OWNS = re.compile(r",\s+(?:which|who)\s+(?:owns|holds|discovered|invented|created)\b")


def _joint_rule(marked: str, mentions: list[Mention]) -> _Found | None:
    """'A and B will jointly develop X': a co-development whose licensee a later sentence names
    ("B receives a licence to commercialise it in Asia")."""
    match = _JOINT.search(marked)
    if match is None:
        return None
    first = _party(mentions, match["a"] or match["b"])
    second = _party(mentions, match["c"] or match["d"])
    if first is None or second is None or first.name == second.name:
        return None
    rest = marked[match.end() :]
    named = _named_direction(rest, mentions, first, second)
    if named is None and match["d"] and _OWNS.match(rest):
        named = (second, first)  # "A will co-develop X with B, which owns the drug"
    what = f"{match['what'] or match['what2']} {re.split(r'[.;]', rest, maxsplit=1)[0]}"
    if named is not None:
        return (*named, (first, second), "rule joint development (named)", 0.75, None, what)
    return (None, None, (first, second), "rule joint development", 0.45, None, what)


def _defined_roles(sentence: str, mentions: list[Mention]) -> dict[str, str]:
    """Roles the text gives by definition: 'Hanmo Biopharma (the "Licensor")' and, later, "the
    Licensee" say who grants and who takes, whatever the verb. Party name -> role."""
    roles: dict[str, str] = {}
    for mention in mentions:
        said = _DEFINED_ROLE.search(sentence, mention.start, mention.end)
        if said:
            roles.setdefault(mention.org.name, f"licens{said[1].lower()}")
        elif " as " in sentence and (named := _AS_ROLE.match(sentence, mention.end)):
            role = named[1].lower()
            taker = role in ("licensee", "purchaser", "buyer")
            roles.setdefault(mention.org.name, "licensee" if taker else "licensor")
    return roles


_DEFINED_ROLE = re.compile(r"\bLicen[cs](or|ee)\b", re.I)
# "A, as purchaser, and B, as vendor, entered into": the role a filing gives each party.
_AS_ROLE = re.compile(
    r",\s+as\s+(?:the\s+)?(licensor|licensee|purchaser|buyer|vendor|seller)\b", re.I
)


# Right after "... with B": ", which will use / develop / sell" says B takes the licence.
_WHICH_TAKES = re.compile(
    r",\s+(?:(?:which|who)\s+"
    + _TAKER
    + r"(?:use|develop|sell|commerciali[sz]e|market|manufacture|"
    r"produce|deploy|distribute|make|(?:gain|receive|obtain|take|get)s?\s+(?:[\w-]+\s+){0,3}?"
    r"(?:rights?|licen[cs]e))|(?:granting|giving)\s+(?:it|them)\b)",
    re.I,
)
_PARTNERED = re.compile(
    E.format("a")
    + SUBJECT_TAIL
    + AUX
    + r"(?:partnered|teamed up|tied up|joined forces)\s+with\s+"
    + LEAD
    + E.format("b"),
    re.I,
)


_CO_DEVELOPMENT = re.compile(r"co-?develop|co-?commerciali[sz]", re.I)


def _agreement_rule(
    marked: str, mentions: list[Mention], defined: dict[str, str] | None = None
) -> _Found | None:
    match = _AGREEMENT.search(marked)
    between = _BETWEEN.search(marked) if match is None else None
    partnered = _PARTNERED.search(marked) if match is None and between is None else None
    if match is None and between is None and partnered is None:
        return None
    if partnered is not None:  # "A has partnered with B, granting it rights to X"
        first, second = _party(mentions, partnered["a"]), _party(mentions, partnered["b"])
        rest, what = marked[partnered.end() :], "partnership"
    elif match is not None:
        first = _party(mentions, match["a"])
        second = _party(mentions, match["b"] or match["c"])
        rest, what = marked[match.end() :], match["what"]
        if second is None:  # "A signed a licence agreement giving B access to its tools"
            taker = _NAMED_LICENSEE.match(rest.lstrip(" ,"))
            second = _party(mentions, taker["x"]) if taker else None
        if second is None:  # "A signed a deal worth $300 million for rights to B's X"
            owner = _RIGHTS_OF.match(rest)
            second = _party(mentions, owner["z"]) if owner else None
        if second is None:  # "... a licensing agreement under which B, a ..., will deploy A's"
            clause = re.match(r"\s*(?:,\s*)?under which\s+[^.;]*", rest)
            taker = _NAMED_LICENSEE.search(clause.group(0)) if clause else None
            index = next((g for g in taker.groups() if g is not None), None) if taker else None
            second = _party(mentions, index)
    else:
        first, second = _party(mentions, between["a"]), _party(mentions, between["b"])
        rest, what = marked[between.end() :], between["what"]
    if first is None or second is None or first.name == second.name:
        return None
    clause = re.split(r"[.;]", rest, maxsplit=1)[0]
    # "a co-development agreement": one party develops what the other brings, under its rights
    joint = bool(_CO_DEVELOPMENT.search(f"{match['terms'] if match else ''} {what}"))
    bare = not re.search(r"licen[cs]|technology", what, re.I) and not joint
    terms = match["terms"] if match else ""
    technology = _TECHNOLOGY_CUE.search(clause) and not _OTHER_AGREEMENT.search(f"{terms} {what}")
    by_definition = _by_definition(defined or {}, first, second)
    if bare and not _LICENCE_CUE.search(clause) and not technology and not by_definition:
        return None  # a supply or research agreement, not a licence
    kind_text = f"{terms} {what} {clause}"  # "a co-development agreement"
    asset = _asset_from_rest(rest)
    parties = (first, second)
    named = _named_direction(rest, mentions, first, second) or by_definition
    object_named = partnered is not None or (match is not None and match["b"] is not None)
    if named is None and object_named and _WHICH_TAKES.match(rest):
        named = (first, second)  # "A signed a licence with B, which will use the process"
    if named is not None:
        licensor, licensee = named
        return (licensor, licensee, parties, "rule agreement (named)", 0.8, asset, kind_text)
    # "a co-development agreement to build X": both build it; only a named role says who licenses
    if re.search(r"\bout-licen[cs]", kind_text, re.I):  # "A struck an out-licensing deal with B"
        return (first, second, parties, "rule agreement (out-licensing)", 0.75, asset, kind_text)
    if re.search(r"\bin-licen[cs]", f"{terms} {what}", re.I):
        return (second, first, parties, "rule agreement (in-licensing)", 0.75, asset, kind_text)
    licensor_cue = None if joint else _FIRST_IS_LICENSOR.search(rest)
    licensee_cue = None if joint else _FIRST_IS_LICENSEE.search(rest)
    if licensor_cue and (licensee_cue is None or licensor_cue.start() <= licensee_cue.start()):
        return (first, second, parties, "rule agreement (licensor cue)", 0.75, asset, kind_text)
    if licensee_cue:
        return (second, first, parties, "rule agreement (licensee cue)", 0.75, asset, kind_text)
    # Nothing says which way the rights go (yet): a later sentence may ("The agreement centres
    # on B's process"); a bare agreement is less sure to be a licence at all.
    confidence = 0.4 if bare else 0.45
    return (
        None,
        None,
        parties,
        "rule agreement (direction not stated)",
        confidence,
        asset,
        kind_text,
    )


def _named_direction(
    rest: str, mentions: list[Mention], first: Party, second: Party
) -> tuple[Party, Party] | None:
    """(licensor, licensee) from the first clause that names one of the two parties' roles:
    "giving B rights", "under which B will pay", "A will receive $35 million", "to license B's"."""
    cues: list[tuple[int, str, Party]] = []
    for role, pattern in (("licensee", _NAMED_LICENSEE), ("licensor", _NAMED_LICENSOR)):
        for match in pattern.finditer(rest):
            index = next(g for g in match.groups() if g is not None)
            party = _party(mentions, index)
            if party is not None and party.name in (first.name, second.name):
                cues.append((match.start(), role, party))
                break
    if not cues:
        return None
    _, role, party = min(cues, key=lambda cue: cue[0])
    other = second if party.name == first.name else first
    return (other, party) if role == "licensee" else (party, other)


def settle_direction(draft: Draft, sentence: str, mentions: list[Mention]) -> None:
    """A deal read without a direction takes it from a following sentence that says who pays or
    who is paid ("A and B signed a licence. B will make an upfront payment of $25 million to A")."""
    old = draft.proposal
    if old.licensor is not None or len(old.parties) != 2 or not mentions:
        return
    named = _named_direction(mark(sentence, mentions), mentions, *old.parties)
    named = named or _by_definition(_defined_roles(sentence, mentions), *old.parties)
    named = named or row_direction(sentence, mentions, *old.parties)
    if named is not None:
        licensor, licensee = named
        draft.proposal = replace(
            old,
            licensor=licensor,
            licensee=licensee,
            why=f"{old.why}; direction from the terms",
            evidence=f"{old.evidence} {sentence}",
        )
        draft.note(("licensor", "licensee"), sentence)


def _by_definition(
    defined: dict[str, str], first: Party, second: Party
) -> tuple[Party, Party] | None:
    """(licensor, licensee) when a defined term names one of the two parties' roles."""
    for party, other in ((first, second), (second, first)):
        role = defined.get(party.name)
        if role == "licensor":
            return party, other
        if role == "licensee":
            return other, party
    return None


def _party(mentions: list[Mention], index: str | None) -> Party | None:
    if index is None or int(index) >= len(mentions):
        return None
    org = mentions[int(index)].org
    return Party(org.name, org.company_id)


# A sale of what is owned, not of rights to it ("sold its portfolio", not "rights to sell").
_SELLS = re.compile(r"(?<!to )(?<!and )(?<!or )(?<!, )\b(?:sell|sells|sold|selling)\b")
_SALE = re.compile(
    r"\basset[- ]purchase|\boutright\b"
    r"|\b(?:acquired|acquires|bought|buys|purchased|purchases)\b"
    r"(?![^.;]{0,40}\b(?:rights?|licen[cs]e)\b)"
    r"|\b(?:acquisition|purchase|sale|divestment|divestiture)\s+of\b"
    r"(?![^.;]{0,40}\b(?:rights?|licen[cs]e)\b)"
)
# "has agreed to acquire a portfolio": a purchase, unless a licence is what the sentence is about.
_TO_BUY = re.compile(
    r"\b(?:acquire|acquiring|purchase|purchasing|buy|buying)\b"
    r"(?![^.;]{0,40}\b(?:rights?|licen[cs]e)\b)"
)


_OPTION_WORD = re.compile(r"\boption\b")
_CO_DEVELOPMENT = re.compile(r"co-develop|co-commerciali|jointly develop|co-promot")
_NEWCO = re.compile(
    r"\bnewco\b|\bnew(?:ly (?:formed|created))? (?:[\w.]+ )?company|spin-?out(?!\s+⟨)|"
    r"launch(?:ed|es)? [\w\s]{0,30}compan"
)
_OUT_LICENCE = re.compile(r"out-?licen")


def _kind(what: str) -> str:
    lowered = what.lower()
    if _OPTION_WORD.search(lowered) and "exercised" not in lowered:
        return "option"
    if _CO_DEVELOPMENT.search(lowered):
        return "co_development"
    if _NEWCO.search(lowered):
        return "newco"
    # "a licence for B's patents, for tests sold worldwide": products sold under a licence
    sold = "licen" not in lowered and _SELLS.search(lowered)
    if _SALE.search(lowered) or sold or ("licen" not in lowered and _TO_BUY.search(lowered)):
        return "asset_purchase"
    if "patent" in lowered and "know-how" not in lowered and "know how" not in lowered:
        return "patent_licence"  # patents with know-how are a licence to make the product
    if _OUT_LICENCE.search(lowered):
        return "out_licence"
    return "licence"


def _asset_from_rest(rest: str) -> str | None:
    match = re.search(
        r"\b(?:to\s+(?:use|acquire|access|obtain|adopt|develop|commerciali[sz]e)|for|covering|on)\s+"
        r"(?P<asset>[^⟨⟩,;.]{3,80}?)(?:\s+(?:from|to|in|for|outside|across)\b|[,;.]|$)",
        rest,
        re.I,
    )
    return match["asset"] if match else None


def _asset(raw: str | None, mentions: list[Mention]) -> str | None:
    if not raw:
        return None
    raw = re.sub(r"(?<=rights to )⟨(\d+)⟩", lambda m: mentions[int(m[1])].org.name, raw)
    text = re.sub(r"⟨\d+⟩(?:['’]s)?", "", raw).strip(" ,.;:")
    text = _ASSET_TAIL.sub("", text)
    text = _ASSET_LEAD.sub("", text).strip(" ,.;:")
    text = re.sub(r"^(?:its|their|the latter['’]s)\s+", "", text, flags=re.I)
    if len(text) < 2 or len(text) > 120 or not re.search(r"[A-Za-z0-9]", text):
        return None
    return text


def _territory(sentence: str) -> str | None:
    match = _TERRITORY.search(sentence)
    if not match:
        return None
    if match["ww"]:
        return "worldwide"
    if match["ex"]:
        return f"outside {_the(match['exwhere'])}"
    places = [_the(match["where"])] + ([_the(match["more"])] if match["more"] else [])
    return " and ".join(places)


def _the(place: str) -> str:
    return re.sub(r"^the\s+", "", place)


def attach_terms(
    draft: Draft,
    sentence: str,
    mentions: list[Mention],
    year: int | None,
    *,
    in_deal_sentence: bool = False,
) -> None:
    """Add the deal terms a sentence states (or says are undisclosed) to the current deal."""
    if not in_deal_sentence:
        parties = {p.name for p in draft.proposal.parties}
        if any(m.org.name not in parties for m in mentions):
            return  # another company's numbers
        if not (
            _TERMS_SENTENCE_NOCASE.search(sentence, lowered(sentence))
            or _UNDISCLOSED.search(sentence)
            or FIGURE_WORDS.search(sentence)
        ):
            return
    amounts = find_amounts(sentence)
    taken = {f.role for f in draft.figures}
    for index, amount in enumerate(amounts):
        role = role_of(sentence, amounts, index)
        if role == "milestones":
            kinds = milestone_kinds(sentence, amounts, index)
            if kinds not in draft.milestones:
                draft.milestones[kinds] = proposed_figure(role, amount, year)
                draft.note(("milestones", *(f"milestones_{k}" for k in sorted(kinds))), sentence)
            continue
        if role is None or role in taken:
            continue
        draft.figures.append(proposed_figure(role, amount, year))
        draft.note((role,), sentence)
        taken.add(role)
    _read_royalty_and_stage(draft, sentence)
    if _UNDISCLOSED.search(sentence) and not draft.all_figures():
        draft.figures.append(ProposedFigure("total", None, "USD", disclosed=False))
        draft.note(("total",), sentence)


_ROYALTY = re.compile(
    r"\b(?:(?:tiered|running|single-digit|double-digit|low|mid|high)[\w-]*\s+)*royalt(?:y|ies)\b"
    r"[^;.]{0,100}?(?=\s+on\b|[,;.]|$)",
    re.I,
)
_STAGE = re.compile(
    r"\b(?:phase\s*(?P<phase>[123]|i{1,3})[ab]?\b|(?P<pre>pre-?clinical|ind-enabling)|"
    r"(?P<pivotal>pivotal)|(?P<fih>first-in-human))",
    re.I,
)
# Words every _STAGE match holds, in lower case.
_STAGE_CUED = NoCase(_STAGE, cues=("pha", "cl", "nd-enabl", "votal", "human"))
_PHASES = {
    "1": "phase_1",
    "i": "phase_1",
    "2": "phase_2",
    "ii": "phase_2",
    "3": "phase_3",
    "iii": "phase_3",
}


def _read_royalty_and_stage(draft: Draft, sentence: str) -> None:
    """The royalty as worded ("tiered royalties ranging from the high single digits to the
    mid-teens") and the asset's stage as a vocabulary key, from the first sentence giving each."""
    lower = sentence.lower()  # most sentences name neither: plain scans turn them away first
    if draft.royalty is None and "royalt" in lower and (royalty := _ROYALTY.search(sentence)):
        draft.royalty = royalty.group(0).strip()
        draft.note(("royalty",), sentence)
    if draft.stage is None and (stage := _STAGE_CUED.search(sentence, lowered(sentence))):
        if stage["phase"]:
            draft.stage = _PHASES[stage["phase"].lower()]
        elif stage["pivotal"]:
            draft.stage = "phase_3"
        elif stage["fih"]:
            draft.stage = "phase_1"
        else:
            draft.stage = "preclinical"
        draft.note(("stage",), sentence)
