"""ClaimReview: who made the claim reviewed, and who reviewed it."""

from pathlib import Path

from generator.model import Location, Person, Reference, StudyType
from generator.render.json_ld import article_authors


def _ref(authors=(), **fields) -> Reference:
    return Reference(
        key="post",
        entry_type="online",
        fields=dict(fields),
        authors=tuple(authors),
        editors=(),
        study_type=StudyType.WEB_ARTICLE,
        location=Location(Path("references.bib"), 1, 1),
    )


def test_named_authors_are_people_and_literal_names_organisations():
    ref = _ref([Person(family="Reyes", given="Ana"), Person(literal="Runners' Club")])
    assert article_authors(ref) == [
        {"@type": "Person", "name": "Ana Reyes"},
        {"@type": "Organization", "name": "Runners' Club"},
    ]


def test_an_anonymous_article_is_credited_to_its_publisher_or_website():
    assert article_authors(_ref(publisher="Verywell Fit", url="https://www.verywellfit.com/a?b=1")) == [{"@type": "Organization", "name": "Verywell Fit", "url": "https://www.verywellfit.com/"}]
    assert article_authors(_ref(url="https://blog.example.org/post")) == [{"@type": "Organization", "name": "blog.example.org", "url": "https://blog.example.org/"}]


def test_no_author_and_no_safe_address_gives_no_author():
    assert article_authors(_ref(url="javascript:alert(1)")) == []
