"""Disagreement marking: opposite stances, mixed results, and symmetric `opposes`."""

from pathlib import Path

from generator.disputes import opposing_pairs, sides_of, unique_pairs
from generator.model import Claim, Evidence, Location, Stance

HERE = Location("x.md")


def claim(claim_id, stances=(), opposes=()):
    evidence = tuple(Evidence(f"s{i}", Stance(s), HERE) for i, s in enumerate(stances))
    return Claim(claim_id, "t", "causes", Path("x.md"), "x.md", HERE, "", 1, evidence, opposes=tuple(opposes))


def test_opposite_stances_disagree_and_name_each_side():
    sides = sides_of(claim("a", ["supports", "contradicts", "supports"]))
    assert sides.disagree
    assert [e.source for e in sides.supports] == ["s0", "s2"]
    assert [e.source for e in sides.contradicts] == ["s1"]


def test_mixed_alone_is_disagreement_and_one_side_is_not():
    assert sides_of(claim("a", ["mixed"])).disagree
    assert not sides_of(claim("a", ["supports", "supports"])).disagree


def test_opposes_is_made_symmetric_and_unknown_ids_are_dropped():
    claims = [claim("a", opposes=["b", "ghost"]), claim("b"), claim("c", opposes=["a"])]
    opponents = opposing_pairs(claims)
    assert opponents == {"a": ("b", "c"), "b": ("a",), "c": ("a",)}
    assert unique_pairs(opponents) == [("a", "b"), ("a", "c")]
