"""The offline token estimate: remembering each piece's cost changes no count."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stato.core import tokens
from stato.core.tokens import estimate


@pytest.mark.parametrize(
    ("text", "count"),  # counts of the estimate before piece costs were remembered
    [
        ("", 0),
        ("hello world", 2),
        ("It's the user's café — naïve 12345 tokens!!! \n\n  x", 18),
        ("| a | b |\n|---|---|\n", 8),
        ("supercalifragilistic expialidocious", 8),
    ],
)
def test_known_counts(text: str, count: int) -> None:
    assert estimate(text) == count


@given(st.lists(st.text(max_size=200), max_size=5))
def test_the_remembered_costs_give_the_piece_by_piece_sum(texts: list[str]) -> None:
    for text in texts:
        assert estimate(text) == sum(tokens.cost(p) for p in tokens._PIECE.findall(text))


def test_a_full_memory_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokens, "MAX_REMEMBERED", 3)
    text = "alpha beta gamma delta epsilon zeta eta theta"
    assert estimate(text) == sum(tokens.cost(p) for p in tokens._PIECE.findall(text))
    assert len(tokens._COSTS) <= 3
