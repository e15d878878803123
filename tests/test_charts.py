"""The stats chart is a real PNG drawn from Stats rows, including an empty selection."""

import io
import warnings
from concurrent.futures import ThreadPoolExecutor

import matplotlib.image as mpimg

from briefs.charts import NO_GLYPH, PNG_SIGNATURE, drawable, fonts, stats_chart, stats_series
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


def test_labels_in_any_script_draw_without_a_warning_per_glyph():
    """A CJK sector draws with an installed CJK font, else as boxes; either way, silently."""
    rows = [StatRow("２０２５年", "licence", "生物技术", 2, 1, 5e7)]
    stats = Stats("year", "2025", "生物技术 · 바이오 · バイオ", rows, [])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = stats_chart(stats)
    assert png.startswith(PNG_SIGNATURE)
    assert not [w for w in caught if "missing from font" in str(w.message)]
    families, known = fonts()
    assert families and families[0] == "DejaVu Sans"
    shown = drawable("生物 2025")
    assert shown.endswith(" 2025") and all(c == NO_GLYPH or ord(c) in known for c in shown)


def test_dollar_signs_in_a_filter_are_words_not_a_formula():
    for text in ("$\\frac$", "$x^$", "US$ 5m and $10m"):
        stats = Stats("year", text, text, [StatRow(text, "licence", text, 1, 1, 5e6)], [])
        assert stats_chart(stats).startswith(PNG_SIGNATURE)
        assert stats_chart(Stats("year", text, text, [], [])).startswith(PNG_SIGNATURE)
