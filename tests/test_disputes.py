"""Disagreement marking: counted sources on opposite sides, who they are, and symmetric `opposes`."""

from pathlib import Path

from generator.disputes import DisputeKind, opposing_pairs, sides_of, unique_pairs
from generator.model import Claim, Evidence, Location, Reference, Stance, StudyType

HERE = Location("x.md")
REFS = {f"s{i}": Reference(f"s{i}", "article", {}, (), (), StudyType.COHORT, HERE) for i in range(4)} | {
    f"w{i}": Reference(f"w{i}", "online", {}, (), (), StudyType.WEB_ARTICLE, HERE) for i in range(4)
}


def claim(claim_id, stances=(), opposes=()):
    evidence = tuple(Evidence(f"s{i}", Stance(s), HERE) for i, s in enumerate(stances))
    return Claim(claim_id, "t", "causes", Path("x.md"), "x.md", HERE, "", 1, evidence, opposes=tuple(opposes))


def test_opposite_stances_disagree_and_name_each_side():
    sides = sides_of(claim("a", ["supports", "contradicts", "supports"]), REFS)
    assert sides.disagree and sides.kind is DisputeKind.WITHIN_RESEARCH
    assert [e.source for e in sides.supports] == ["s0", "s2"]
    assert [e.source for e in sides.contradicts] == ["s1"]


def test_mixed_and_background_are_not_disagreement():
    assert not sides_of(claim("a", ["mixed", "supports"]), REFS).disagree
    assert not sides_of(claim("a", ["supports", "background"]), REFS).disagree
    assert not sides_of(claim("a", ["supports", "supports"]), REFS).disagree


def test_the_kind_says_who_is_on_which_side():
    def kind(*pairs):
        evidence = tuple(Evidence(key, Stance(stance), HERE) for key, stance in pairs)
        return sides_of(Claim("a", "t", "causes", Path("x.md"), "x.md", HERE, "", 1, evidence), REFS).kind

    assert kind(("w0", "supports"), ("s0", "contradicts")) is DisputeKind.POPULAR_VS_RESEARCH
    assert kind(("w0", "supports"), ("w1", "contradicts")) is DisputeKind.WITHIN_POPULAR
    assert kind(("w0", "supports"), ("s1", "supports"), ("s0", "contradicts")) is DisputeKind.WITHIN_RESEARCH
    assert kind(("w0", "supports"), ("w1", "supports")) is None


def test_opposes_is_made_symmetric_and_unknown_ids_are_dropped():
    claims = [claim("a", opposes=["b", "ghost"]), claim("b"), claim("c", opposes=["a"])]
    opponents = opposing_pairs(claims)
    assert opponents == {"a": ("b", "c"), "b": ("a",), "c": ("a",)}
    assert unique_pairs(opponents) == [("a", "b"), ("a", "c")]
