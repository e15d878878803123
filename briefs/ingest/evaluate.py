"""Score the extractor against labelled articles: precision and recall per field.

A labelled set is a folder with ``labels.toml`` and the article files it names. Predicted and
expected proposals are paired by kind and parties, in the pairing that fits best overall; a field
counts as right only on a pair whose values agree. Unpaired predictions count against precision,
unpaired labels against recall.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..errors import BadInput
from ..money import parse_amount
from ..text import normalize_name
from ..vocab import VOCAB
from .extract import extract
from .orgs import LEGAL_TAIL
from .proposal import Proposal
from .read import Document, read_document

Reader = Callable[[Document], list[Proposal]]  # an extractor, from a read document to proposals


def read_with_rules(doc: Document) -> list[Proposal]:
    return extract(doc.text, published=doc.published_date)


FIELDS = (
    "licensor",
    "licensee",
    "upfront",
    "milestones",
    "total",
    "equity",
    "undisclosed",
    "kind",
    "date",
)
ROLE_FIELDS = ("licensor", "licensee")
AMOUNT_FIELDS = ("upfront", "milestones", "total", "equity")
DEAL_KINDS = frozenset(VOCAB.deal_kinds)
FOUND_FIELDS = (*AMOUNT_FIELDS, "undisclosed", "date")
HELDOUT_SPLITS = (
    "heldout",
    "blind",
    "blind2",
    "blind3",
    "blind4",
    "blind5",
    "blind6",
    "blind7",
)  # held-out subfolders


@dataclass
class Tally:
    predicted: int = 0  # predictions with a value for the field
    expected: int = 0  # labels with a value for the field
    right: int = 0  # pairs whose values agree

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.expected if self.expected else 1.0

    def plus(self, other: Tally) -> Tally:
        return Tally(
            self.predicted + other.predicted,
            self.expected + other.expected,
            self.right + other.right,
        )


@dataclass
class Report:
    fields: dict[str, Tally] = field(default_factory=lambda: {f: Tally() for f in FIELDS})
    negative_hits: list[str] = field(default_factory=list)  # files that should propose nothing
    articles: int = 0
    # Each disagreement, "file field: wanted -> got", for whoever works on a development set.
    misses: list[str] = field(default_factory=list)
    # The terms of deals whose licensor and licensee were both found: how well terms are read
    # apart from how often a deal is found.
    found: dict[str, Tally] = field(default_factory=lambda: {f: Tally() for f in FOUND_FIELDS})

    def add(self, other: Report) -> Report:
        """This report and ``other`` counted together, as if they were one labelled set."""
        total = Report(articles=self.articles + other.articles)
        total.negative_hits = [*self.negative_hits, *other.negative_hits]
        total.misses = [*self.misses, *other.misses]
        total.found = {name: self.found[name].plus(other.found[name]) for name in FOUND_FIELDS}
        total.fields = {name: self.fields[name].plus(other.fields[name]) for name in FIELDS}
        return total

    def combined(self, names: tuple[str, ...]) -> Tally:
        total = Tally()
        for name in names:
            tally = self.fields[name]
            total.predicted += tally.predicted
            total.expected += tally.expected
            total.right += tally.right
        return total


def values_of(proposal: Proposal) -> dict[str, object]:
    """The scored fields of a prediction, in the labels' terms."""
    values: dict[str, object] = {
        "kind": proposal.kind,
        "date": proposal.period,
        "licensor": _fold(proposal.licensor.name) if proposal.licensor else None,
        "licensee": _fold(proposal.licensee.name) if proposal.licensee else None,
        "subject": _fold(proposal.subject.name) if proposal.subject else None,
    }
    for role in AMOUNT_FIELDS:
        figure = proposal.figure(role)
        values[role] = (
            (round(figure.value, 2), figure.unit)
            if figure is not None and figure.value is not None
            else None
        )
    # "Financial terms were not disclosed": a term that exists with no value (labels say
    # ``undisclosed = true``).
    values["undisclosed"] = True if any(not f.disclosed for f in proposal.figures) else None
    return values


def values_of_label(label: dict) -> dict[str, object]:
    values: dict[str, object] = {
        "kind": label["kind"],
        "date": label.get("date"),
        "licensor": _fold(label["licensor"]) if "licensor" in label else None,
        "licensee": _fold(label["licensee"]) if "licensee" in label else None,
        "subject": _fold(label["subject"]) if "subject" in label else None,
    }
    for role in AMOUNT_FIELDS:
        values[role] = _label_amount(label[role]) if role in label else None
    values["undisclosed"] = True if label.get("undisclosed") else None
    return values


def _label_amount(raw: str) -> tuple[float, str] | str:
    """A labelled amount as predictions give it; one in a currency the project does not read
    stays as written, so it counts as wanted and is never matched."""
    try:
        money = parse_amount(raw)
    except BadInput:
        return raw
    return (round(money.amount, 2), money.currency)


def _fold(name: str) -> str:
    """A name without its legal tail: "Quillon Bio B.V." and "Quillon Bio" are one company."""
    words = normalize_name(name).split()
    while len(words) > 1 and words[-1] in LEGAL_TAIL | {"b", "v", "n", "s", "a", "ab", "as"}:
        words.pop()
    return " ".join(words)


def _affinity(pred: dict, want: dict) -> int:
    """How well a prediction fits a label: 0 means they are about different things."""
    deal = DEAL_KINDS  # a deal read as the wrong kind of deal still pairs: its roles are scored
    if (pred["kind"] in deal) != (want["kind"] in deal):
        return 0
    if want["kind"] not in deal and pred["kind"] != want["kind"]:
        return 0
    parties_pred = {pred["licensor"], pred["licensee"], pred["subject"]} - {None}
    parties_want = {want["licensor"], want["licensee"], want["subject"]} - {None}
    if parties_want and not parties_pred & parties_want:
        return 0
    return 1 + len(parties_pred & parties_want) + sum(pred[f] == want[f] for f in FIELDS)


def score_article(
    report: Report, predictions: list[Proposal], labels: list[dict], name: str
) -> None:
    report.articles += 1
    if not labels and predictions:
        report.negative_hits.append(name)
    preds = [values_of(p) for p in predictions]
    wants = [values_of_label(label) for label in labels]
    chosen = best_pairing([[_affinity(pred, want) for pred in preds] for want in wants])
    nothing = {f: None for f in FIELDS}
    pairs = [
        (preds[i] if i is not None else nothing, want)
        for i, want in zip(chosen, wants, strict=True)
    ]
    pairs.extend((pred, nothing) for i, pred in enumerate(preds) if i not in chosen)
    _tally_found(report, pairs)
    for pred, want in pairs:
        for name_ in FIELDS:
            tally = report.fields[name_]
            tally.predicted += pred[name_] is not None
            tally.expected += want[name_] is not None
            tally.right += pred[name_] is not None and pred[name_] == want[name_]
            if pred[name_] != want[name_]:
                report.misses.append(f"{name} {name_}: {want[name_]!r} -> {pred[name_]!r}")


def best_pairing(affinity: list[list[int]]) -> list[int | None]:
    """For each label, the prediction paired with it (or None), so that the affinities of the
    pairs add up to the most any pairing gives. Pairing each label in turn with its best free
    prediction can hand a two-deal article's first label the prediction that fits the second,
    and so score a right reading as wrong. ``affinity[j][i]`` is label j against prediction i;
    0 means they may not pair. Of equal pairings, earlier labels take earlier predictions."""
    labels = len(affinity)
    fits = [[i for i, fit in enumerate(row) if fit > 0] for row in affinity]

    @cache
    def best(j: int, used: int) -> tuple[int, tuple[int | None, ...]]:
        if j == labels:
            return 0, ()
        options = []
        for i in (*(i for i in fits[j] if not used & (1 << i)), None):
            score, rest = best(j + 1, used if i is None else used | (1 << i))
            options.append((score + (affinity[j][i] if i is not None else 0), (i, *rest)))
        return max(options, key=lambda option: option[0])  # the first of equals

    return list(best(0, 0)[1])


def _tally_found(report: Report, pairs: list[tuple[dict, dict]]) -> None:
    for pred, want in pairs:
        if want["licensor"] is None or (pred["licensor"], pred["licensee"]) != (
            want["licensor"],
            want["licensee"],
        ):
            continue
        for name in FOUND_FIELDS:
            tally = report.found[name]
            tally.predicted += pred[name] is not None
            tally.expected += want[name] is not None
            tally.right += pred[name] is not None and pred[name] == want[name]


def evaluate(folder: Path, reader: Reader = read_with_rules) -> Report:
    """Run the extractor over every labelled article in ``folder`` (not its subfolders)."""
    return total(evaluate_each(folder, reader).values())


def evaluate_each(folder: Path, reader: Reader = read_with_rules) -> dict[str, Report]:
    """Each labelled article's own report, by file name, so that parts of a split (its HTML
    pages against its plain text) can be added up without reading the articles again."""
    with open(folder / "labels.toml", "rb") as fh:
        articles = tomllib.load(fh)["article"]
    reports = {}
    for article in articles:
        doc = read_document(folder / "articles" / article["file"])
        report = Report()
        score_article(report, reader(doc), article.get("expect", []), article["file"])
        reports[article["file"]] = report
    return reports


def total(reports: Iterable[Report]) -> Report:
    """Reports counted together, as if they were one labelled set."""
    combined = Report()
    for report in reports:
        combined = combined.add(report)
    return combined


def evaluate_splits(root: Path, reader: Reader = read_with_rules) -> dict[str, Report]:
    """The original set in ``root``, each held-out split under it, and all of them together.

    Held-out articles were written after the rules, in phrasings the rules were not built against
    (``heldout``: before the rules were extended for it; ``blind``: after, and never tuned on);
    reporting them apart shows whether a rule generalises or only fits its examples.
    """
    reports = {"original": evaluate(root, reader)}
    for split in HELDOUT_SPLITS:
        if (root / split / "labels.toml").exists():
            reports[split] = evaluate(root / split, reader)
    reports["combined"] = total(list(reports.values()))
    return reports
