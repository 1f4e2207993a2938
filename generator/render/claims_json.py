"""The site's data files: `claims.json` (everything, for reuse) and the claims index's slim rows."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from ..assess import ClaimView, SiteModel
from .csl import csl_item
from .vocabulary import GRADE_ORDER, VERDICT_ORDER

SCHEMA_VERSION = 2


def claims_json_data(model: SiteModel, labels: dict[str, str]) -> dict:
    """Every claim with verdict, grade, evidence and references; references as CSL-JSON."""
    return {
        "schema_version": SCHEMA_VERSION,
        "claims": [
            {
                "id": v.id,
                "claim": v.claim.text,
                "topic": v.claim.topic,
                "tags": list(v.claim.tags),
                "url": v.url,
                "verdict": v.assessment.verdict.value,
                "grade": v.assessment.grade,
                "certainty": v.assessment.grade_info.certainty,
                "sentence": v.sentence,
                "direct": v.assessment.direct,
                "reasons": [{"code": r.code.value, "steps": r.steps, "text": r.text} for r in v.assessment.reasons],
                "participants": v.assessment.people,
                "disputed": v.disputed,
                "dispute": v.sides.kind.value if v.sides.kind else None,
                "opposes": list(v.opponents),
                "reviewed": str(v.claim.reviewed) if v.claim.reviewed else None,
                "evidence_gap": v.claim.evidence_gap or None,
                "evidence": [
                    {
                        "source": e.reference.key,
                        "stance": e.stance.value,
                        "study_type": e.reference.study_type.value if e.reference.study_type else None,
                        "certainty": e.grade.letter,
                        "counted": e.counted,
                        "deciding": v.assessment.decides(e),
                        "participants": e.evidence.participants,
                        "indirectness": e.evidence.indirectness.value if e.evidence.indirectness else None,
                        "locator": e.evidence.locator or None,
                        "note": e.evidence.note or None,
                        "indirect": e.evidence.indirect or None,
                        "cites": list(e.evidence.cites),
                    }
                    for e in v.assessment.evidence
                ],
            }
            for v in model.claims
        ],
        "references": [{**csl_item(ref), "studytype": ref.study_type.value if ref.study_type else None, "label": labels.get(key, key)} for key, ref in sorted(model.references.items())],
    }


def claims_json_text(data: dict) -> str:
    """`claims.json` as written: no indent, so the C encoder writes it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


#: Columns of a row in the index's data files, in order; the script reads them by position.
INDEX_COLUMNS = ("url", "claim", "topic", "verdict", "grade", "disputed", "sources", "supports", "contradicts", "mixed")
#: The columns a reader filters by. Each data file lists how many of its rows have each combination of them.
INDEX_FACETS = ("topic", "verdict", "grade", "disputed")
#: The facets the data files are split by: a link filtered by these fetches only the files that hold its rows.
INDEX_FILE_FACETS = ("topic", "verdict")


def index_row(view: ClaimView) -> list:
    return [
        view.url,
        view.claim.text,
        view.claim.topic,
        VERDICT_ORDER.index(view.assessment.verdict),
        GRADE_ORDER.index(view.assessment.grade),
        int(view.disputed),
        len(view.claim.evidence),
        len(view.sides.supports),
        len(view.sides.contradicts),
        len(view.sides.mixed),
    ]


@dataclass(frozen=True)
class IndexFile:
    """One data file of the claims index: its rows as a JSON array, and how many rows of each facet combination it holds.

    Each of `counts` is the INDEX_FACETS values followed by a number of rows, in order of first appearance.
    """

    text: str
    counts: tuple[tuple, ...]

    @property
    def size(self) -> int:
        return len(self.text.encode())

    @property
    def rows(self) -> int:
        return sum(count[-1] for count in self.counts)


def index_order(views: list[ClaimView], topics: dict[str, str]) -> list[ClaimView]:
    """The index's own order: by topic (the site's topic order), then by verdict, then in site order.

    Each data file holds a run of this order, so rows fetched file after file arrive in the order they are shown.
    """
    topic_rank = {topic: rank for rank, topic in enumerate(topics)}
    return sorted(views, key=lambda v: (topic_rank.get(v.claim.topic, len(topic_rank)), v.claim.topic, VERDICT_ORDER.index(v.assessment.verdict)))


def _columns(row: list, names: tuple[str, ...]) -> tuple:
    return tuple(row[INDEX_COLUMNS.index(name)] for name in names)


def _index_file(rows: list[tuple[list, str]]) -> IndexFile:
    counts = Counter(_columns(row, INDEX_FACETS) for row, _ in rows)
    return IndexFile("[" + ",".join(text for _, text in rows) + "]", tuple((*facets, n) for facets, n in counts.items()))


def _split(rows: list[tuple[list, str]], chunk_bytes: int) -> list[list[tuple[list, str]]]:
    """Consecutive runs of `rows` whose JSON array fits in `chunk_bytes` (a larger single row gets a file of its own)."""
    parts: list[list[tuple[list, str]]] = []
    part: list[tuple[list, str]] = []
    size = len("[]")
    for row in rows:
        row_bytes = len(row[1].encode())
        if part and size + 1 + row_bytes > chunk_bytes:
            parts.append(part)
            part, size = [], len("[]")
        size += row_bytes + (1 if part else 0)  # the comma between rows
        part.append(row)
    if part:
        parts.append(part)
    return parts


def index_files(views: list[ClaimView], topics: dict[str, str], *, chunk_bytes: int, first_rows: int) -> list[IndexFile]:
    """The index rows in data files that a filtered page can choose from, in index order.

    The first file holds the first screen of the unfiltered table (`first_rows`, within `chunk_bytes`), so a
    page without a filter fetches one small file. The rest are split by INDEX_FILE_FACETS, and each part
    again at `chunk_bytes`.
    """
    rows = [(row, json.dumps(row, ensure_ascii=False, separators=(",", ":"))) for row in map(index_row, index_order(views, topics))]
    if not rows:
        return [_index_file([])]
    first = _split(rows[:first_rows], chunk_bytes)[0]
    groups: dict[tuple, list[tuple[list, str]]] = {}
    for row in rows[len(first) :]:
        groups.setdefault(_columns(row[0], INDEX_FILE_FACETS), []).append(row)
    return [_index_file(first)] + [_index_file(part) for group in groups.values() for part in _split(group, chunk_bytes)]
