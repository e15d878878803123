"""Build a synthetic knowledge base at scale, for benchmarks.

Companies get a name ("Shanghai Rovakin Biosciences"), a short name ("Rovakin") and often a
ticker or a Chinese name; facts get summaries and evidence drawn from a Zipf-like vocabulary
(a few words are everywhere, most are rare, as in real text), dates over ten years and figures.
A fifth of the facts go to the 1% most prominent companies, as attention does in the news.
Sectors, stages, countries and territories are vocabulary entries (``briefs/vocab.py``), stored
as the application stores them: sector and stage keys, country labels, territories with the
places they include and exclude. Some deals split their milestones by kind, some facts cite a
further source, some text is in British or American spelling and some in Chinese, so every
search index and the deal-value SQL have real work.

The load is a bulk load: the FTS and fact-count triggers and secondary indexes are dropped, rows
are inserted in large transactions, then the FTS indexes are rebuilt, the companies' fact counts
counted afresh and the indexes and triggers re-created from their stored SQL. ``build()`` reports
the load time including that rebuild.

    python bench/synth.py --out /tmp/kb.db              # 100,000 companies, 1,000,000 facts
    python bench/synth.py --out /tmp/kb.db --small
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefs.migrations import rebuild_search_index, recount_company_facts
from briefs.store import open_db
from briefs.text import normalize_name, slugify
from briefs.vocab import VOCAB, territory_columns

COMPANIES = 100_000
FACTS = 1_000_000
SMALL_COMPANIES = 5_000
SMALL_FACTS = 50_000
VOCABULARY = 30_000
ZIPF_EXPONENT = 1.07
BATCH = 20_000

SYLLABLES = [
    "ba",
    "be",
    "bi",
    "bo",
    "bu",
    "da",
    "de",
    "di",
    "do",
    "du",
    "fa",
    "fe",
    "fi",
    "fo",
    "ga",
    "ge",
    "gi",
    "go",
    "ha",
    "he",
    "hi",
    "ho",
    "hu",
    "ja",
    "jo",
    "ju",
    "ka",
    "ke",
    "ki",
    "ko",
    "ku",
    "la",
    "le",
    "li",
    "lo",
    "lu",
    "ma",
    "me",
    "mi",
    "mo",
    "mu",
    "na",
    "ne",
    "ni",
    "no",
    "nu",
    "pa",
    "pe",
    "pi",
    "po",
    "ra",
    "re",
    "ri",
    "ro",
    "ru",
    "sa",
    "se",
    "si",
    "so",
    "su",
    "ta",
    "te",
    "ti",
    "to",
    "tu",
    "va",
    "ve",
    "vi",
    "vo",
    "xa",
    "xi",
    "ya",
    "yo",
    "za",
    "zi",
    "zo",
    "an",
    "en",
    "in",
    "on",
    "un",
    "ar",
    "er",
    "ir",
    "or",
    "ur",
    "al",
    "el",
    "il",
    "ol",
]
CITIES = [
    "Shanghai",
    "Beijing",
    "Suzhou",
    "Hangzhou",
    "Shenzhen",
    "Guangzhou",
    "Nanjing",
    "Wuhan",
    "Chengdu",
    "Tianjin",
    "Seoul",
    "Incheon",
    "Tokyo",
    "Osaka",
    "Boston",
    "Basel",
    "Cambridge",
    "Munich",
    "Lyon",
    "Singapore",
    "Taipei",
    "Xiamen",
    "Jiangsu",
    "Zhejiang",
    "Qingdao",
    "Hefei",
    "Changsha",
    "Dalian",
    "Kyoto",
    "Oxford",
]
SUFFIXES = [
    "Biosciences",
    "Pharmaceuticals",
    "Therapeutics",
    "Biotech",
    "Biologics",
    "Medical",
    "Technology",
    "Pharma",
    "Life",
    "Sciences",
    "Holdings",
    "Genomics",
    "Devices",
    "Materials",
    "Energy",
    "Semiconductor",
    "Robotics",
]
SECTORS = VOCAB.sectors.keys  # parents and children, so a parent's filter takes in its children
STAGES = VOCAB.stages.keys
# Where companies are: mostly Greater China, as in the news this base follows; country labels.
COUNTRIES = ("China",) * 12 + ("Hong Kong", "Taiwan", "United States", "United States")
COUNTRIES += ("United Kingdom", "Germany", "Switzerland", "Japan", "South Korea", "Singapore")
TERRITORIES = ("worldwide", "Greater China", "worldwide excluding Greater China", "US", "Japan")
TERRITORY_COLUMNS = {t: tuple(territory_columns(t).values()) for t in (None, *TERRITORIES)}
# Deal words in both spellings: search widens each to the other (data/spelling.toml).
DEAL_WORDS = ("licence", "license", "licensing", "commercialisation", "commercialization")
CJK = "君实生物恒瑞医药百济神州信达药业复星康方再鼎和黄石药集团科伦博泰翰森豪森正大天晴齐鲁绿叶海思华为宁德时代比亚迪中芯国际京东方联影迈瑞"
KINDS = np.array(
    [
        "licence",
        "out_licence",
        "patent_licence",
        "approval",
        "sales",
        "listing",
        "platform",
        "market_stat",
        "policy",
    ]
)
KIND_WEIGHTS = np.array([30, 20, 10, 10, 10, 5, 5, 5, 5], dtype=float) / 100
DEALS = {"licence", "out_licence", "patent_licence"}


@dataclass(frozen=True)
class Vocabulary:
    """Made-up words with Zipf-like weights: word ``i`` is drawn with weight 1/(i+1)^s."""

    words: list[str]
    probabilities: np.ndarray

    @classmethod
    def make(cls, size: int = VOCABULARY, seed: int = 7) -> Vocabulary:
        rng = np.random.default_rng(seed)
        words: dict[str, None] = {}
        while len(words) < size:
            count = 1 + min(len(words) // 40, 3) + int(rng.integers(0, 2))
            words["".join(rng.choice(SYLLABLES, count))] = None
        weights = 1.0 / np.arange(1, size + 1) ** ZIPF_EXPONENT
        return cls(list(words), weights / weights.sum())

    def sample(self, rng: np.random.Generator, n: int) -> list[str]:
        return [self.words[i] for i in rng.choice(len(self.words), n, p=self.probabilities)]


def company_weights(companies: int) -> np.ndarray:
    """A fifth of the attention on the top 1% of companies; the rest spread evenly."""
    top = max(1, companies // 100)
    weights = np.full(companies, 0.8 / companies)
    weights[:top] += 0.2 / top
    return weights / weights.sum()


def _company_rows(companies: int, rng: np.random.Generator) -> Iterator[tuple[tuple, list]]:
    stems: set[str] = set()
    for cid in range(1, companies + 1):
        stem = ""
        while not stem or stem in stems:
            stem = "".join(rng.choice(SYLLABLES, int(rng.integers(2, 4)))).capitalize()
        stems.add(stem)
        name = f"{rng.choice(CITIES)} {stem} {rng.choice(SUFFIXES)}"
        aliases = [(name, "name"), (stem, "short")]
        roll = rng.random()
        if roll < 0.3:
            aliases.append((f"{600000 + cid}.SH", "ticker"))
        elif roll < 0.5:
            aliases.append((f"{stem[:4].upper()}{cid}", "ticker"))
        elif roll < 0.7:
            aliases.append(("".join(rng.choice(list(CJK), 4)), "chinese"))
        sector = SECTORS[cid % len(SECTORS)]
        country = COUNTRIES[cid % len(COUNTRIES)]
        yield (cid, f"{slugify(name)}-{cid}", name, country, sector, "t", "t"), aliases


def _fact_rows(
    facts: int, companies: int, sources: int, vocab: Vocabulary, rng: np.random.Generator
) -> Iterator[tuple[list, list, list]]:
    """Batches of (fact rows, figure rows, further-source rows)."""
    weights = company_weights(companies)
    fid = 0
    while fid < facts:
        n = min(BATCH, facts - fid)
        kinds = rng.choice(KINDS, n, p=KIND_WEIGHTS)
        subjects = rng.choice(companies, n, p=weights) + 1
        partners = rng.integers(1, companies + 1, n)
        days = rng.integers(0, 3650, n)
        words = iter(vocab.sample(rng, n * 24))
        fact_rows, figure_rows, cited_rows = [], [], []
        for i in range(n):
            fid += 1
            kind = str(kinds[i])
            day = np.datetime64("2016-01-01") + int(days[i])
            month = str(day)[:7]
            summary = " ".join(next(words) for _ in range(10))
            evidence = " ".join(next(words) for _ in range(14))
            deal = kind in DEALS
            if deal:
                summary = f"{DEAL_WORDS[fid % len(DEAL_WORDS)]} {summary}"
            if fid % 100 == 0:
                evidence += " " + "".join(rng.choice(list(CJK), 6))
            subject, partner = int(subjects[i]), int(partners[i])
            territory = TERRITORIES[fid % len(TERRITORIES)] if deal and fid % 3 else None
            source = int(rng.integers(1, sources + 1))
            fact_rows.append(
                (
                    fid,
                    kind,
                    summary,
                    subject,
                    partner if deal else None,
                    subject if deal else None,
                    partner if deal else None,
                    vocab.words[int(rng.integers(100, len(vocab.words)))],
                    SECTORS[subject % len(SECTORS)],
                    STAGES[fid % len(STAGES)] if deal and fid % 2 else None,
                    territory,
                    *TERRITORY_COLUMNS[territory],
                    month,
                    f"{month}-01",
                    f"{month}-28",
                    source,
                    evidence,
                    "t",
                    "t",
                )
            )
            figure_rows += _figures(fid, deal, rng)
            if fid % 20 == 0:  # a further report of the same fact
                cited_rows.append((fid, source % sources + 1, evidence, "t", "synth"))
        yield fact_rows, figure_rows, cited_rows


def _figures(fid: int, deal: bool, rng: np.random.Generator) -> list[tuple]:
    if not deal:
        return [(fid, "sales", 1, float(rng.integers(1, 900)) * 1e6, "USD", None)]
    rows = []
    upfront = float(rng.integers(1, 200)) * 1e6
    if rng.random() < 0.7:
        rows.append((fid, "upfront", 1, upfront, "USD", upfront))
    else:
        rows.append((fid, "upfront", 0, None, "USD", None))
    roll = rng.random()
    if roll < 0.35:
        rows.append((fid, "milestones", 1, upfront * 5, "USD", upfront * 5))
    elif roll < 0.5:  # milestones only by kind: the deal value sums them
        for share, role in zip((2, 2, 1), VOCAB.milestone_roles, strict=True):
            rows.append((fid, role, 1, upfront * share, "USD", upfront * share))
    if rng.random() < 0.3:
        rows.append((fid, "total", 1, upfront * 7, "USD", upfront * 7))
    return rows


def _source_rows(sources: int, vocab: Vocabulary, rng: np.random.Generator) -> Iterator[tuple]:
    outlets = ["Caixin", "Global Times", "Yicai", "Endpoints", "Nikkei Asia", "Korea Herald"]
    for sid in range(1, sources + 1):
        document = sid % 10 == 0
        body = " ".join(vocab.sample(rng, 300)) if document else None
        yield (
            sid,
            f"src-{sid}",
            "document" if document else "article",
            outlets[sid % len(outlets)],
            " ".join(vocab.sample(rng, 6)),
            f"20{16 + sid % 10}-0{1 + sid % 9}-15",
            body,
            "t",
        )


_DROPPED = ("facts_ai", "facts_count_ai", "aliases_ai", "sources_ai", "sources_cjk_ai")
_BULK_INDEXES = (
    "facts_subject",
    "facts_counterparty",
    "facts_licensor",
    "facts_licensee",
    "facts_kind_period",
    "facts_sector_kind",
    "facts_licensor_deals",
    "facts_licensee_deals",
    "facts_source",
    "figures_fact",
    "aliases_norm",
)


def build(
    path: Path, companies: int = COMPANIES, facts: int = FACTS, seed: int = 1
) -> dict[str, float]:
    """Fill a new database at ``path``; return timings (seconds) of the phases."""
    if path.exists():
        raise SystemExit(f"{path} exists; choose a new path")
    db = open_db(path)
    conn = db.conn
    conn.execute("PRAGMA cache_size = -65536")
    rng = np.random.default_rng(seed)
    vocab = Vocabulary.make()
    sources = max(100, facts // 50)
    wanted = {*_DROPPED, *_BULK_INDEXES}
    saved = {
        name: sql
        for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL")
        if name in wanted
    }
    started = time.perf_counter()
    for name in _DROPPED:
        conn.execute(f"DROP TRIGGER {name}")
    for name in _BULK_INDEXES:
        conn.execute(f"DROP INDEX {name}")
    with conn:
        _insert_companies(conn, companies, rng)
        conn.executemany(
            "INSERT INTO sources (id, key, kind, outlet, title, published, text, created_at) "
            "VALUES (?,?,?,?,?,?,?,?)",
            _source_rows(sources, vocab, rng),
        )
    rows_done = time.perf_counter()
    for fact_rows, figure_rows, cited_rows in _fact_rows(facts, companies, sources, vocab, rng):
        with conn:
            conn.executemany(
                "INSERT INTO facts (id, kind, summary, subject_id, counterparty_id, licensor_id, "
                "licensee_id, asset, sector, stage, territory, territory_in, territory_out, "
                "period, period_start, period_end, source_id, evidence, created_at, updated_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                fact_rows,
            )
            conn.executemany(
                "INSERT INTO fact_sources (fact_id, source_id, evidence, added_at, added_by) "
                "VALUES (?,?,?,?,?)",
                cited_rows,
            )
            conn.executemany(
                "INSERT INTO figures (fact_id, role, disclosed, value, unit, value_usd) "
                "VALUES (?,?,?,?,?,?)",
                figure_rows,
            )
    inserted = time.perf_counter()
    with conn:
        conn.execute("INSERT INTO aliases_trigram(aliases_trigram) VALUES ('rebuild')")
        for name in (*_BULK_INDEXES, *_DROPPED):
            conn.execute(saved[name])
    rebuild_search_index(db)
    counting = time.perf_counter()
    recount_company_facts(db)
    counted = time.perf_counter()
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    done = time.perf_counter()
    db.close()
    return {
        "companies+sources": rows_done - started,
        "facts+figures": inserted - rows_done,
        "indexes+fts": done - inserted - (counted - counting),
        "fact counts": counted - counting,
        "total": done - started,
    }


def _insert_companies(conn, companies: int, rng: np.random.Generator) -> None:
    company_rows, alias_rows = [], []
    for row, aliases in _company_rows(companies, rng):
        company_rows.append(row)
        alias_rows += [(row[0], alias, normalize_name(alias), kind) for alias, kind in aliases]
        if len(company_rows) >= BATCH:
            _flush_companies(conn, company_rows, alias_rows)
    _flush_companies(conn, company_rows, alias_rows)


def _flush_companies(conn, company_rows: list, alias_rows: list) -> None:
    conn.executemany(
        "INSERT INTO companies (id, slug, name, country, sector, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?)",
        company_rows,
    )
    conn.executemany(
        "INSERT OR IGNORE INTO aliases (company_id, alias, norm, kind) VALUES (?,?,?,?)",
        alias_rows,
    )
    company_rows.clear()
    alias_rows.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="database file to create")
    parser.add_argument("--companies", type=int, default=COMPANIES)
    parser.add_argument("--facts", type=int, default=FACTS)
    parser.add_argument("--small", action="store_true", help="5,000 companies, 50,000 facts")
    args = parser.parse_args()
    companies, facts = (
        (SMALL_COMPANIES, SMALL_FACTS) if args.small else (args.companies, args.facts)
    )
    timings = build(args.out, companies, facts)
    print(f"built {args.out}: {companies:,} companies, {facts:,} facts")
    for phase, seconds in timings.items():
        print(f"  {phase:<18} {seconds:7.1f} s")


if __name__ == "__main__":
    main()
