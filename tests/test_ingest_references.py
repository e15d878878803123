"""References a story makes to a company named earlier: the sayer's "its", a description ("the
Swiss drugmaker", "the institute"), an investor beside the contributor of a NewCo, a subsidiary
signing for its parent. Every example is written here, with invented companies."""

from __future__ import annotations

import pytest
from test_ingest_cued_roles import roles


@pytest.mark.parametrize(
    "sentence",
    [
        "Ostrava-based Kelvar Pharma said on Tuesday that Brindle Therapeutics would take global "
        "rights to its experimental antibody KP-12.",
        "Kelvar Pharma said on Friday that Brindle Therapeutics is taking exclusive rights to its "
        "antibody KP-12.",
        "Kelvar Pharma said Brindle Therapeutics, a Denver drug developer that until recently "
        "worked mostly on kidney disease, would take rights outside Japan to its antibody KP-12.",
    ],
)
def test_its_after_a_sayer_is_the_sayers(sentence: str) -> None:
    assert roles(sentence) == [("Kelvar Pharma", "Brindle Therapeutics")]
