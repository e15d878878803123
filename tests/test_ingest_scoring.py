"""Pairing predictions with labels when an article states several deals."""

from __future__ import annotations

from briefs.ingest.evaluate import best_pairing


def test_a_label_leaves_a_prediction_to_the_label_it_fits_alone() -> None:
    # Label 0 fits both predictions; label 1 fits only prediction 0. Taking each label's best
    # in turn would leave label 1 unpaired.
    assert best_pairing([[3, 2], [3, 0]]) == [1, 0]


def test_pairs_with_no_affinity_are_never_made() -> None:
    assert best_pairing([[0, 0], [0, 4]]) == [None, 1]


def test_labels_without_predictions_stay_unpaired() -> None:
    assert best_pairing([[], []]) == [None, None]
    assert best_pairing([]) == []


def test_of_equal_pairings_earlier_labels_take_earlier_predictions() -> None:
    assert best_pairing([[2, 2], [2, 2]]) == [0, 1]
    assert best_pairing([[5], [5]]) == [0, None]


def test_more_predictions_than_labels() -> None:
    assert best_pairing([[1, 0, 6, 2]]) == [2]
