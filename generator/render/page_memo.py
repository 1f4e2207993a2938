"""Pages of the last build kept with the inputs each was made from: equal inputs, same page.

`mkdocs serve` and `evidence watch` keep one between builds, so a save makes again only the
pages whose inputs changed. A page's inputs are everything it shows (a claim page's
ClaimPageInputs), or the data it serialises, fingerprinted by `data_inputs`.
"""

from __future__ import annotations

import marshal
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def data_inputs(data: object) -> bytes | None:
    """JSON-ready data as inputs that compare equal only when the JSON written from them would.

    `==` would call `{"a": 1, "b": 2}` and `{"b": 2, "a": 1}` the same, or `True` and `1`; their
    JSON differs. marshal keeps key order and types, and is several times faster than JSON.
    None (never equal to any inputs) for data marshal cannot write.
    """
    try:
        return marshal.dumps(data)
    except ValueError:
        return None


class PageMemo:
    """Each page's text with the inputs it was made from, by path. Pages no longer asked for stay
    until a build asks for their path again, and are then made again unless their inputs are equal."""

    def __init__(self) -> None:
        self._made: dict[str, tuple[object, str]] = {}

    def pages(self, paths: Sequence[str], inputs: Sequence[T], make: Callable[[list[T]], list[str]]) -> list[str]:
        """The page at each of `paths`, in order; `make(stale)` makes those whose inputs changed."""
        stale = [i for i, (path, now) in enumerate(zip(paths, inputs, strict=True)) if now is None or (kept := self._made.get(path)) is None or kept[0] != now]
        for i, text in zip(stale, make([inputs[i] for i in stale]), strict=True):
            self._made[paths[i]] = (inputs[i], text)
        return [self._made[path][1] for path in paths]

    def page(self, path: str, inputs: object, make: Callable[[], str]) -> str:
        return self.pages([path], [inputs], lambda stale: [make() for _ in stale])[0]
