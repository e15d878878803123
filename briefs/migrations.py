"""Forward-only schema migrations (sqlite-utils ``Migrations``).

Append new migrations at the end; never edit one that has shipped, so a user's database moves
forward without losing data. Registration order is application order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .money import digits_of
from .sqlite_utils_lib import Migrations
from .store import writing

if TYPE_CHECKING:
    from sqlite_utils import Database

migrations = Migrations("dealbrief")


@migrations()
def m001_core(db: Database) -> None:
    """Companies, aliases, sources, facts, figures and the audit trail, with FTS5 indexes."""
    db.executescript(
        """
        CREATE TABLE companies (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            country TEXT,
            sector TEXT,
            description TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE aliases (
            id INTEGER PRIMARY KEY,
            company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
            alias TEXT NOT NULL,
            norm TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'name',
            source_id INTEGER REFERENCES sources(id),
            note TEXT,
            UNIQUE (company_id, norm)
        );
        CREATE INDEX aliases_norm ON aliases(norm);
        CREATE VIRTUAL TABLE aliases_trigram USING fts5(
            norm, content='aliases', content_rowid='id', tokenize='trigram'
        );
        CREATE TRIGGER aliases_ai AFTER INSERT ON aliases BEGIN
            INSERT INTO aliases_trigram(rowid, norm) VALUES (new.id, new.norm);
        END;
        CREATE TRIGGER aliases_ad AFTER DELETE ON aliases BEGIN
            INSERT INTO aliases_trigram(aliases_trigram, rowid, norm) VALUES ('delete', old.id, old.norm);
        END;
        CREATE TRIGGER aliases_au AFTER UPDATE ON aliases BEGIN
            INSERT INTO aliases_trigram(aliases_trigram, rowid, norm) VALUES ('delete', old.id, old.norm);
            INSERT INTO aliases_trigram(rowid, norm) VALUES (new.id, new.norm);
        END;

        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL DEFAULT 'article',
            outlet TEXT,
            title TEXT NOT NULL,
            author TEXT,
            published TEXT,
            url TEXT,
            content_hash TEXT UNIQUE,
            text TEXT,
            note TEXT,
            created_at TEXT NOT NULL
        );

        CREATE TABLE facts (
            id INTEGER PRIMARY KEY,
            key TEXT UNIQUE,
            kind TEXT NOT NULL,
            summary TEXT NOT NULL,
            subject_id INTEGER REFERENCES companies(id),
            counterparty_id INTEGER REFERENCES companies(id),
            licensor_id INTEGER REFERENCES companies(id),
            licensee_id INTEGER REFERENCES companies(id),
            asset TEXT,
            sector TEXT,
            territory TEXT,
            stage TEXT,
            royalty TEXT,
            period TEXT,
            period_start TEXT,
            period_end TEXT,
            status TEXT NOT NULL DEFAULT 'reported',
            source_id INTEGER NOT NULL REFERENCES sources(id),
            evidence TEXT,
            note TEXT,
            origin TEXT NOT NULL DEFAULT 'admin',
            curated_hash TEXT,
            admin_edited INTEGER NOT NULL DEFAULT 0,
            revision INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT
        );
        CREATE INDEX facts_subject ON facts(subject_id, period_end);
        CREATE INDEX facts_counterparty ON facts(counterparty_id);
        CREATE INDEX facts_licensor ON facts(licensor_id);
        CREATE INDEX facts_licensee ON facts(licensee_id);
        CREATE INDEX facts_kind_period ON facts(kind, period_start);
        CREATE INDEX facts_source ON facts(source_id);

        CREATE TABLE figures (
            id INTEGER PRIMARY KEY,
            fact_id INTEGER NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            disclosed INTEGER NOT NULL DEFAULT 1,
            value REAL,
            unit TEXT NOT NULL DEFAULT 'USD',
            value_usd REAL,
            usd_basis TEXT,
            approx TEXT,
            note TEXT
        );
        CREATE INDEX figures_fact ON figures(fact_id);

        CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            actor_id TEXT,
            guild_id TEXT,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id INTEGER,
            before TEXT,
            after TEXT,
            reason TEXT,
            undoes INTEGER REFERENCES audit(id),
            undone_by INTEGER REFERENCES audit(id)
        );
        CREATE INDEX audit_actor ON audit(actor_id, guild_id, id);
        CREATE INDEX audit_entity ON audit(entity, entity_id);

        CREATE VIRTUAL TABLE facts_fts USING fts5(
            summary, asset, sector, evidence, content='facts', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER facts_ai AFTER INSERT ON facts BEGIN
            INSERT INTO facts_fts(rowid, summary, asset, sector, evidence)
            VALUES (new.id, new.summary, new.asset, new.sector, new.evidence);
        END;
        CREATE TRIGGER facts_ad AFTER DELETE ON facts BEGIN
            INSERT INTO facts_fts(facts_fts, rowid, summary, asset, sector, evidence)
            VALUES ('delete', old.id, old.summary, old.asset, old.sector, old.evidence);
        END;
        CREATE TRIGGER facts_au AFTER UPDATE OF summary, asset, sector, evidence ON facts BEGIN
            INSERT INTO facts_fts(facts_fts, rowid, summary, asset, sector, evidence)
            VALUES ('delete', old.id, old.summary, old.asset, old.sector, old.evidence);
            INSERT INTO facts_fts(rowid, summary, asset, sector, evidence)
            VALUES (new.id, new.summary, new.asset, new.sector, new.evidence);
        END;

        CREATE VIRTUAL TABLE sources_fts USING fts5(
            title, outlet, text, content='sources', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER sources_ai AFTER INSERT ON sources BEGIN
            INSERT INTO sources_fts(rowid, title, outlet, text) VALUES (new.id, new.title, new.outlet, new.text);
        END;
        CREATE TRIGGER sources_ad AFTER DELETE ON sources BEGIN
            INSERT INTO sources_fts(sources_fts, rowid, title, outlet, text)
            VALUES ('delete', old.id, old.title, old.outlet, old.text);
        END;
        CREATE TRIGGER sources_au AFTER UPDATE OF title, outlet, text ON sources BEGIN
            INSERT INTO sources_fts(sources_fts, rowid, title, outlet, text)
            VALUES ('delete', old.id, old.title, old.outlet, old.text);
            INSERT INTO sources_fts(rowid, title, outlet, text) VALUES (new.id, new.title, new.outlet, new.text);
        END;
        """
    )


@migrations()
def m002_digest(db: Database) -> None:
    """Weekly digest: per-server settings (with the last posting error) and the post ledger.

    UNIQUE(guild_id, period_key) is what makes a digest post at most once: a sender claims the
    row before sending, so a restart or a racing trigger finds it taken.
    """
    db.executescript(
        """
        CREATE TABLE digest_settings (
            guild_id INTEGER PRIMARY KEY,
            channel_id INTEGER,
            weekday INTEGER NOT NULL DEFAULT 0,
            time TEXT NOT NULL DEFAULT '09:00',
            timezone TEXT NOT NULL DEFAULT 'UTC',
            enabled INTEGER NOT NULL DEFAULT 0,
            mention_role_id INTEGER,
            updated_at TEXT NOT NULL,
            updated_by TEXT,
            last_error TEXT,
            last_error_at TEXT
        );
        CREATE TABLE digest_posts (
            id INTEGER PRIMARY KEY,
            guild_id INTEGER NOT NULL,
            period_key TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('claimed', 'posted', 'failed', 'skipped')),
            nonce TEXT NOT NULL,
            message_ids TEXT NOT NULL DEFAULT '[]',
            first_audit_id INTEGER NOT NULL DEFAULT 0,
            last_audit_id INTEGER NOT NULL DEFAULT 0,
            period_start TEXT,
            period_end TEXT,
            claimed_at TEXT NOT NULL,
            posted_at TEXT,
            error TEXT,
            UNIQUE (guild_id, period_key)
        );
        CREATE INDEX digest_posts_guild ON digest_posts(guild_id, status, last_audit_id);
        """
    )


@migrations()
def m003_guild_admin_roles(db: Database) -> None:
    """Per-server admin role: members holding it may use the admin commands (/fact, /company)."""
    db.executescript(
        """
        CREATE TABLE guild_admin_roles (
            guild_id INTEGER PRIMARY KEY,
            role_id INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by TEXT
        );
        """
    )


@migrations()
def m004_ingest_proposals(db: Database) -> None:
    """The review queue: facts proposed from ingested documents, waiting for a person's decision.

    ``payload`` is the proposed fact as JSON (parties with names as written and company ids when
    known, asset, period, territory, figures); it becomes a fact only when someone approves it.
    """
    db.executescript(
        """
        CREATE TABLE proposals (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id),
            status TEXT NOT NULL DEFAULT 'proposed'
                CHECK (status IN ('proposed', 'approved', 'rejected')),
            kind TEXT NOT NULL,
            payload TEXT NOT NULL,
            evidence TEXT NOT NULL,
            confidence REAL NOT NULL,
            why TEXT,
            duplicate_of INTEGER REFERENCES facts(id),
            created_at TEXT NOT NULL,
            decided_at TEXT,
            decided_by TEXT,
            reason TEXT,
            fact_id INTEGER REFERENCES facts(id)
        );
        CREATE INDEX proposals_status ON proposals(status, id);
        CREATE INDEX proposals_source ON proposals(source_id);
        """
    )


@migrations()
def m005_audit_at_index(db: Database) -> None:
    """Audit rows by time: where a date-bounded digest window starts, and the chart's periods.

    Without it both read the whole trail; with it, a seek and a range of the periods asked for.
    """
    db.execute("CREATE INDEX audit_at ON audit(at)")


@migrations()
def m006_company_fact_counts(db: Database) -> None:
    """How many live facts name each company, kept by the database, for the empty-prefix list.

    Autocomplete with nothing typed lists the companies with the most facts; counting them
    afresh reads the whole facts table. A fact counts once for each company it names, however
    many roles that company plays in it (the subject of a licence is also its licensee). The
    triggers count only companies that exist and only facts that are not removed; a count that
    falls to zero keeps its row. One statement at a time (not a script), so the table, its
    triggers and its first fill are kept or dropped together with the migration's record.
    """
    parties = "({0}.subject_id, {0}.counterparty_id, {0}.licensor_id, {0}.licensee_id)"
    statements = [
        """
        CREATE TABLE company_fact_counts (
            company_id INTEGER PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
            facts INTEGER NOT NULL
        )
        """,
        "CREATE INDEX company_fact_counts_top ON company_fact_counts(facts DESC, company_id)",
        f"""
        CREATE TRIGGER facts_count_ai AFTER INSERT ON facts WHEN new.deleted_at IS NULL BEGIN
            INSERT INTO company_fact_counts(company_id, facts)
            SELECT id, 1 FROM companies WHERE id IN {parties.format("new")}
            ON CONFLICT(company_id) DO UPDATE SET facts = facts + 1;
        END
        """,
        f"""
        CREATE TRIGGER facts_count_ad AFTER DELETE ON facts WHEN old.deleted_at IS NULL BEGIN
            UPDATE company_fact_counts SET facts = facts - 1
            WHERE company_id IN {parties.format("old")};
        END
        """,
        f"""
        CREATE TRIGGER facts_count_au
        AFTER UPDATE OF subject_id, counterparty_id, licensor_id, licensee_id, deleted_at ON facts
        WHEN old.subject_id IS NOT new.subject_id
            OR old.counterparty_id IS NOT new.counterparty_id
            OR old.licensor_id IS NOT new.licensor_id
            OR old.licensee_id IS NOT new.licensee_id
            OR (old.deleted_at IS NULL) != (new.deleted_at IS NULL)
        BEGIN
            UPDATE company_fact_counts SET facts = facts - 1
            WHERE old.deleted_at IS NULL AND company_id IN {parties.format("old")};
            INSERT INTO company_fact_counts(company_id, facts)
            SELECT id, 1 FROM companies
            WHERE new.deleted_at IS NULL AND id IN {parties.format("new")}
            ON CONFLICT(company_id) DO UPDATE SET facts = facts + 1;
        END
        """,
    ]
    for statement in statements:
        db.execute(statement)
    recount_company_facts(db)


def recount_company_facts(db: Database) -> None:
    """Count every company's live facts afresh: m006's first fill, and after a bulk load that
    dropped the count triggers (``bench/synth.py``).

    Each role is read from the facts table once, skipping a company already named in an earlier
    role of the same fact, so each (fact, company) pair is counted once without sorting pairs.
    """
    with writing(db):
        db.execute("DELETE FROM company_fact_counts")
        db.execute(
            """
            INSERT INTO company_fact_counts(company_id, facts)
            SELECT c.id, n FROM (
                SELECT company_id, count(*) AS n FROM (
                    SELECT subject_id AS company_id FROM facts WHERE deleted_at IS NULL
                    UNION ALL
                    SELECT counterparty_id FROM facts WHERE deleted_at IS NULL
                        AND counterparty_id IS NOT subject_id
                    UNION ALL
                    SELECT licensor_id FROM facts WHERE deleted_at IS NULL
                        AND licensor_id IS NOT subject_id AND licensor_id IS NOT counterparty_id
                    UNION ALL
                    SELECT licensee_id FROM facts WHERE deleted_at IS NULL
                        AND licensee_id IS NOT subject_id AND licensee_id IS NOT counterparty_id
                        AND licensee_id IS NOT licensor_id
                ) GROUP BY company_id
            ) JOIN companies c ON c.id = company_id
            """
        )


@migrations()
def m007_digest_since(db: Database) -> None:
    """Where a server's first digest may start: the audit id (and time) its digest was first
    switched on, so facts the knowledge base held before (the curated load) are not "new".

    Existing rows keep NULL, which means the old rule (the week before the first fire time):
    a server already switched on may be waiting for its first digest, whose week must keep the
    changes made since it was switched on, and the moment that happened was never recorded.
    """
    db.execute("ALTER TABLE digest_settings ADD COLUMN switched_on_audit_id INTEGER")
    db.execute("ALTER TABLE digest_settings ADD COLUMN switched_on_at TEXT")


@migrations()
def m008_digest_lease(db: Database) -> None:
    """A claimed digest post holds a lease (``lease_until``) that its sender renews while it
    sends; another process may take the post over only once the lease has run out.

    A claim already in flight keeps the window it had before: a minute after it was taken.
    """
    db.execute("ALTER TABLE digest_posts ADD COLUMN lease_until TEXT")
    db.execute(
        "UPDATE digest_posts SET lease_until = strftime('%Y-%m-%dT%H:%M:%S+00:00', "
        "claimed_at, '+60 seconds') WHERE status = 'claimed'"
    )


@migrations()
def m009_figure_precision(db: Database) -> None:
    """How precisely each amount was stated, and which licence parties are undisclosed.

    ``figures.precision`` keeps the significant digits the source gave (``$1.75bn``: 3), so an
    amount is shown as stated and a converted dollar value no more precisely than that. Stored
    figures are filled from their values as shown (``5.19e10`` reads "51.9B": 3 digits), which
    loses only a trailing zero written after a decimal point.

    ``facts.licensor_undisclosed`` / ``licensee_undisclosed`` record a licence party known to
    exist but not named by the source, so a licence can say so instead of leaving a gap.
    """
    db.execute("ALTER TABLE figures ADD COLUMN precision INTEGER")
    db.execute("ALTER TABLE facts ADD COLUMN licensor_undisclosed INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE facts ADD COLUMN licensee_undisclosed INTEGER NOT NULL DEFAULT 0")
    rows = db.execute("SELECT id, value FROM figures WHERE value > 0").fetchall()
    db.conn.executemany(
        "UPDATE figures SET precision = ? WHERE id = ?",
        [(digits_of(value), figure_id) for figure_id, value in rows],
    )


# Characters of scripts written without spaces between words (kana, CJK ideographs, Hangul and
# the compatibility ideographs), as a GLOB class: a row holding any of them is also indexed by
# trigrams, since the word index would take a whole run of such characters for one word.
CJK_GLOB = "*[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]*"
_FACT_TEXT = ("summary", "asset", "sector", "evidence", "note")
_SOURCE_TEXT = ("title", "outlet", "text")


@migrations()
def m010_search_index(db: Database) -> None:
    """Search indexes that hold fact notes, only live facts, and trigrams of CJK text.

    ``facts_fts`` reads its text from the view ``facts_search_text`` (live facts only), so a
    removed fact leaves the index and an undo brings it back, and a rebuild from the view is
    right by construction. ``facts_cjk`` and ``sources_cjk`` keep their own copy of the rows that
    contain CJK text (few, and a copy lets short words be found by scanning them) in trigram
    indexes. One statement at a time, so the migration is kept or dropped whole.
    """
    for statement in _search_index_statements():
        db.execute(statement)
    rebuild_search_index(db)


def _search_index_statements() -> list[str]:
    cols = ", ".join(_FACT_TEXT)
    new_cols = ", ".join(f"new.{c}" for c in _FACT_TEXT)
    old_cols = ", ".join(f"old.{c}" for c in _FACT_TEXT)
    src_cols = ", ".join(_SOURCE_TEXT)
    new_src = ", ".join(f"new.{c}" for c in _SOURCE_TEXT)
    fact_has_cjk = _has_cjk("new", _FACT_TEXT)
    source_has_cjk = _has_cjk("new", _SOURCE_TEXT)
    fact_cjk_insert = f"""
        INSERT INTO facts_cjk(rowid, {cols}) SELECT new.id, {new_cols}
        WHERE new.deleted_at IS NULL AND {fact_has_cjk};"""
    fact_fts_insert = f"""
        INSERT INTO facts_fts(rowid, {cols}) SELECT new.id, {new_cols}
        WHERE new.deleted_at IS NULL;"""
    fact_fts_delete = f"""
        INSERT INTO facts_fts(facts_fts, rowid, {cols}) SELECT 'delete', old.id, {old_cols}
        WHERE old.deleted_at IS NULL;
        DELETE FROM facts_cjk WHERE rowid = old.id;"""
    source_cjk_insert = f"""
        INSERT INTO sources_cjk(rowid, {src_cols}) SELECT new.id, {new_src} WHERE {source_has_cjk};"""
    return [
        "DROP TRIGGER facts_ai",
        "DROP TRIGGER facts_ad",
        "DROP TRIGGER facts_au",
        "DROP TABLE facts_fts",
        f"CREATE VIEW facts_search_text AS SELECT id, {cols} FROM facts WHERE deleted_at IS NULL",
        f"""CREATE VIRTUAL TABLE facts_fts USING fts5(
            {cols}, content='facts_search_text', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2')""",
        f"CREATE VIRTUAL TABLE facts_cjk USING fts5({cols}, tokenize='trigram')",
        f"CREATE VIRTUAL TABLE sources_cjk USING fts5({src_cols}, tokenize='trigram')",
        f"CREATE TRIGGER facts_ai AFTER INSERT ON facts BEGIN {fact_fts_insert}{fact_cjk_insert} END",
        f"CREATE TRIGGER facts_ad AFTER DELETE ON facts BEGIN {fact_fts_delete} END",
        f"""CREATE TRIGGER facts_au AFTER UPDATE OF {cols}, deleted_at ON facts BEGIN
            {fact_fts_delete}{fact_fts_insert}{fact_cjk_insert} END""",
        f"CREATE TRIGGER sources_cjk_ai AFTER INSERT ON sources BEGIN {source_cjk_insert} END",
        "CREATE TRIGGER sources_cjk_ad AFTER DELETE ON sources BEGIN "
        "DELETE FROM sources_cjk WHERE rowid = old.id; END",
        f"""CREATE TRIGGER sources_cjk_au AFTER UPDATE OF {src_cols} ON sources BEGIN
            DELETE FROM sources_cjk WHERE rowid = old.id;{source_cjk_insert} END""",
    ]


def _has_cjk(row: str, columns: tuple[str, ...]) -> str:
    joined = " || ' ' || ".join(f"coalesce({row}.{c}, '')" for c in columns)
    return f"({joined}) GLOB '{CJK_GLOB}'"


def rebuild_search_index(db: Database) -> None:
    """Index every live fact and every source afresh: m010's first fill, and after a bulk load
    that dropped the search triggers (``bench/synth.py``)."""
    cols = ", ".join(_FACT_TEXT)
    src_cols = ", ".join(_SOURCE_TEXT)
    with writing(db):
        for table in ("facts_fts", "sources_fts"):
            db.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
        db.execute("DELETE FROM facts_cjk")
        db.execute(
            f"INSERT INTO facts_cjk(rowid, {cols}) SELECT id, {cols} FROM facts "
            f"WHERE deleted_at IS NULL AND {_has_cjk('facts', _FACT_TEXT)}"
        )
        db.execute("DELETE FROM sources_cjk")
        db.execute(
            f"INSERT INTO sources_cjk(rowid, {src_cols}) SELECT id, {src_cols} FROM sources "
            f"WHERE {_has_cjk('sources', _SOURCE_TEXT)}"
        )


@migrations()
def m011_vocab(db: Database) -> None:
    """Sectors, stages, territories and countries mapped onto the vocabularies (``briefs/vocab``).

    Facts gain ``territory_in``/``territory_out`` (the places a territory includes and excludes;
    the text as given stays in ``territory``). Sectors and stages become vocabulary keys and
    countries their vocabulary labels. Text that maps onto no entry is not lost: the column is
    cleared and the words kept in the fact's note (a company's description), "as first
    recorded". Every row is kept, removed facts included.
    """
    from . import vocab

    db.execute("ALTER TABLE facts ADD COLUMN territory_in TEXT")
    db.execute("ALTER TABLE facts ADD COLUMN territory_out TEXT")
    for row in list(db.query("SELECT id, sector, stage, territory, note FROM facts")):
        values = vocab.restored_columns(row)
        note = _kept_words(row, values, ("sector", "stage"), row["note"])
        db.execute(
            "UPDATE facts SET sector = ?, stage = ?, territory_in = ?, territory_out = ?, "
            "note = ? WHERE id = ?",
            [
                values.get("sector"),
                values.get("stage"),
                values["territory_in"],
                values["territory_out"],
                note,
                row["id"],
            ],
        )
    for row in list(db.query("SELECT id, country, sector, description FROM companies")):
        sector = vocab.VOCAB.sectors.find(row["sector"]) if row["sector"] else None
        country = vocab.VOCAB.countries.find(row["country"]) if row["country"] else None
        values = {"sector": sector and sector.key, "country": country and country.label}
        description = _kept_words(row, values, ("country", "sector"), row["description"])
        db.execute(
            "UPDATE companies SET country = ?, sector = ?, description = ? WHERE id = ?",
            [values["country"], values["sector"], description, row["id"]],
        )


def _kept_words(row: dict, mapped: dict, names: tuple[str, ...], text: str | None) -> str | None:
    """``text`` with the words of ``names`` that mapped onto no entry appended, so none is lost."""
    lost = [
        f"{name.capitalize()} as first recorded: {row[name]}."
        for name in names
        if row[name] and not mapped.get(name)
    ]
    return " ".join([text, *lost] if text else lost) or None


@migrations()
def m012_fact_sources(db: Database) -> None:
    """More reports of a stored fact: each further source that states it, with its own evidence.

    A deal reported by two articles is one deal with two sources, never two deals, so counts
    and sums stay right. ``facts.source_id`` stays the fact's first source (nothing stored
    moves); this table holds only the sources added after it, in the order they came.
    """
    db.execute(
        """
        CREATE TABLE fact_sources (
            id INTEGER PRIMARY KEY,
            fact_id INTEGER NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
            source_id INTEGER NOT NULL REFERENCES sources(id),
            evidence TEXT,
            added_at TEXT NOT NULL,
            added_by TEXT,
            UNIQUE (fact_id, source_id)
        )
        """
    )
    db.execute("CREATE INDEX fact_sources_source ON fact_sources(source_id, fact_id)")


@migrations()
def m013_feeds(db: Database) -> None:
    """Feed subscriptions, what each has taken, and the review posts that announce it.

    ``feed_seen`` holds every key an item was known by (its GUID, its normalised link, the hash
    of its text), so an item is taken once even when a feed rewrites its dates, reorders its
    items or changes one of the three. ``feed_items`` is what was taken (or given up) and which
    review post announced it; ``feed_posts`` is that post's ledger, claimed before it is sent.
    """
    db.execute(
        """
        CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            guild_id INTEGER NOT NULL DEFAULT 0,
            url TEXT NOT NULL,
            added_url TEXT NOT NULL,
            title TEXT,
            interval_minutes INTEGER NOT NULL,
            backfill INTEGER NOT NULL DEFAULT 0,
            paused INTEGER NOT NULL DEFAULT 0,
            baselined INTEGER NOT NULL DEFAULT 0,
            etag TEXT,
            last_modified TEXT,
            added_at TEXT NOT NULL,
            added_by TEXT,
            next_poll_at TEXT NOT NULL,
            last_poll_at TEXT,
            last_success_at TEXT,
            last_error TEXT,
            last_error_at TEXT,
            failing_since TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            failure_noticed INTEGER NOT NULL DEFAULT 0,
            UNIQUE (guild_id, url)
        )
        """
    )
    db.execute("CREATE INDEX feeds_due ON feeds(paused, next_poll_at)")
    db.execute(
        """
        CREATE TABLE feed_items (
            id INTEGER PRIMARY KEY,
            feed_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
            guild_id INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL,
            item_key TEXT,
            title TEXT,
            link TEXT,
            source_id INTEGER REFERENCES sources(id),
            proposal_ids TEXT NOT NULL DEFAULT '[]',
            attempts INTEGER NOT NULL DEFAULT 0,
            error TEXT,
            post_id INTEGER REFERENCES feed_posts(id),
            taken_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX feed_items_unposted ON feed_items(guild_id, post_id, status)")
    db.execute(
        """
        CREATE TABLE feed_seen (
            feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            item_id INTEGER REFERENCES feed_items(id),
            PRIMARY KEY (feed_id, key)
        )
        """
    )
    db.execute(
        "CREATE TABLE feed_channels (guild_id INTEGER PRIMARY KEY, channel_id INTEGER NOT NULL)"
    )
    db.execute(
        """
        CREATE TABLE feed_posts (
            id INTEGER PRIMARY KEY,
            guild_id INTEGER NOT NULL,
            channel_id INTEGER NOT NULL,
            status TEXT NOT NULL,
            nonce TEXT NOT NULL,
            message_id INTEGER,
            claimed_at TEXT NOT NULL,
            lease_until TEXT NOT NULL,
            posted_at TEXT,
            error TEXT
        )
        """
    )


@migrations()
def m014_watches(db: Database) -> None:
    """Watches (alerts when a fact about a followed company, sector or word arrives), the
    cursor over the audit trail that turns changes into deliveries, and the delivery ledger.

    The cursor starts where the trail stands now, so upgrading never announces old facts.
    UNIQUE(watch_id, audit_id) makes a change reach a watch once; a delivery joins one batch
    (one message), which is claimed before it is sent, as the digest's posts are.
    """
    db.executescript(
        """
        CREATE TABLE watches (
            id INTEGER PRIMARY KEY,
            owner_id INTEGER,
            owner TEXT NOT NULL,
            guild_id INTEGER,
            target_kind TEXT NOT NULL CHECK (target_kind IN ('dm', 'channel')),
            target_id INTEGER NOT NULL,
            company_id INTEGER REFERENCES companies(id),
            sector TEXT,
            keyword TEXT,
            min_upfront_usd REAL,
            min_upfront TEXT,
            after_audit_id INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            removed_at TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            paused_at TEXT,
            last_error TEXT
        );
        CREATE INDEX watches_owner ON watches(owner_id, removed_at);
        CREATE INDEX watches_target ON watches(target_kind, target_id);
        CREATE INDEX watches_company ON watches(company_id) WHERE company_id IS NOT NULL;
        CREATE TABLE watch_state (
            name TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        );
        CREATE TABLE watch_batches (
            id INTEGER PRIMARY KEY,
            target_kind TEXT NOT NULL,
            target_id INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed')),
            nonce TEXT NOT NULL,
            claimed_at TEXT NOT NULL,
            lease_until TEXT NOT NULL,
            message_id INTEGER,
            sent_at TEXT,
            error TEXT
        );
        CREATE INDEX watch_batches_open ON watch_batches(status, lease_until);
        CREATE TABLE watch_deliveries (
            id INTEGER PRIMARY KEY,
            watch_id INTEGER NOT NULL REFERENCES watches(id),
            audit_id INTEGER NOT NULL,
            fact_id INTEGER NOT NULL,
            change TEXT NOT NULL,
            target_kind TEXT NOT NULL,
            target_id INTEGER NOT NULL,
            matched_at TEXT NOT NULL,
            batch_id INTEGER REFERENCES watch_batches(id),
            UNIQUE (watch_id, audit_id)
        );
        CREATE INDEX watch_deliveries_pending ON watch_deliveries(batch_id, target_kind, target_id);
        """
    )
    db.execute(
        "INSERT INTO watch_state (name, value) "
        "SELECT 'cursor', coalesce(max(id), 0) FROM audit UNION ALL SELECT 'version', 0"
    )


@migrations()
def m015_analytics_indexes(db: Database) -> None:
    """Deals by sector and by party, for league tables, benchmarks and comparables.

    Comparables read a deal's own sector first, and tables narrowed to a sector read only its
    deals (``facts_sector_kind``). A league table counts each party's deals before it sums any
    terms; the party indexes hold every column that count reads (kind, party, removal, date),
    so it never visits the table's rows.
    """
    db.execute("CREATE INDEX facts_sector_kind ON facts(sector, kind)")
    for party in ("licensor", "licensee"):
        db.execute(
            f"CREATE INDEX facts_{party}_deals ON facts(kind, {party}_id, deleted_at, period_start)"
        )


@migrations()
def m017_web_views(db: Database) -> None:
    """What the read-only web view shows: vocabulary labels and the views of deals and sources
    (``briefs/web/schema.py``), made here because the web view may not write."""
    from .web import schema

    for statement in schema.statements():
        db.execute(statement)
    schema.refresh_labels(db)
