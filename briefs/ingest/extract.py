"""Rules that turn an article's sentences into proposed facts, each with its evidence and reason.

Deterministic and offline: the same text always gives the same proposals. A sentence is read with
its organisations replaced by markers (``⟨0⟩ licensed HX-2 from ⟨1⟩``) so that each role rule is a
short pattern a reader can check. Sentences that deny, doubt or merely anticipate a deal propose
nothing; deal terms in the sentences that follow a deal are attached to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from ..errors import BadInput
from ..money import Money, to_usd
from .amounts import Amount, find_amounts, role_of
from .dates import dateline_date, find_period
from .orgs import DESCRIPTORS, DocumentNames, KnownNames, Mention, Org

__all__ = ["KnownNames", "Party", "Proposal", "ProposedFigure", "extract"]

MAX_TEXT = 2_000_000  # characters; read.py refuses larger files before they get here
FOLLOW_SENTENCES = 3  # deal terms are looked for this many sentences after the deal


@dataclass(frozen=True)
class Party:
    """A company as the article names it, with its id when the knowledge base knows it."""

    name: str
    company_id: int | None = None

    def to_dict(self) -> dict:
        return {"name": self.name, "company_id": self.company_id}


@dataclass(frozen=True)
class ProposedFigure:
    role: str
    value: float | None
    unit: str
    value_usd: float | None = None
    usd_basis: str | None = None
    approx: str | None = None
    disclosed: bool = True

    def to_dict(self) -> dict:
        return {
            "role": self.role,
            "value": self.value,
            "unit": self.unit,
            "value_usd": self.value_usd,
            "usd_basis": self.usd_basis,
            "approx": self.approx,
            "disclosed": self.disclosed,
        }


@dataclass(frozen=True)
class Proposal:
    """A fact the text seems to state, waiting for a person to approve it."""

    kind: str
    evidence: str
    confidence: float
    why: str
    licensor: Party | None = None
    licensee: Party | None = None
    subject: Party | None = None
    parties: tuple[Party, ...] = ()
    asset: str | None = None
    territory: str | None = None
    period: str | None = None
    figures: tuple[ProposedFigure, ...] = ()

    def figure(self, role: str) -> ProposedFigure | None:
        return next((f for f in self.figures if f.role == role), None)

    def to_payload(self) -> dict:
        """The JSON the review queue stores; :func:`proposal_from_payload` reads it back."""
        return {
            "kind": self.kind,
            "licensor": self.licensor.to_dict() if self.licensor else None,
            "licensee": self.licensee.to_dict() if self.licensee else None,
            "subject": self.subject.to_dict() if self.subject else None,
            "parties": [p.to_dict() for p in self.parties],
            "asset": self.asset,
            "territory": self.territory,
            "period": self.period,
            "figures": [f.to_dict() for f in self.figures],
            "evidence": self.evidence,
            "confidence": self.confidence,
            "why": self.why,
        }


def proposal_from_payload(payload: dict) -> Proposal:
    def party(value: dict | None) -> Party | None:
        return Party(value["name"], value.get("company_id")) if value else None

    return Proposal(
        kind=payload["kind"],
        evidence=payload["evidence"],
        confidence=float(payload["confidence"]),
        why=payload.get("why") or "",
        licensor=party(payload.get("licensor")),
        licensee=party(payload.get("licensee")),
        subject=party(payload.get("subject")),
        parties=tuple(Party(p["name"], p.get("company_id")) for p in payload.get("parties", [])),
        asset=payload.get("asset"),
        territory=payload.get("territory"),
        period=payload.get("period"),
        figures=tuple(ProposedFigure(**f) for f in payload.get("figures", [])),
    )


# --- Sentences ---------------------------------------------------------------------------------

_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z])")
_NO_SPLIT_BEFORE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|No|vs|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
    r"|\b[A-Z]|\bU\.S|\bU\.K|\be\.g|\bi\.e)\.$"
)
_SENTENCE_STARTERS = frozenset(
    [
        "The",
        "It",
        "This",
        "That",
        "These",
        "Its",
        "Their",
        "He",
        "She",
        "They",
        "We",
        "But",
        "And",
        "However",
        "Under",
        "Meanwhile",
        "Separately",
        "Financial",
        "Terms",
        "According",
        "In",
        "On",
        "A",
        "An",
    ]
)


def sentences(text: str) -> list[tuple[int, str]]:
    """(paragraph number, sentence) pairs; abbreviations such as "U.S." and "Co." do not split."""
    out: list[tuple[int, str]] = []
    for number, paragraph in enumerate(p for p in re.split(r"\n\s*\n|\n", text) if p.strip()):
        start = 0
        for boundary in _BOUNDARY.finditer(paragraph):
            head = paragraph[start : boundary.start()].rstrip('"”’)')
            following = paragraph[boundary.end() :].split(" ", 1)[0].strip('"“(')
            if _NO_SPLIT_BEFORE.search(head) and following not in _SENTENCE_STARTERS:
                continue
            if re.search(r"\b(?:Inc|Co|Corp|Ltd)\.$", head) and following in ("Ltd", "Ltd."):
                continue
            out.append((number, paragraph[start : boundary.start() + 1].strip()))
            start = boundary.end()
        tail = paragraph[start:].strip()
        if tail:
            out.append((number, tail))
    return out


# --- Cues that cancel a sentence ---------------------------------------------------------------

_DISCLOSURE = re.compile(
    r"\b(?:did not|didn't|does not|declined to|would not|wouldn't|were not|was not|have not been|"
    r"has not been|had not been|not)\s+(?:be\s+)?(?:disclose|disclosed|reveal|revealed|give|"
    r"provide|made public|make public)\b",
    re.I,
)
NEGATION = re.compile(
    r"\b(?:no plans?|not to licen|did not|didn't|does not|doesn't|has not|hasn't|have not|haven't|"
    r"had not|never|declined to (?:discuss|comment|confirm|say)|refused|denied|denies|deny|"
    r"dismissed|rejected reports?|no (?:deal|agreement|licen[cs]e)|not (?:licen|sign|grant|acquir|"
    r"reach|enter)|terminated|terminate|called off|scrapped|walked away|ended (?:its|the|a)|"
    r"in talks|in discussions|in negotiations|negotiating|considering|consider|weighing|"
    r"exploring|mulling|evaluating|rumou?r|speculat|reportedly|is said to|are said to|"
    r"people familiar|sources said|according to sources|unnamed sources|"
    r"(?:expected|expects|plans?|planning|intends?|hopes?|aims?|seeks?|seeking|wants?|set) to "
    r"(?:sign|licen|grant|acquire|announce|reach|finali[sz]e|conclude|enter|strike|out-licen)|"
    r"(?:potential|possible|proposed|prospective) (?:deal|agreement|licen|partner|tie-up)|"
    r"whether|if)\b",
    re.I,
)
_MODAL = re.compile(
    r"\b(?:may|might|could|would|should)\s+(?:\w+\s+){0,2}?(?:licen|sign|grant|acquire|agree)"
)
_RETRACTION = re.compile(
    r"\b(?:denied|denies|dismissed|rejected) (?:the |those |these |media )?reports?\b", re.I
)


def cancelled(sentence: str) -> bool:
    """True when the sentence denies, doubts or only anticipates what it mentions."""
    plain = _DISCLOSURE.sub(" ", sentence)
    return bool(NEGATION.search(plain) or _MODAL.search(plain))


def conditional(sentence: str) -> bool:
    """True when the only doubt is a condition ("if milestones are met"): deal terms are often
    stated that way, so such a sentence may still add terms to the deal just read."""
    plain = _DISCLOSURE.sub(" ", sentence)
    cues = {m[0].lower() for m in NEGATION.finditer(plain)}
    return cues == {"if"} and not _MODAL.search(plain)


# --- Role rules over the marked sentence ------------------------------------------------------

E = r"⟨(?P<{}>\d+)⟩(?:['’]s?)?"
OWNER = r"⟨(?P<{}>\d+)⟩['’]s?"  # a possessive: the party that owns what follows
GAP = r"[^⟨⟩]{0,120}?"
AUX = (
    r"(?:(?:has|have|had|will|would|recently|also|officially|formally|exclusively|agreed to|"
    r"signed on to|today|yesterday)\s+)*"
)
# "said", "said on Monday", "announced today": a reporting verb and when it was said.
REPORTED = (
    r"(?:said|says|announced|announces|confirmed|disclosed)"
    r"(?:\s+(?:today|yesterday|on\s+\w+day|in a statement))?\s+(?:that\s+)?"
)
# A describing noun in front of a name ("to Indian carmaker B"), which orgs.py leaves outside it.
DESCRIBED = r"(?:[A-Z][\w-]*\s+)?(?:" + "|".join(DESCRIPTORS) + r")\s+"
# What may stand between a subject and its verb: a name in brackets ("(浙江华信药业)"), a relative
# clause about the subject (", which raised $90 million in March,"), a reporting verb ("said it").
SUBJECT_TAIL = (
    r"(?:\s*\([^()⟨⟩]{1,40}\))?(?:,\s+(?:which|who|whose)\b[^⟨⟩;]{0,100}?,)?,?\s+"
    r"(?:" + REPORTED + r"(?:it|they)\s+)?"
)
_RELATIVE_CLAUSE = re.compile(r",\s+(?:which|who|whose)\b[^;,]{0,100},")
_RIGHTS = r"(?:rights?|licen[cs]e|sublicen[cs]e|access)"


def _active(verbs: str) -> str:
    """Subject ⟨a⟩, what may follow it, auxiliaries, then one of ``verbs`` as a whole word."""
    return E.format("a") + SUBJECT_TAIL + AUX + r"(?:" + verbs + r")\b"


ROLE_RULES: tuple[tuple[str, str, float, re.Pattern[str]], ...] = (
    (
        "paid-by",  # "A will receive $75m upfront from B": the one paid is the licensor
        "licensor-first",
        0.85,
        re.compile(
            _active(
                r"(?:is|are)\s+(?:to|set to|due to|entitled to)\s+(?:receive|get|collect)|"
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
                r"obtains|secured|secures|bought|buys|took|takes|received|receives|gained|gains|"
                r"will (?:acquire|obtain|receive|gain|in-?licen[cs]e|licen[cs]e)"
            )
            + r"(?P<asset>"
            + GAP
            + r")\bfrom\s+(?:[A-Z][\w.-]*['’]s\s+)?"
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
                r"takes|take|gained|gains|gain|won|wins|received|receives|receive|bought|buys|buy|"
                r"in-?licen[cs]ed|licen[cs]ed|in-?licen[cs]es?|licen[cs]es?"
            )
            + r"\s+(?P<asset>[^⟨⟩.;]{0,60}?\b"
            + _RIGHTS
            + r"\s+(?:to|for|over|on)\s+(?:use\s+)?)"
            + OWNER.format("b"),
            re.I,
        ),
    ),
    (
        "licensed-owner",  # "A licensed B's antibody"
        "licensee-first",
        0.85,
        re.compile(
            _active(
                r"in-?licen[cs]ed|licen[cs]ed|in-?licen[cs]es|licen[cs]es|will (?:in-?)?licen[cs]e"
            )
            + r"\s+(?:the\s+)?"
            + OWNER.format("b"),
            re.I,
        ),
    ),
    (
        "licensed-of",  # "A licensed the battery software of B"
        "licensee-first",
        0.8,
        re.compile(
            _active(r"in-?licen[cs]ed|licen[cs]ed|will (?:in-?)?licen[cs]e")
            + r"\s+(?P<asset>(?:the|a|an)\s+[^⟨⟩.;,]{0,60}?)\s+of\s+"
            + E.format("b"),
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
            + E.format("c")
            + r"\s+"
            + AUX
            + r"(?:co-develop|co-commerciali[sz]e|jointly develop|jointly commerciali[sz]e)"
            r"(?:\s+and\s+(?:co-commerciali[sz]e|co-market|commerciali[sz]e|market|sell))?\s+"
            r"(?:the\s+)?" + OWNER.format("b"),
            re.I,
        ),
    ),
    (
        "pays-for-rights",  # "A will pay B 900 million yuan for the right to use its design"
        "licensee-first",
        0.8,
        re.compile(
            _active(r"(?:is|are)\s+paying|agreed to pay|pay|pays|paid|paying")
            + r"\s+"
            + E.format("b")
            + r"\s+(?P<asset>(?:[^⟨⟩.;]|(?<=\d)\.(?=\d)){0,80}?\b(?:for|in exchange for|in return for)\b"
            r"[^⟨⟩.;]{0,40}?"
            r"\b(?:rights?|licen[cs]e|access|use)\b[^⟨⟩.;]{0,80})",
            re.I,
        ),
    ),
    (
        "licensed-to",  # "B out-licensed X to A", "B licensed X to A", "B sold the rights to X to A"
        "licensor-first",
        0.9,
        re.compile(
            _active(
                r"out-?licen[cs]ed|licen[cs]ed|out-?licen[cs]es?|licen[cs]es?|sold|sells|transferred|"
                r"transfers|sublicen[cs]ed|will (?:out-?licen[cs]e|licen[cs]e|transfer|sell)"
            )
            + r"(?P<asset>"
            + GAP
            + r"(?:,[^,;.]{0,80},[^⟨⟩]{0,40}?)?)\bto\s+(?:[A-Z][\w.-]*['’]s\s+|[A-Z][\w]*-based\s+)?"
            + r"(?:"
            + DESCRIBED
            + r")?"
            + E.format("b"),
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
            + r"\b[^⟨⟩.;]{0,80}?)\bto\s+"
            + E.format("b"),
            re.I,
        ),
    ),
    (
        "granted",  # "B granted A an exclusive licence to X"
        "licensor-first",
        0.9,
        re.compile(
            _active(r"granted|grants|gave|gives|awarded|awards|handed|hands|hand|will grant")
            + r"\s+(?:[A-Z][\w.-]*['’]s\s+)?"
            + E.format("b")
            + r"\s+(?P<asset>"
            + GAP
            + r"(?:licen[cs]e|rights|sublicen[cs]e)"
            + GAP
            + r")(?:[.,;]|$)",
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
            + r"\s+(?:to|for|over|on)\s+(?:use\s+)?)"
            + OWNER.format("b"),
            re.I,
        ),
    ),
    (
        "passive-acquired",  # "rights to X, developed by B, have been acquired by A"
        "licensee-first",
        0.8,
        re.compile(
            r"\b(?:developed|owned|held|created|invented)\s+by\s+"
            + E.format("b")
            + r"(?P<asset>[^⟨⟩.;]{0,40}?)\b(?:was|were|has been|have been|had been)\s+"
            r"(?:acquired|obtained|bought|taken|licen[cs]ed|in-?licen[cs]ed)\s+by\s+"
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
            + r"(?:\s*\([^()⟨⟩]{1,40}\))?,?\s+(?:said|says|announced|confirmed)\s+(?:that\s+)?"
            + E.format("a")
            + r"\s+"
            + AUX
            + r"(?:taken|took|acquired|obtained|secured|received|gained|licen[cs]ed|in-?licen[cs]ed)"
            r"\s+(?P<asset>[^⟨⟩.;]{0,40}?\b(?:rights?|licen[cs]e)\s+(?:to|for|over|on)\s+its\b[^⟨⟩.;]{0,60})",
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
            r"(?:exclusively\s+)?(?:out-?)?licen[cs]ed\s+(?:by\s+"
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
        "passive-licensed-to",  # "B's X was licensed to A"
        "owner-passive",
        0.8,
        re.compile(
            E.format("b") + r"\s+(?P<asset>[^⟨⟩]{0,80}?)\s+(?:was|were|has been|had been|is|are)\s+"
            r"(?:exclusively\s+)?(?:out-?)?licen[cs]ed\s+to\s+" + E.format("a"),
            re.I,
        ),
    ),
)

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
    + r"(?:\s+and\s+"
    + E.format("c")
    + r")?"
    + SUBJECT_TAIL
    + AUX
    + r"(?:signed|reached|entered into|enters into|entered|struck|inked|concluded|sealed|"
    r"finali[sz]ed|clinched|announced|signs|reaches|strikes|inks|agreed|forged|formed)\s+"
    r"(?:an?\s+|the\s+|its\s+)?(?P<terms>[\w\s$.,-]{0,60}?)"
    r"(?P<what>(?:" + _DEAL_NOUN + r"\s+and\s+)?(?:" + _LICENCE_WHAT + r")"
    r"(?:\s+(?:and\s+\w+\s+)?" + _DEAL_NOUN + r"s?)?"
    r"|" + _DEAL_NOUN + r"s?)\b"
    r"(?:(?:\s+(?:worth|valued at)\s+[^⟨⟩,;]{0,40}?)?"
    r"\s+with\s+(?P<pre>[^⟨⟩]{0,30}?)" + E.format("b") + r")?",
    re.I,
)
_BETWEEN = re.compile(
    r"(?P<what>patent\s+licen[cs]ing|patent\s+licen[cs]e|licen[cs]ing|licen[cs]e)\s+"
    r"(?:agreement|deal|pact)\s+between\s+" + E.format("a") + r"\s+and\s+" + E.format("b"),
    re.I,
)
# Clauses after "A signed an agreement with B" that name who takes the licence or who grants it.
_TAKER = r"(?:will|would|is to|shall|can|may|is set to|to)?\s*(?:also\s+)?"
_NAMED_LICENSEE = re.compile(
    r"\b(?:giving|granting|gives|grants|gave|granted|offering|providing|allowing|letting|enabling|"
    r"permitting)\s+⟨(?P<x>\d+)⟩"
    r"|⟨(?P<y>\d+)⟩\s+" + _TAKER + r"(?:receive|get|gain|obtain|acquire|take|have|hold)s?\s+"
    r"(?:the\s+|an?\s+)?(?:[\w-]+\s+){0,3}?(?:rights?|licen[cs]e|access)\b"
    r"|⟨(?P<z>\d+)⟩\s+" + _TAKER + r"(?:\w+\s+)?(?:develop|sell|commerciali[sz]e|market|"
    r"manufacture|produce|use|distribute|pay|pays|paid|make\s+(?:an?\s+)?(?:[\w-]+\s+)?payments?)\b",
    re.I,
)
_NAMED_LICENSOR = re.compile(
    r"⟨(?P<x>\d+)⟩\s+(?:will|would|is to|shall|stands to|could|may|is eligible to)?\s*"
    r"(?:receive|get|collect|earn)s?\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:US\$|HK\$|[$€£¥]|\d|up-?front|payments?\b|fees?\b|royalt|milestones?\b)"
    r"|\b(?:in-?)?licen[cs]e\s+⟨(?P<y>\d+)⟩['’]s?"
    r"|\b(?:rights?|access|licen[cs]e)\s+(?:to|for|over|on)\s+(?:use\s+)?⟨(?P<z>\d+)⟩['’]s?"
    r"|\bfrom\s+⟨(?P<w>\d+)⟩|\b(?:for|covering|over|on|involving)\s+⟨(?P<v>\d+)⟩['’]s?",
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
    r"(?:rights?|licen[cs]e|access)\b",
    re.I,
)
# A bare "agreement" or "deal" is a licence only when what follows speaks of rights or a licence,
# or has one party develop or sell what the other owns ("B will develop and sell A's drug").
_LICENCE_CUE = re.compile(
    r"licen[cs]|\brights?\b|patent|know-how|technology transfer"
    r"|\b(?:develop|sell|commerciali[sz]e|market|manufacture|distribute)\b[^.;⟨⟩]{0,30}⟨\d+⟩['’]s?",
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

# --- Other fact kinds ------------------------------------------------------------------------

_REGULATORS = (
    (re.compile(r"\bFood and Drug Administration\b|\bFDA\b"), "U.S."),
    (re.compile(r"\bEuropean Medicines Agency\b|\bEMA\b|\bEuropean Commission\b"), "EU"),
    (re.compile(r"\bNMPA\b|\bNational Medical Products Administration\b"), "China"),
    (re.compile(r"\bPMDA\b|\bJapan's Ministry of Health\b"), "Japan"),
    (re.compile(r"\bMHRA\b"), "UK"),
    (re.compile(r"\bHealth Canada\b"), "Canada"),
)
_APPROVED = re.compile(
    r"\bapproved\b|\bapproval\b|\bmarketing authori[sz]ation\b|\bcleared by\b|\bgreen light\b", re.I
)
_PENDING = re.compile(
    r"\b(?:process|applying|apply|applied|application|seeking|seek|sought|filed|filing|submitted|"
    r"pending|awaiting|await|under review|going through|expects?|expected|hopes?|plans?|aims?|"
    r"rejected|refused|denied)\b",
    re.I,
)
_PENDING_MODAL = re.compile(r"\b(?:will|would|could|may|might)\b")  # lower case: not "May"
_COUNTRIES = re.compile(
    r"\bin\s+(?P<n>\d+)\s+(?P<what>countries(?: and regions)?|markets|jurisdictions)\b", re.I
)
_SALES = re.compile(
    r"\bsales\b[^.;]{0,60}?\b(?:reached|hit|soared|rose|grew|climbed|totall?ed|were|was|amounted|"
    r"topped|exceeded|surpassed|jumped|increased|came to|stood at)\b",
    re.I,
)
_AGGREGATE_TOPIC = re.compile(r"licen[cs]|patent|transaction|technology|export|out-licen", re.I)
_AGGREGATE_SCOPE = re.compile(
    r"\b(?:China|Chinese|global|world|industry|country|nationwide|sector|total|overall|market|"
    r"outbound|domestic)\b",
    re.I,
)
NUMBER_WORDS = {
    word: n
    for n, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "hundred": 100}
_NUMBER_WORD = r"(?:" + "|".join(w for w in NUMBER_WORDS if w not in ("zero", "one")) + r")"
_COUNT = re.compile(
    r"\b(?P<n>\d{1,3}(?:,\d{3})*|\d+|" + _NUMBER_WORD + r")\s+(?:[\w-]+\s+){0,3}?"
    r"(?:transactions|deals|agreements|patents|licen[cs]es|licen[cs]ing deals|companies|firms|"
    r"developers|drugmakers)\b",
    re.I,
)
# "15 times more than", "a three-time jump", "five-fold", "doubled": growth as a multiple.
_MULTIPLE = re.compile(
    r"\b(?P<n>\d+(?:\.\d+)?|" + _NUMBER_WORD + r")[\s-](?:times?|fold)\s+"
    r"(?:more|higher|larger|greater|bigger|as (?:much|many|high|large)|jump|increase|rise|growth)\b"
    r"|\b(?P<n2>\d+(?:\.\d+)?|" + _NUMBER_WORD + r")-fold\b"
    r"|\b(?P<verb>doubled|tripled|trebled|quadrupled)\b",
    re.I,
)
_MULTIPLE_VERBS = {"doubled": 2, "tripled": 3, "trebled": 3, "quadrupled": 4}
# "was listed on the Hong Kong Stock Exchange in 2018 and on the STAR Market in 2021"
_LISTED = re.compile(r"\b(?:listed|went public|debuted|made its debut|floated)\s+on\b", re.I)
_EXCHANGE = re.compile(
    r"\bon\s+(?:the\s+)?(?P<ex>(?:[A-Z][\w&.'’-]*\s+){0,4}?(?:Stock Exchange|Exchange|Nasdaq|NYSE|"
    r"STAR Market|Main Board|ChiNext|AIM)(?:['’]s)?(?:\s+(?:STAR Market|Main Board|ChiNext))?)"
    r"(?:\s+in\s+(?P<year>(?:19|20)\d{2}))?"
)
_EXCHANGE_PLACES = (
    ("Hong Kong", "Hong Kong"),
    ("Shanghai", "Mainland China"),
    ("Shenzhen", "Mainland China"),
    ("STAR Market", "Mainland China"),
    ("ChiNext", "Mainland China"),
    ("Beijing", "Mainland China"),
    ("Nasdaq", "U.S."),
    ("NYSE", "U.S."),
    ("New York", "U.S."),
    ("London", "UK"),
    ("AIM", "UK"),
    ("Tokyo", "Japan"),
    ("Korea", "South Korea"),
    ("Singapore", "Singapore"),
)
_GROWTH = re.compile(
    r"(?P<n>\d+(?:\.\d+)?)[\s-]?(?:percent|per cent|%)\s+(?:higher|more|up|increase|rise|growth|"
    r"surge|jump)|(?:surge|jump|rise|increase|growth) of (?P<n2>\d+(?:\.\d+)?)[\s-]?(?:percent|%)",
    re.I,
)
_UNDISCLOSED = re.compile(
    r"\b(?:undisclosed|not disclosed|did not disclose|didn't disclose|declined to disclose|"
    r"were not revealed|not made public|no financial (?:details|terms))\b",
    re.I,
)
_TERMS_SENTENCE = re.compile(
    r"up-?front|milestone|equity|royalt|the (?:deal|agreement|terms|licen[cs]e|transaction)|"
    r"under the|\bpa(?:y|ys|id|ying)\b|payments?|\b(?:receive|receives|gets?|earns?)\b|shares|"
    r"\bstake\b|worth|valued|for the rights",
    re.I,
)


# A sentence without a company must mention one of these for any rule to apply to it.
_TOPIC = re.compile(
    r"licen[cs]|patent|transaction|technolog|export|approv|authori[sz]|sales|undisclosed|terms|"
    r"disclos|up-?front|milestone|equity|shares|payment|worth|valued|deal|agreement|reports?\b|"
    r"listed",
    re.I,
)


@dataclass
class _Draft:
    """A deal being assembled while its following sentences are read."""

    proposal: Proposal
    figures: list[ProposedFigure] = field(default_factory=list)
    age: int = 0


def extract(
    text: str, *, known: KnownNames | None = None, published: date | None = None
) -> list[Proposal]:
    """Propose facts stated in ``text``; relative dates are read against ``published``.

    Raises BadInput only for text that is not a str or is far too large.
    """
    if not isinstance(text, str):
        raise BadInput("text must be a string", code="not_text")
    if len(text) > MAX_TEXT:
        raise BadInput(
            "text is too large to read", code="too_large", size=len(text), limit=MAX_TEXT
        )
    published = published or dateline_date(text)
    year = published.year if published else None
    names = DocumentNames(known)
    drafts: list[_Draft] = []
    others: list[Proposal] = []
    current: _Draft | None = None
    last_org: Org | None = None  # the company named last: whose approval or sales figure
    last_subject: Org | None = None  # the company named first: what a leading "It" stands for
    stat_paragraph = -1
    for paragraph, sentence in sentences(text):
        mentions = names.find(sentence)
        orgs = [m.org for m in mentions]
        if current is not None:
            current.age += 1
        if not mentions and not _TOPIC.search(sentence):
            continue  # no company and nothing a rule looks for: skip the costlier checks
        if _RETRACTION.search(sentence):
            drafts = [d for d in drafts if not _involves(d.proposal, orgs)]
            others = [p for p in others if not _involves(p, orgs)]
            current = None
        elif cancelled(sentence):
            if current is not None and current.age <= FOLLOW_SENTENCES and conditional(sentence):
                _attach_terms(current, sentence, mentions, year)  # "... if milestones are met"
            else:
                current = None
        else:
            deal = _deal(sentence, mentions, published, year, last_subject)
            if deal is not None and current is not None and _same_deal(current, deal):
                _merge(current, deal)
            elif deal is not None:
                current = deal
                drafts.append(deal)
            elif current is not None and current.age <= FOLLOW_SENTENCES:
                _settle_direction(current, sentence, mentions)
                _attach_terms(current, sentence, mentions, year)
            if deal is None:
                earlier = others[-1] if others and others[-1].kind == "market_stat" else None
                carried = earlier.period if earlier and stat_paragraph == paragraph else None
                others.extend(_other_facts(sentence, mentions, last_org, published, carried))
                if not mentions:
                    stat_paragraph = paragraph
        if orgs:
            last_org, last_subject = orgs[-1], orgs[0]
    finished = [replace(d.proposal, figures=tuple(d.figures)) for d in drafts]
    return finished + others


def _other_facts(
    sentence: str,
    mentions: list[Mention],
    last_org: Org | None,
    published: date | None,
    carried: str | None,
) -> list[Proposal]:
    """Facts about one company or a whole market: listings, approvals, sales, statistics."""
    listings = _listings(sentence, mentions, last_org, published)
    if listings:
        return listings
    year = published.year if published else None
    other = _approval(sentence, mentions, last_org, published) or _sales(
        sentence, mentions, last_org, published, year
    )
    if other is None and not mentions:
        other = _market_stat(sentence, published, year, carried)
    return [other] if other is not None else []


def _involves(proposal: Proposal, orgs: list[Org]) -> bool:
    names = {o.name for o in orgs}
    return any(p.name in names for p in (*proposal.parties, proposal.subject) if p)


def _mark(sentence: str, mentions: list[Mention]) -> str:
    """Replace each mention with ⟨index⟩ so rules can say where the parties stand."""
    out, last = [], 0
    for index, mention in enumerate(mentions):
        out.append(sentence[last : mention.start])
        out.append(f"⟨{index}⟩")
        last = mention.end
    out.append(sentence[last:])
    return "".join(out)


_DEAL_TOPIC = re.compile(
    r"licen[cs]|\brights?\b|technolog|patent|know-how|access to|\bunder which\b|commerciali[sz]",
    re.I,
)


_PRONOUN_SUBJECT = re.compile(r"(?:It|The company|The firm|The group|The drugmaker)\b")


def _deal(
    sentence: str,
    mentions: list[Mention],
    published: date | None,
    year: int | None,
    last_subject: Org | None = None,
) -> _Draft | None:
    pronoun = _PRONOUN_SUBJECT.match(sentence)
    if pronoun and last_subject is not None and (not mentions or mentions[0].start > 0):
        # "It also sold the rights to Varga": the subject of the sentence before.
        mentions = [Mention(0, pronoun.end(), last_subject), *mentions]
    if len(mentions) < 2 or not _DEAL_TOPIC.search(sentence):
        return None
    marked = _mark(sentence, mentions)
    found = _role_rule(marked, mentions) or _agreement_rule(marked, mentions)
    if found is None:
        return None
    licensor, licensee, parties, rule, confidence, asset_text, what = found
    if any(p is not None and p.company_id is None for p in (licensor, licensee)):
        confidence -= 0.05  # a name recognised by its shape alone may be misread
    # A relative clause about a party (", which raised $90 million in March,") dates and prices
    # something else; the deal's date and terms are read without it.
    own = _RELATIVE_CLAUSE.sub(",", sentence)
    proposal = Proposal(
        kind=_kind(what or marked),
        evidence=sentence,
        confidence=round(confidence, 2),
        why=rule,
        licensor=licensor,
        licensee=licensee,
        parties=parties,
        asset=_asset(asset_text, mentions),
        territory=_territory(sentence),
        period=find_period(own, published) or (published.isoformat() if published else None),
    )
    draft = _Draft(proposal)
    _attach_terms(draft, own, mentions, year, in_deal_sentence=True)
    return draft


def _same_deal(draft: _Draft, new: _Draft) -> bool:
    """True when ``new`` restates the deal being read: the same two parties, and roles that agree
    with it or fill in the roles it left open ("A and B signed a licence. It gives A access...")."""
    old, fresh = draft.proposal, new.proposal
    if {p.name for p in old.parties} != {p.name for p in fresh.parties}:
        return False
    if old.licensor is None or fresh.licensor is None:
        return True
    return (old.licensor.name, old.licensee.name) == (fresh.licensor.name, fresh.licensee.name)


def _merge(draft: _Draft, new: _Draft) -> None:
    """Fold a restatement into the deal: roles and details it lacked, terms it did not have."""
    old, fresh = draft.proposal, new.proposal
    draft.proposal = replace(
        old,
        licensor=old.licensor or fresh.licensor,
        licensee=old.licensee or fresh.licensee,
        asset=old.asset or fresh.asset,
        territory=old.territory or fresh.territory,
        confidence=max(old.confidence, fresh.confidence),
        why=old.why if old.why == fresh.why else f"{old.why}; {fresh.why}",
        evidence=f"{old.evidence} {fresh.evidence}",
    )
    taken = {f.role for f in draft.figures}
    draft.figures.extend(f for f in new.figures if f.role not in taken)
    draft.age = 0


# Between "A will receive" and "from B": money, not rights (that would make A the licensee).
_PAYMENT_GAP = re.compile(
    r"(?!.*\b(?:rights?|licen[cs]e|technology|patents?)\b)"
    r".*(?:US\$|HK\$|[$€£¥]|\d|\bpayments?\b|\bfees?\b|up-?front|royalt|milestones?).*",
    re.I | re.S,
)

_Found = tuple[Party | None, Party | None, tuple[Party, ...], str, float, str | None, str | None]


def _role_rule(marked: str, mentions: list[Mention]) -> _Found | None:
    for name, shape, confidence, pattern in ROLE_RULES:
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
            owner, taker = groups.get("b"), groups.get("a")
            if shape == "licensor-first":
                owner, taker = taker, owner
        licensor, licensee = _party(mentions, owner), _party(mentions, taker)
        if licensor is None or licensee is None or licensor.name == licensee.name:
            continue
        if name == "paid-by" and not _PAYMENT_GAP.fullmatch(groups["asset"]):
            continue
        if name == "licensed-from" and not re.search(
            r"licen[cs]|rights|technolog|patent|know-how", match.group(0), re.I
        ):
            continue
        clause = re.split(r"[,.;]", marked[match.end() :], maxsplit=1)[0]
        return (
            licensor,
            licensee,
            (licensee, licensor),
            f"rule {name}",
            confidence,
            groups.get("asset"),
            match.group(0)
            + clause,  # "licensed B's laser patents": the kind reads to the clause end
        )
    return None


def _agreement_rule(marked: str, mentions: list[Mention]) -> _Found | None:
    match = _AGREEMENT.search(marked)
    between = _BETWEEN.search(marked) if match is None else None
    if match is None and between is None:
        return None
    if match is not None:
        first = _party(mentions, match["a"])
        second = _party(mentions, match["b"] or match["c"])
        rest, what = marked[match.end() :], match["what"]
        if second is None:  # "A signed a licence agreement giving B access to its tools"
            taker = _NAMED_LICENSEE.match(rest.lstrip(" ,"))
            second = _party(mentions, taker["x"]) if taker else None
    else:
        first, second = _party(mentions, between["a"]), _party(mentions, between["b"])
        rest, what = marked[between.end() :], between["what"]
    if first is None or second is None or first.name == second.name:
        return None
    clause = re.split(r"[.;]", rest, maxsplit=1)[0]
    bare = not re.search(r"licen[cs]|technology", what, re.I)
    if bare and not _LICENCE_CUE.search(clause):
        return None  # a supply or research agreement, not a licence
    kind_text = f"{what} {clause}"
    asset = _asset_from_rest(rest)
    parties = (first, second)
    named = _named_direction(rest, mentions, first, second)
    if named is not None:
        licensor, licensee = named
        return (licensor, licensee, parties, "rule agreement (named)", 0.8, asset, kind_text)
    licensor_cue = _FIRST_IS_LICENSOR.search(rest)
    licensee_cue = _FIRST_IS_LICENSEE.search(rest)
    if licensor_cue and (licensee_cue is None or licensor_cue.start() <= licensee_cue.start()):
        return (first, second, parties, "rule agreement (licensor cue)", 0.75, asset, kind_text)
    if licensee_cue:
        return (second, first, parties, "rule agreement (licensee cue)", 0.75, asset, kind_text)
    if bare:
        return None  # rights are mentioned but nothing says which way they go
    return (None, None, parties, "rule agreement (direction not stated)", 0.45, asset, kind_text)


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


def _settle_direction(draft: _Draft, sentence: str, mentions: list[Mention]) -> None:
    """A deal read without a direction takes it from a following sentence that says who pays or
    who is paid ("A and B signed a licence. B will make an upfront payment of $25 million to A")."""
    old = draft.proposal
    if old.licensor is not None or len(old.parties) != 2 or not mentions:
        return
    named = _named_direction(_mark(sentence, mentions), mentions, *old.parties)
    if named is not None:
        licensor, licensee = named
        draft.proposal = replace(
            old,
            licensor=licensor,
            licensee=licensee,
            why=f"{old.why}; direction from the terms",
            evidence=f"{old.evidence} {sentence}",
        )


def _party(mentions: list[Mention], index: str | None) -> Party | None:
    if index is None or int(index) >= len(mentions):
        return None
    org = mentions[int(index)].org
    return Party(org.name, org.company_id)


def _kind(what: str) -> str:
    lowered = what.lower()
    if "patent" in lowered:
        return "patent_licence"
    if re.search(r"out-?licen", lowered):
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


def _attach_terms(
    draft: _Draft,
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
        if not _TERMS_SENTENCE.search(sentence) and not _UNDISCLOSED.search(sentence):
            return
    amounts = find_amounts(sentence)
    taken = {f.role for f in draft.figures}
    for index, amount in enumerate(amounts):
        role = role_of(sentence, amounts, index)
        if role is None or role in taken:
            continue
        draft.figures.append(_figure(role, amount, year))
        taken.add(role)
    if not amounts and _UNDISCLOSED.search(sentence) and not draft.figures:
        draft.figures.append(ProposedFigure("total", None, "USD", disclosed=False))


def _figure(role: str, amount: Amount, year: int | None) -> ProposedFigure:
    """A figure in its own currency, with USD from the text if stated, else from the rate table."""
    if amount.stated_usd is not None:
        usd, basis = amount.stated_usd, "stated"
    else:
        try:
            usd, basis = to_usd(Money(amount.value, amount.currency), year)
        except BadInput:
            usd, basis = None, None
    return ProposedFigure(role, amount.value, amount.currency, usd, basis, amount.approx)


def _approval(
    sentence: str, mentions: list[Mention], last_org: Org | None, published: date | None
) -> Proposal | None:
    if (
        not _APPROVED.search(sentence)
        or _PENDING.search(sentence)
        or _PENDING_MODAL.search(sentence)
    ):
        return None
    territory = next((where for pattern, where in _REGULATORS if pattern.search(sentence)), None)
    countries = _COUNTRIES.search(sentence)
    if territory is None and countries is None:
        return None
    org, confidence = _subject(sentence, mentions, last_org)
    if org is None:
        return None
    figures: tuple[ProposedFigure, ...] = ()
    if countries is not None:
        territory = f"{countries['n']} {countries['what']}"
        figures = (ProposedFigure("count", float(countries["n"]), "count"),)
    return Proposal(
        kind="approval",
        evidence=sentence,
        confidence=confidence,
        why="rule approval" + (" (regulator)" if countries is None else " (countries)"),
        subject=Party(org.name, org.company_id),
        parties=(Party(org.name, org.company_id),),
        asset=_approved_asset(sentence, mentions),
        territory=territory,
        period=find_period(sentence, published) or (published.isoformat() if published else None),
        figures=figures,
    )


def _subject(
    sentence: str, mentions: list[Mention], last_org: Org | None
) -> tuple[Org | None, float]:
    """Whose fact: a company named in the sentence, else the company the text was just about."""
    if mentions:
        by = next(
            (
                m
                for m in mentions
                if sentence[max(0, m.start - 12) : m.start].rstrip().endswith(("by", "from"))
            ),
            None,
        )
        return (by or mentions[0]).org, 0.8
    return last_org, 0.55


def _approved_asset(sentence: str, mentions: list[Mention]) -> str | None:
    for mention in mentions:
        tail = sentence[mention.end : mention.end + 40]
        match = re.match(
            r"['’]s\s+(?P<asset>[\w-]+(?:\s+[\w-]+){0,3}?)\s+(?:has|have|had|was|is|became|received|won)\b",
            tail,
        )
        if match:
            return match["asset"]
    match = re.search(
        r"\bthe\s+(?P<asset>[\w-]+(?:\s+[\w-]+){0,4}?)\s+(?:produced|developed|made)\s+by\b",
        sentence,
    )
    return match["asset"] if match else None


def _sales(
    sentence: str,
    mentions: list[Mention],
    last_org: Org | None,
    published: date | None,
    year: int | None,
) -> Proposal | None:
    sales = _SALES.search(sentence)
    if sales is None:
        return None
    amounts = [a for a in find_amounts(sentence) if a.start >= sales.start()]
    if not amounts:
        return None
    org, confidence = _subject(sentence, mentions, last_org)
    if org is None:
        return None
    period = find_period(sentence, published)
    figure_year = int(period[:4]) if period else year
    before = sentence[max(0, sales.start() - 30) : sales.start()].split()
    asset = before[-1] if before and re.fullmatch(r"[A-Z][A-Za-z0-9-]+", before[-1]) else None
    if asset and asset in {m.org.name for m in mentions}:
        asset = None
    return Proposal(
        kind="sales",
        evidence=sentence,
        confidence=confidence,
        why="rule sales",
        subject=Party(org.name, org.company_id),
        parties=(Party(org.name, org.company_id),),
        asset=asset,
        period=period,
        figures=(_figure("sales", amounts[0], figure_year),),
    )


def _market_stat(
    sentence: str, published: date | None, year: int | None, carried: str | None = None
) -> Proposal | None:
    """An aggregate figure; a comparison ("16 percent higher than in 2024") does not date it,
    and a sentence that names no period continues the previous statistic's."""
    if not (_AGGREGATE_TOPIC.search(sentence) and _AGGREGATE_SCOPE.search(sentence)):
        return None
    period = find_period(re.split(r"\bthan\b", sentence)[0], published) or carried
    figure_year = int(period[:4]) if period else year
    figures: list[ProposedFigure] = []
    amounts = [
        a for a in find_amounts(sentence) if not re.search(r"\bthan\s*$", sentence[: a.start])
    ]
    if amounts:
        figures.append(_figure("value", amounts[0], figure_year))
    count = _COUNT.search(sentence)
    if count and not any(a.start <= count.start() < a.end for a in amounts):
        figures.append(ProposedFigure("count", _number(count["n"]), "count"))
    growth = _GROWTH.search(sentence)
    multiple = _MULTIPLE.search(sentence)
    if growth:
        figures.append(ProposedFigure("growth", float(growth["n"] or growth["n2"]), "percent"))
    elif multiple:
        figures.append(ProposedFigure("growth", _multiple(multiple), "multiple"))
    if not figures or not (amounts or count):
        return None
    return Proposal(
        kind="market_stat",
        evidence=sentence,
        confidence=0.6,
        why="rule aggregate statistic",
        period=period,
        figures=tuple(figures),
    )


def _number(text: str) -> float:
    """A count as digits ("1,200") or a word ("eight")."""
    return float(NUMBER_WORDS.get(text.lower()) or text.replace(",", ""))


def _multiple(match: re.Match[str]) -> float:
    if match["verb"]:
        return float(_MULTIPLE_VERBS[match["verb"].lower()])
    return _number(match["n"] or match["n2"])


def _listings(
    sentence: str, mentions: list[Mention], last_org: Org | None, published: date | None
) -> list[Proposal]:
    """A company's listing on an exchange, one per exchange the sentence names after "listed on"."""
    listed = _LISTED.search(sentence)
    if listed is None or _PENDING.search(sentence) or _PENDING_MODAL.search(sentence):
        return []
    org, confidence = _subject(sentence, mentions, last_org)
    if org is None:
        return []
    found = []
    for match in _EXCHANGE.finditer(sentence, listed.start()):
        exchange = re.sub(r"['’]s$", "", match["ex"])
        place = next((where for key, where in _EXCHANGE_PLACES if key in exchange), None)
        period = match["year"] or find_period(sentence[match.start() :], published)
        found.append(
            Proposal(
                kind="listing",
                evidence=sentence,
                confidence=confidence,
                why="rule listing",
                subject=Party(org.name, org.company_id),
                parties=(Party(org.name, org.company_id),),
                asset=exchange,
                territory=place,
                period=period,
            )
        )
    return found
