"""The stats chart is a real PNG drawn from Stats rows, including an empty selection."""

import io
from concurrent.futures import ThreadPoolExecutor

import matplotlib.image as mpimg

from briefs.charts import PNG_SIGNATURE, stats_chart, stats_series
from briefs.queries import StatRow, Stats


def _stats(rows):
    return Stats(granularity="year", period=None, sector=None, rows=rows, reported=[])


ROWS = [
    StatRow("2024", "licence", "biotech", 2, 1, 50e6),
    StatRow("2025", "licence", "biotech", 3, 2, 1.2e9),
    StatRow("2025", "out_licence", "devices", 1, 0, 0.0),
]


def test_series_sums_kinds_and_sectors_per_bucket():
    assert stats_series(ROWS) == (["2024", "2025"], [2, 4], [50e6, 1.2e9])


def test_chart_is_a_png_of_the_expected_size():
    png = stats_chart(_stats(ROWS))
    assert png.startswith(PNG_SIGNATURE)
    pixels = mpimg.imread(io.BytesIO(png), format="png")
    assert pixels.shape[:2] == (500, 800)


def test_empty_selection_still_draws_a_png():
    png = stats_chart(_stats([]))
    assert png.startswith(PNG_SIGNATURE)
    assert png != stats_chart(_stats(ROWS))


def test_charts_drawn_at_once_in_threads_are_each_whole():
    """The bot draws charts in worker threads: no drawing may leak into another."""
    wide = [StatRow(str(2000 + n), "licence", "biotech", n + 1, 1, n * 1e8) for n in range(12)]
    expected = {"few": stats_chart(_stats(ROWS)), "many": stats_chart(_stats(wide))}
    with ThreadPoolExecutor(4) as pool:
        drawn = list(
            pool.map(lambda n: (n % 2, stats_chart(_stats(ROWS if n % 2 else wide))), range(16))
        )
    assert all(png == expected["few" if odd else "many"] for odd, png in drawn)
