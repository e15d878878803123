"""Stats rows and charts speak of the period asked for, keep empty periods, label their values
and say what they count."""

from __future__ import annotations

from analytics_world import seed_analytics

from briefs.charts import stats_figure, stats_series
from briefs.queries import StatRow, Stats, stats


def _texts(figure):
    found = [t.get_text() for t in figure.texts]  # the title among them
    for axes in figure.axes:
        found += [axes.get_title(), *(t.get_text() for t in axes.texts)]
        found += [label.get_text() for label in axes.get_xticklabels()]
    return found


def test_a_period_filter_labels_rows_with_the_period_asked_for(db):
    seed_analytics(db)
    half = stats(db, period="2025-H1")
    assert {row.bucket for row in half.rows} == {"2025-H1"}
    assert sum(row.deals for row in half.rows) == 3
    quarter = stats(db, period="2025-Q3", granularity="half")
    assert {row.bucket for row in quarter.rows} == {"2025-Q3"}
    # A finer grouping than the period keeps its own buckets.
    assert {row.bucket for row in stats(db, period="2025-H1", granularity="quarter").rows} == {
        "2025-Q1",
        "2025-Q2",
    }


def test_quarters_and_months_without_deals_are_kept_as_empty_slots():
    rows = [
        StatRow("2025-Q1", "licence", None, 2, 1, 5e6),
        StatRow("2025-Q4", "licence", None, 1, 0, 0),
    ]
    assert stats_series(rows, "quarter") == (
        ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"], [2, 0, 0, 1], [5e6, 0.0, 0.0, 0.0],
    )  # fmt: skip
    months = [
        StatRow("2024-11", "licence", None, 1, 1, 1e6),
        StatRow("2025-02", "option", None, 4, 0, 0),
    ]
    buckets, counts, _ = stats_series(
        [*months, StatRow("undated", "licence", None, 3, 0, 0)], "month"
    )
    assert buckets == ["2024-11", "2024-12", "2025-01", "2025-02", "undated"]
    assert counts == [1, 0, 0, 4, 3]


def test_a_period_asked_for_spans_the_whole_axis(db):
    seed_analytics(db)
    by_month = stats(db, period="2025-H1", granularity="month")
    figure = stats_figure(by_month)
    ticks = [label.get_text() for label in figure.axes[1].get_xticklabels()]
    assert ticks == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]


def test_charts_label_their_values_and_say_what_they_count(db):
    seed_analytics(db)
    texts = _texts(stats_figure(stats(db, granularity="year")))
    assert "Deals by announcement date" in " ".join(texts)
    assert "6" in texts and "1" in texts  # 2025 and 2024 deal counts on their bars
    assert "$3.81B" in texts  # 2025's disclosed value: 1000 + 500 + 2000 + 10 + 300 (US$ m)
    added = _texts(
        stats_figure(
            Stats("week", None, None, [StatRow("03-17", "deal", None, 2, 0, 0)], []), counts="added"
        )
    )
    assert "Deals added to the knowledge base, by the date they were added" in " ".join(added)
