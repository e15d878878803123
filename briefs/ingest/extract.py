"""Turn an article's sentences into proposed facts, each with its evidence and reason.

Deterministic and offline: the same text always gives the same proposals. Each sentence goes to
the deal rules (:mod:`.deal_rules`) and, when it states no deal, to the rules for other facts
(:mod:`.other_rules`). Sentences that deny, doubt or merely anticipate a deal propose nothing
(:mod:`.sentences`); deal terms in the sentences that follow a deal are attached to it, and a
sentence restating the deal being read is merged into it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from functools import partial

from ..errors import BadInput
from ..money import CURRENCY_WORDS
from .amounts import FIGURE_WORDS, INSTITUTION_WORDS, UNDISCLOSED, Amount, find_amounts
from .dates import dateline_date, day_of
from .deal_dates import (
    HEADING_DAY,
    date_from_telling,
    dated_by_another,
    dated_by_article,
    day_of_news,
    redate,
    told_before,
)
from .deal_kinds import kind_the_article_names
from .deal_rules import (
    Draft,
    attach_terms,
    counted_grantor,
    counted_taker_deal,
    founded_org,
    newco_deal,
    owner_deal,
    passive_taker,
    read_deal,
    settle_direction,
    undisclosed_for,
)
from .insertions import Pruned, names_aside, set_aside
from .lowered import holds_any
from .orgs import DocumentNames, KnownNames, Mention, Org
from .other_rules import other_facts
from .proposal import Party, Proposal, proposed_figure
from .sentences import cancelled, conditional, denied, retracted, sentences

MAX_TEXT = 2_000_000  # characters; read.py refuses larger files before they get here
FOLLOW_SENTENCES = 5  # deal terms are looked for this many sentences after the deal
FOCUS_SENTENCES = 25  # ... and further on, when the sentence names the deal's parties
FOCUS_DEALS = 3  # the latest deals a sentence naming their parties may still add terms to
LEAD_SENTENCES = 2  # the article's lead: where a company's approval or sales figure is news
# An item of a list or a row of a table ("| Upfront payment | $20 million |"): one sentence
# with the others, so reading it does not age the deal.
_LIST_ITEM = re.compile(r"\s*(?:\(?(?:[ivx]{1,4}|[a-h]|\d{1,2})\)|[-•*–]\s|\|)")

# A sentence without a company must mention one of these for any rule to apply to it.
_TOPIC = re.compile(
    r"licen[cs]|patent|transaction|technolog|export|approv|authori[sz]|sales|undisclosed|terms|"
    r"disclos|up-?front|milestone|equity|shares|payment|worth|value|deal|agreement|reports?\b|"
    r"listed|financial|paying|confidential|reveal|\bfees?\b|signing|biobucks|\btotal|aggregate|"
    r"consideration",
    re.I,
)


_DIGIT = re.compile(r"\d")  # no amount without one

# Literal stems of _TOPIC: a sentence with none of them cannot match it (checked first, cheaply).
_TOPIC_STEMS = (
    "licen",
    "patent",
    "transaction",
    "technolog",
    "export",
    "approv",
    "authori",
    "sales",
    "disclos",
    "terms",
    "front",
    "milestone",
    "equity",
    "shares",
    "payment",
    "worth",
    "value",
    "deal",
    "agreement",
    "report",
    "listed",
    "financial",
    "paying",
    "confidential",
    "reveal",
    "fee",
    "signing",
    "biobucks",
    "total",
    "aggregate",
    "consideration",
)


def _on_topic(sentence: str) -> bool:
    lowered = sentence.lower()
    return holds_any(lowered, _TOPIC_STEMS) and bool(_TOPIC.search(sentence))


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
    names = DocumentNames(known, text)
    drafts: list[Draft] = []
    others: list[Proposal] = []
    current: Draft | None = None
    last_org: Org | None = None  # the company named last: whose approval or sales figure
    last_subject: Org | None = None  # the company named first: what a leading "It" stands for
    stat_paragraph = -1
    withdrawn: set[str] = set()  # companies whose deal the article ends or denies
    section_day: str | None = None  # the day a newsletter item's heading gives
    newco: Org | None = None  # the company the story says is being founded
    takeover_talk: str | None = None  # a report that a company is to be bought, told last
    # A licence told from its taker's side, waiting for the owner: (told, (sentence, mentions,
    # taker)).
    taken: tuple[int, tuple[str, list[Mention], Org]] | None = None
    counted: tuple[int, Org] | None = None  # a licensor whose takers are counted, then named
    # Sentences of terms read before any deal they could belong to ("Nishikawa pays JPY 3bn
    # upfront." above the sentence that tells the licence): (paragraph, position, sentence,
    # mentions).
    early: list[tuple[int, int, str, list]] = []
    told = -1
    for position, paragraph, sentence, heading in _news_sentences(text):
        mentions = _companies(sentence, names.find(sentence))
        orgs = [m.org for m in mentions]
        if not _LIST_ITEM.match(sentence):  # "(ii) milestone payments of ...": the same sentence
            for draft in drafts[-FOCUS_DEALS:]:
                draft.age += 1
        if heading:  # a newsletter item's heading: "... (Nov 20)"
            tail = HEADING_DAY.search(sentence)
            section_day = day_of(tail["day"], published) if tail else None
            if current is not None and orgs and not _involves(current.proposal, orgs):
                current = None  # an item about other companies: the deal read is out of focus
        if not heading:
            told += 1  # sentences of body text before this one
        if "report" in sentence and _TAKEOVER_TALK.search(sentence):
            takeover_talk = sentence
        if not mentions and not _on_topic(sentence):
            continue  # no company and nothing a rule looks for: skip the costlier checks
        if takeover_talk is not None and denied(sentence) and _denies_talk(sentence):
            takeover_talk = None  # "X denied the report": of the takeover, not of its licences
            continue
        if retracted(sentence):
            ended = [
                d
                for d in drafts
                if _involves(d.proposal, orgs)
                and (denied(sentence) or not _ends_another(d, orgs, names))
            ]
            withdrawn |= {o.name for o in orgs}
            withdrawn |= {p.name for d in ended for p in d.proposal.parties}
            drafts = [d for d in drafts if d not in ended]
            others = [p for p in others if not _involves(p, orgs)]
            current = None
        elif cancelled(sentence):
            # "... if milestones are met", "X did not say what Y is paying": still the deal's terms
            terms_only = conditional(sentence) or UNDISCLOSED.search(sentence)
            focus = _in_focus(drafts, current, orgs, sentence, names) if terms_only else None
            if focus is not None:
                attach_terms(focus, sentence, _as_parties(focus, sentence, mentions, names), year)
            else:
                current = None
        else:
            previous = current.proposal if current is not None else None
            deal = read_deal(sentence, mentions, published, year, last_subject, previous)
            pruned = (
                set_aside(sentence, mentions)
                if deal is None or (len(mentions) > 2 and names_aside(sentence))
                else None
            )
            if pruned is not None and (deal is None or _party_aside(deal, pruned)):
                # read without its insertions; a party named only in one (", backed by B,") is
                # no party of this deal
                deal = _read_without_insertions(
                    pruned,
                    sentence,
                    published,
                    partial(
                        read_deal,
                        published=published,
                        year=year,
                        last_subject=last_subject,
                        previous=previous,
                    ),
                )
            if deal is not None and _to_itself(deal, names):
                deal = None  # "B." as a heading, then "B Inc. has obtained a licence": one company
            if deal is None and newco is not None:
                deal = newco_deal(sentence, mentions, newco, published, year)
                if deal is None and pruned is not None:
                    deal = _read_without_insertions(
                        pruned,
                        sentence,
                        published,
                        partial(newco_deal, newco=newco, published=published, year=year),
                    )
            newco = founded_org(sentence, mentions) or newco
            if deal is None and taken is not None and told - taken[0] <= _OWNER_WITHIN:
                deal = owner_deal(taken[1], sentence, mentions, published, year)
                taken = None if deal is not None else taken
            if deal is None and (taker := _passive_taker(sentence, mentions, pruned)) is not None:
                taken = (told, (sentence, mentions, taker))
                deal = owner_deal(taken[1], sentence, mentions, published, year)
                taken = None if deal is not None else taken
            if deal is None and counted is not None and told - counted[0] <= _COUNTED_WITHIN:
                deal = counted_taker_deal(counted[1], sentence, mentions, published, year)
                if deal is not None:  # each taker named keeps the count open for the next
                    counted, taken = (told, counted[1]), None
            if deal is None and (grantor := counted_grantor(sentence, mentions)) is not None:
                counted = (told, grantor)
            if deal is not None and _ANOTHER_DEAL.search(sentence):
                deal.separate = True
            if (
                deal is not None
                and current is not None
                and _same_deal(current, deal)
                and not deal.separate
            ):
                _merge(current, deal)
            elif deal is not None and _unwinds(deal, withdrawn):
                current = None  # rights handed back under a deal just ended or denied
            elif deal is not None and _past(deal, sentence, published):
                pass  # a past deal told in passing: the deal in focus stays the news
            elif deal is not None:
                current = deal
                drafts.append(deal)
                drafts.extend(deal.co_takers)
                for said, named in _terms_told_before(deal, early, position):
                    attach_terms(deal, said, named, year)
                if section_day and dated_by_article(deal, published):
                    redate(deal, section_day, sentence)
            elif not mentions and undisclosed_for(sentence) == "all":
                # "Terms of the agreements were not disclosed": every deal just read
                for draft in [d for d in drafts if d.age <= FOCUS_SENTENCES]:
                    attach_terms(draft, sentence, mentions, year)
            elif (focus := _in_focus(drafts, current, orgs, sentence, names)) is not None:
                if _names_both(focus, orgs, names):
                    focus.age = 0  # a sentence about both parties goes on with their deal
                settle_direction(focus, sentence, mentions)
                attach_terms(focus, sentence, _as_parties(focus, sentence, mentions, names), year)
                date_from_telling(focus, sentence, published)
            elif not mentions and undisclosed_for(sentence) is not None:
                # "Financial terms were not disclosed", a paragraph or two after the deal
                recent = [d for d in drafts if d.age <= FOCUS_SENTENCES]
                for draft in recent[-1:]:
                    attach_terms(draft, sentence, mentions, year)
            elif (mentions or not drafts) and _terms_before_a_deal(sentence, mentions, heading):
                early.append((paragraph, position, sentence, mentions))
            if deal is None:
                earlier = others[-1] if others and others[-1].kind == "market_stat" else None
                carried = earlier.period if earlier and stat_paragraph == paragraph else None
                found = other_facts(sentence, mentions, last_org, published, carried)
                others.extend(f for f in found if _as_news(f, told, published))
                if not mentions:
                    stat_paragraph = paragraph
        if orgs:
            last_org, last_subject = orgs[-1], orgs[0]
    finished = kind_the_article_names(_finished_deals(drafts, names, text, published), text)
    if finished:  # beside a deal, other facts are proposed only when told as news
        others = [p for p in others if _news_beside_a_deal(p, published)]
    # An approval the text dates years back is the product's history, never news.
    others = [p for p in others if p.kind != "approval" or not _background(p, published)]
    return finished + others


def _read_without_insertions(
    pruned: Pruned,
    sentence: str,
    published: date | None,
    read: Callable[[str, list[Mention]], Draft | None],
) -> Draft | None:
    """The deal ``read`` finds in the sentence once a time, a description or an aside inserted
    into it is set aside (:mod:`.insertions`), quoted from the sentence as written."""
    draft = read(pruned.sentence, pruned.mentions)
    if draft is None:
        return None
    for deal in (draft, *draft.co_takers):
        _quote_original(deal, pruned.sentence, sentence)
        if dated_by_article(deal, published):
            day = next(filter(None, (day_of(r, published) for r in pruned.removed)), None)
            if day is not None:  # "licensed on Tuesday its ...": the day set aside dates it
                redate(deal, day, sentence)
    return draft


def _to_itself(deal: Draft, names: DocumentNames) -> bool:
    """Whether a deal's licensor and licensee are one company under two spellings."""
    licensor, licensee = deal.proposal.licensor, deal.proposal.licensee
    if licensor is None or licensee is None:
        return False
    return _spelled_party(names, licensor) == _spelled_party(names, licensee)


def _party_aside(deal: Draft, pruned: Pruned) -> bool:
    """True when a party of the deal is a company the sentence names only in an insertion."""
    return any(p.name in pruned.aside for p in deal.proposal.parties)


def _passive_taker(sentence: str, mentions: list[Mention], pruned: Pruned | None) -> Org | None:
    """The taker of "X has been licensed by B", read with the insertions set aside if need be."""
    taker = passive_taker(sentence, mentions)
    if taker is None and pruned is not None:
        taker = passive_taker(pruned.sentence, pruned.mentions)
    return taker


def _quote_original(draft: Draft, read: str, written: str) -> None:
    """The evidence of a deal read from ``read`` (the sentence without its insertions) quoted as
    ``written``; an asset that spans a cut is dropped, as it is no phrase of the text."""
    proposal = draft.proposal
    asset = proposal.asset if proposal.asset and proposal.asset in written else None
    draft.proposal = replace(
        proposal, evidence=proposal.evidence.replace(read, written), asset=asset
    )
    for name, said in draft.evidence_of.items():
        draft.evidence_of[name] = said.replace(read, written)
    if asset is None:
        draft.evidence_of.pop("asset", None)


# "The second arrangement gives ...": a deal of its own, though between the same two companies.
_ANOTHER_DEAL = re.compile(
    r"\b(?:second|third)\s+(?:[\w-]+\s+)?"
    r"(?:agreement|arrangement|deal|licen[cs]e|contract|pact)\b",
    re.I,
)

# How many sentences after "A has licensed it to two partners", or after the partner named last,
# the next partner may be named.
_COUNTED_WITHIN = 4

# How many sentences after "X has been licensed by B" the owner of X may be named.
_OWNER_WITHIN = 2

# A report that a company may be bought ("was in talks to buy Halden"): a denial after it
# speaks of that report, not of the licences the story told.
_TAKEOVER_TALK = re.compile(
    r"\b(?:talks|bid|offer|plans?|considering|exploring)\b[^.;]{0,40}?\b(?:to\s+)?"
    r"(?:buy|acquire|take\s+over|merge\s+with)\s+(?!(?:the\s+)?(?:rights?|licen))[A-Z]"
    r"|\b(?:sale|takeover|acquisition)\s+of\s+(?:the\s+company|[A-Z])"
)
_TALK_DENIED = re.compile(
    r"\b(?:denied|denies|dismissed|rejected)\s+(?:the|those|these)\s+reports?\b"
)


def _denies_talk(sentence: str) -> bool:
    """A denial of "the report" just told, with no licence named in it."""
    return bool(_TALK_DENIED.search(sentence)) and "licen" not in sentence.lower()


def _news_sentences(text: str) -> Iterator[tuple[int, int, str, bool]]:
    """The article's sentences as (position, paragraph, sentence, is a heading), without links
    to other stories and without the boilerplate a press release ends with."""
    links = False  # reading a list of links to other stories
    for position, (paragraph, sentence) in enumerate(sentences(text)):
        heading = _heading(sentence)
        if heading and _BOILERPLATE.match(sentence):
            return  # "About Halden Bio", "Forward-looking statements": the rest is boilerplate
        if _RELATED.match(sentence):  # "Related: X licenses Y", "Read more" and the links below
            links = not _RELATED_INLINE.match(sentence)
            continue
        if links and (heading or _LIST_ITEM.match(sentence)):
            continue
        links = False
        yield position, paragraph, sentence, heading


def _finished_deals(
    drafts: list[Draft], names: DocumentNames, text: str, published: date | None
) -> list[Proposal]:
    """One proposal per deal read, dated, without the background ones, a licence to a company
    launched for it as a NewCo, "¥" as yen in an article about Japanese companies."""
    deals = _one_per_deal(drafts, names)
    for draft in deals:
        said = draft.evidence_of.get("date", draft.proposal.evidence)
        draft.proposal = day_of_news(
            dated_by_another(draft.proposal, said, published), said, published
        )
    deals = [d for d in deals if not _background(d.proposal, published)]
    lowered = text.lower()
    launched = any(words in lowered for words in _LAUNCH_WORDS)
    for draft in deals:
        if launched and _founded_for(draft.proposal, text):
            draft.proposal = replace(draft.proposal, kind="newco")
    finished = [d.finished() for d in deals]
    if "¥" in text and _reads_japanese(text):
        year = published.year if published else None
        finished = [_yen_in_japan(p, year) for p in finished]
    return finished


# A statistic's source: "industry data showed", "according to ...".
_SOURCED = re.compile(
    r"\b(?:according to|data|figures|statistics|survey|tally|compiled by)\b", re.I
)


def _as_news(fact: Proposal, told: int, published: date | None) -> bool:
    """An approval or a sales figure is news in the article's lead or when dated in the week
    before it; further on it is the company's background ("its drug, approved last year, sold
    $200 million")."""
    if fact.kind not in ("approval", "sales") or told < LEAD_SENTENCES:
        return True
    return bool(fact.period) and day_of(fact.period, published) is not None


def _news_beside_a_deal(proposal: Proposal, published: date | None) -> bool:
    """In an article about a deal, an approval, listing or sales figure dated years back is the
    company's background, and a market figure that cites no source is the writer's own talk."""
    if proposal.kind == "market_stat":
        return bool(_SOURCED.search(proposal.evidence))
    return not _background(proposal, published)


# Words of a company launched for a deal, looked for in the lower-cased text.
_LAUNCH_WORDS = ("launch", "new company", "newly formed", "newly created")


# "¥" is the yuan's sign and the yen's; the money module reads it as yuan. An article about
# Japanese companies means yen by it.
_JAPAN = re.compile(r"\bJapan(?:ese)?\b|\bTokyo\b|\bOsaka\b|\byen\b|\bJPY\b")
_CHINA = re.compile(
    r"\bChin(?:a|ese)\b|\byuan\b|\bRMB\b|\brenminbi\b|\bCNY\b|\bShanghai\b|\bBeijing\b|"
    r"\bShenzhen\b|\bHong Kong\b"
)
_YUAN_WORD = re.compile(r"\byuan\b|\bRMB|\brenminbi\b|\bCNY|CN¥", re.I)


def _reads_japanese(text: str) -> bool:
    return len(_JAPAN.findall(text)) > len(_CHINA.findall(text))


def _yen_in_japan(proposal: Proposal, year: int | None) -> Proposal:
    """The deal's "¥" figures as yen, each read from a sentence that names no yuan."""
    figures = []
    for figure in proposal.figures:
        said = proposal.evidence_of.get(figure.role.split("_")[0], proposal.evidence)
        if figure.unit == "CNY" and "¥" in said and not _YUAN_WORD.search(said):
            amount = Amount(0, 0, figure.value or 0.0, "JPY", figure.approx)
            stated = figure.value_usd if figure.usd_basis == "stated" else None
            figure = proposed_figure(figure.role, replace(amount, stated_usd=stated), year)
        figures.append(figure)
    return replace(proposal, figures=tuple(figures))


def _founded_for(proposal: Proposal, text: str) -> bool:
    """True when the licensee is a company launched for the deal ("the launch of Tessaly, a new
    company"): the licence is what a NewCo starts with."""
    if proposal.licensee is None or proposal.kind not in ("licence", "out_licence"):
        return False
    first_word = proposal.licensee.name.split()[0]
    if first_word not in text:  # both wordings name it: most texts need no search at all
        return False
    name = re.escape(first_word)
    launch = re.compile(r"\blaunch(?:es|ed|ing)?\s+(?:of\s+)?" + name)
    called = re.compile(
        r"\b"
        + name
        + r"\b[^.]{0,60}?,\s+(?:a|the)\s+(?:newly\s+(?:formed|created)\s+|new\s+)company"
    )
    return _starts_where(launch, "launch", text) or _starts_where(called, first_word, text)


def _starts_where(pattern: re.Pattern[str], literal: str, text: str) -> bool:
    """True when ``pattern``, whose every match begins with ``literal``, matches in ``text``:
    tried only where a plain scan finds the literal, not at every place of a long text."""
    at = text.find(literal)
    while at != -1:
        if pattern.match(text, at):
            return True
        at = text.find(literal, at + 1)
    return False


def _past(deal: Draft, sentence: str, published: date | None) -> bool:
    """True for a deal its sentence dates years back, by a year that dates the deal itself, or
    tells as licensed before."""
    if told_before(sentence):
        return True
    return _background(deal.proposal, published) and _background(
        dated_by_another(deal.proposal, sentence, published), published
    )


def _background(proposal: Proposal, published: date | None) -> bool:
    """A deal (or another fact) the text dates years before the article ("In 2021 the company
    licensed ...") is history told as background, not news to record."""
    year = proposal.period[:4] if proposal.period else ""
    return published is not None and year.isdigit() and int(year) < published.year - 1


def _one_per_deal(drafts: list[Draft], names: DocumentNames) -> list[Draft]:
    """Name each party by its fullest name in the document, then fold drafts of the same deal
    (a headline's and the body's) into the one that says most."""
    kept: list[Draft] = []
    for draft in drafts:
        draft.proposal = _fullest_parties(draft.proposal, names)
        twin = next((k for k in kept if _same_deal(k, draft) and not k.separate), None)
        if twin is None or draft.separate:
            kept.append(draft)
            continue
        mine, theirs = len(draft.all_figures()), len(twin.all_figures())
        richer, poorer = (draft, twin) if mine > theirs else (twin, draft)
        if mine == theirs:
            richer, poorer = draft, twin  # the body says it after the headline
        _merge(richer, poorer)
        kept[kept.index(twin)] = richer
    return kept


def _roles(proposal: Proposal) -> tuple[str, str] | None:
    if proposal.licensor is None or proposal.licensee is None:
        return None
    return proposal.licensor.name, proposal.licensee.name


def _spelled_party(names: DocumentNames, party: Party) -> str:
    """A party's name as the article spells it out in full, so two spellings compare equal."""
    return names.spelled_out(Org(party.name, party.company_id)).name


def _fullest_parties(proposal: Proposal, names: DocumentNames) -> Proposal:
    def fullest(party: Party | None) -> Party | None:
        if party is None:
            return None
        org = names.spelled_out(Org(party.name, party.company_id))
        return Party(org.name, org.company_id) if org.name != party.name else party

    return replace(
        proposal,
        licensor=fullest(proposal.licensor),
        licensee=fullest(proposal.licensee),
        parties=tuple(fullest(p) for p in proposal.parties),
    )


def _in_focus(
    drafts: list[Draft],
    current: Draft | None,
    orgs: list[Org],
    sentence: str = "",
    names: DocumentNames | None = None,
) -> Draft | None:
    """The deal a sentence's terms belong to: the latest deal whose parties are the companies it
    names (by any of their names); with none named, the deal just read, for a few sentences, and
    further on (a later paragraph of terms about "the agreement") the article's one recent deal."""
    if orgs:
        named = {o.name for o in orgs}
        for draft in reversed(drafts[-FOCUS_DEALS:]):
            if draft.age > FOCUS_SENTENCES:
                continue
            parties = {p.name for p in draft.proposal.parties}
            if named <= parties or (
                names
                and _may_be_parties(named - parties, parties)
                and _spelled(named, names) <= _spelled(parties, names)
            ):
                return draft
    recent = [d for d in drafts if d.age <= FOCUS_SENTENCES]
    if not orgs and len(recent) > 1 and (named := _by_asset(recent, sentence)) is not None:
        return named  # "For HB-301, the upfront is ...": the deal for that asset, of several
    if current is not None and current.age <= FOLLOW_SENTENCES:
        return current
    if not orgs and len(recent) == 1 and _THE_DEAL.search(sentence):
        return recent[0]
    return None


def _by_asset(drafts: list[Draft], sentence: str) -> Draft | None:
    """The one deal whose asset the sentence names by its code ("HB-301"), if just one."""
    named = [d for d in drafts if _names_code(sentence, _asset_code(d))]
    return named[0] if len(named) == 1 else None


def _names_code(sentence: str, code: str) -> bool:
    if not code or code not in sentence:  # the substring first: most sentences name none
        return False
    return bool(re.search(r"(?<![\w-])" + re.escape(code) + r"(?![\w-])", sentence))


def _asset_code(draft: Draft) -> str:
    """The code an asset goes by (its first word when it holds a digit: "HB-301"), else ""."""
    asset = draft.proposal.asset
    first = asset.split()[0].strip(",.;:()") if asset else ""
    return first if len(first) >= 3 and any(c.isdigit() for c in first) else ""


# Words before a company that a figure is quoted from or that advised on the deal.
_SOURCE_BEFORE = re.compile(
    r"\b(?:analysts?\s+(?:at|from|with)|according\s+to|advised\s+by|advis[eo]rs?|counsel|"
    r"bankers?\s+at|brokerage|estimates?\s+(?:by|from))\s+(?:the\s+)?$",
    re.I,
)


def _may_be_parties(others: set[str], parties: set[str]) -> bool:
    """A cheap look before spelling names out: each other name shares a word with a party's."""
    words = {word for party in parties for word in party.split()}
    return all(not words.isdisjoint(name.split()) for name in others)


def _spelled(companies: set[str], names: DocumentNames) -> set[str]:
    return {names.spelled_out(Org(name)).name for name in companies}


def _as_parties(draft: Draft, sentence: str, mentions: list, names: DocumentNames) -> list:
    """The sentence's companies with each party of the deal called by the deal's name for it
    ("Veldhuis" where the deal says "Veldhuis Pharma"): a shorter name is no other company; nor is
    the bank or adviser a figure is quoted from ("according to analysts at Kestrel Securities")."""
    parties = {p.name for p in draft.proposal.parties}
    if all(m.org.name in parties for m in mentions):
        return mentions
    mentions = [
        m
        for m in mentions
        if m.org.name in parties
        or not _SOURCE_BEFORE.search(sentence, max(0, m.start - 40), m.start)
    ]
    by_spelling = {_spelled_party(names, p): p for p in draft.proposal.parties}
    called = []
    for mention in mentions:
        party = by_spelling.get(names.spelled_out(mention.org).name)
        if party is not None and mention.org.name not in parties:
            mention = Mention(mention.start, mention.end, Org(party.name, party.company_id))
        called.append(mention)
    return called


# A sentence that speaks of the deal already told: "Under the agreement, ...", "The deal carries".
_THE_DEAL = re.compile(
    r"\b(?:the|this)\s+(?:deal|agreement|licen[cs]e|transaction|pact|partnership|arrangement)\b"
    r"|\bunder the\b",
    re.I,
)


# The heading of a press release's boilerplate: what follows describes the companies (and their
# past partners) or the release's legal terms, never the news.
_BOILERPLATE = re.compile(
    r"About\s+(?:[Tt]he\s+)?(?!(?:The|Deal|Agreement|Licen[cs]e|Transaction|Terms|Partnership)\b)"
    r"[A-Z][\w.&'’-]*(?:\s+[\w.&'’()-]+){0,5}\s*$"
    r"|(?i:forward[- ]looking statements?|safe harbou?r(?: statement)?|cautionary (?:note|statement)"
    r"[\w\s-]{0,40}|media contacts?|investor(?: relations)? contacts?|contacts?|disclaimer)\s*:?\s*$"
)
# Links to other stories, each a headline of its own: never this article's news.
_RELATED = re.compile(
    r"(?:related(?: stories| articles| coverage| news| reading)?|read (?:more|also|next)|see also|"
    r"also read|more (?:from|on) [^.!?:|»›–—-]{1,60}|more stories|recommended(?: for you)?|"
    r"further reading|"
    r"you may also like|most read|trending)\s*(?:[:|»›–—-]|$)",
    re.I,
)
_RELATED_INLINE = re.compile(r"[^:|»›–—-]+[:|»›–—-]\s*\S")  # "Related: <one headline>"
_HEADING_ENDS = tuple('.!?:;"”’')


def _heading(sentence: str) -> bool:
    """A short line with no closing stop: a headline or an item's heading."""
    return len(sentence) <= 150 and not sentence.endswith(_HEADING_ENDS)


def _terms_before_a_deal(sentence: str, mentions: list, heading: bool) -> bool:
    """True for a sentence of terms that may come before its deal is read: a role word with money,
    a headline's figure ("Hoshino sells antifungal to Brisant for up to 16.5 bln yen"), or a value
    given to what two companies did ("... with Corvid Bio worth up to $400 million")."""
    if FIGURE_WORDS.search(sentence):
        return True
    if not (heading and mentions) and not (
        "worth" in sentence and len({m.org.name for m in mentions}) >= 2
    ):
        return False
    return bool(_DIGIT.search(sentence)) and bool(find_amounts(sentence))


def _terms_told_before(
    deal: Draft, early: list[tuple[int, int, str, list]], position: int
) -> list[tuple[str, list]]:
    """The sentences of terms read a little before the deal that name only its parties, with
    the unnamed ones of their paragraphs ("The headline value is $1.35bn. Meridale pays ...")."""
    parties = {p.name for p in deal.proposal.parties}
    recent = [item for item in early if position - item[1] <= FOCUS_SENTENCES]
    named = {item[0] for item in recent if item[3] and {m.org.name for m in item[3]} <= parties}
    return [
        (sentence, mentions)
        for paragraph, _, sentence, mentions in recent
        if paragraph in named and {m.org.name for m in mentions} <= parties
    ]


# "Hanmo Capital (HK) Limited, an affiliate of Hanmo,": the company it belongs to is the party.
# A subsidiary or unit that signs is the party itself; its owner is a description
# (:mod:`.insertions`).
_AFFILIATE = re.compile(r"[^,.;]{0,30}?,\s+(?:an?|its)\s+affiliate\s+of\b")


def _without_affiliates(sentence: str, mentions: list) -> list:
    """The sentence's companies without those it names as another's affiliate (the other one,
    named too, stands for them)."""
    if "affiliate" not in sentence:
        return mentions
    return [m for m in mentions if not _AFFILIATE.match(sentence, m.end) or _signs(sentence, m)]


def _signs(sentence: str, mention) -> bool:
    """True for an affiliate an announcement defines a name for ('X Capital (HK) Limited ("X
    HK"), an affiliate of the Company, entered into'): it signs in its own name, and the listed
    parent only reports it. (A subsidiary or unit never reaches here: its owner is set aside as a
    description, :mod:`.insertions`.)"""
    return (
        '("' in sentence[mention.start : mention.end]
        or "(“" in sentence[mention.start : mention.end]
    )


def _companies(sentence: str, mentions: list) -> list:
    """The companies a sentence names: no currency written as a code ("CHF 15 million"), no
    institution (an exchange the deal was filed with), and none named as another's affiliate."""
    return _without_affiliates(
        sentence,
        [
            m
            for m in mentions
            if m.org.name.lower() not in CURRENCY_WORDS and not _institution(m.org.name)
        ],
    )


def _institution(name: str) -> bool:
    """True for a stock exchange, regulator, ministry or court named like a company."""
    return not INSTITUTION_WORDS.isdisjoint(name.lower().split())


def _unwinds(draft: Draft, withdrawn: set[str]) -> bool:
    """True when every party of the deal had a deal ended or denied earlier in the article:
    what follows between them (rights returned, data handed back) is the unwinding, not news."""
    parties = {p.name for p in draft.proposal.parties}
    return len(parties) >= 2 and parties <= withdrawn


def _names_both(draft: Draft, orgs: list[Org], names: DocumentNames) -> bool:
    """True when the sentence names every party of the deal (each by any of its names)."""
    parties = draft.proposal.parties
    if len(parties) < 2 or len(orgs) < 2:
        return False
    if {p.name for p in parties} <= {o.name for o in orgs}:
        return True
    named = {names.spelled_out(o).name for o in orgs}
    return all(_spelled_party(names, p) in named for p in parties)


def _ends_another(draft: Draft, orgs: list[Org], names: DocumentNames) -> bool:
    """True when the sentence ends a deal of one party with a third company ("B terminated its
    licence and returned the rights to A"): A's new deal with C stands."""
    if _names_both(draft, orgs, names):
        return False
    parties = {_spelled_party(names, p) for p in draft.proposal.parties}
    return any(names.spelled_out(o).name not in parties for o in orgs)


def _involves(proposal: Proposal, orgs: list[Org]) -> bool:
    names = {o.name for o in orgs}
    return any(p.name in names for p in (*proposal.parties, proposal.subject) if p)


def _same_deal(draft: Draft, new: Draft) -> bool:
    """True when ``new`` restates the deal being read: the same two parties, and roles that agree
    with it or fill in the roles it left open ("A and B signed a licence. It gives A access...")."""
    old, fresh = draft.proposal, new.proposal
    if {p.name for p in old.parties} != {p.name for p in fresh.parties}:
        return False
    if old.licensor is None or fresh.licensor is None:
        return True
    return (old.licensor.name, old.licensee.name) == (fresh.licensor.name, fresh.licensee.name)


def _merge(draft: Draft, new: Draft) -> None:
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
    for kinds, figure in new.milestones.items():
        draft.milestones.setdefault(kinds, figure)
    draft.royalty = draft.royalty or new.royalty
    draft.stage = draft.stage or new.stage
    for name, sentence in new.evidence_of.items():
        draft.evidence_of.setdefault(name, sentence)
    draft.age = 0
