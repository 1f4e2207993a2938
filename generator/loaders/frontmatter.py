"""YAML front matter: split it from the body and load it safely, keeping every value's position.

Only libyaml's composer is used, never a constructor: scalars stay text (so `no` is not
False and `2026-02-30` is not an exception), duplicate keys and aliases are reported, and
nesting depth is bounded before libyaml sees the text, because deep nesting crashes it
(flow `[[[...` and compact block `- - - ...` alike).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..model import Location
from ..rules import Diagnostic, problem

_NULL_TAG = "tag:yaml.org,2002:null"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's composer, resolving only what the converter reads: whether a plain scalar is null.

    The full resolver tries the int, float, bool and date patterns on every scalar, only for
    tags that are never used here.
    """

    def resolve(self, kind: type, value: Any, implicit: tuple) -> str:
        if kind is yaml.ScalarNode:
            return _NULL_TAG if implicit[0] and value in _NULLS else self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG


# What the loader resolves by itself; anything else was written as a tag (`!!python/...`, `!ENV`).
_PLAIN_TAGS = frozenset({_NULL_TAG, yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG, yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG})


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


# PyYAML's problems as an editor would put them (matched on the start of its wording).
_PLAIN_YAML = (
    ("mapping values are not allowed", "a `: ` inside a value; put the whole value in quotes"),
    ("found character '\\t' that cannot start", "a tab; YAML indents with spaces only"),
    ("found a tab character", "a tab; YAML indents with spaces only"),
    ("could not find expected ':'", "a line that is not `field: value`; quote a value that goes on over several lines"),
    ("did not find expected key", "the indentation does not line up with the lines above"),
    ("expected <block end>", "the indentation does not line up with the lines above"),
    ("did not find expected '-' indicator", "a list item that does not line up with the other `- ` items"),
    ("found unexpected end of stream", "a quote that is opened but never closed"),
    ("found unknown escape character", "a backslash in double quotes; use single quotes, or write `\\\\`"),
    ("did not find expected ',' or ']'", "a `[...]` list that is not closed, or whose items are not separated by commas"),
    ("did not find expected ',' or '}'", "a `{...}` mapping that is not closed, or whose items are not separated by commas"),
    ("expected the node content", "a `[` or `{` that is never closed"),
    ("found character '@' that cannot start", "a value that starts with `@`; put it in quotes"),
    ("found character '`' that cannot start", "a value that starts with a backtick; put it in quotes"),
    ("found character '%' that cannot start", "a value that starts with `%`; put it in quotes"),
    ("found undefined alias", "a value that starts with `*`; put it in quotes"),
    ("found undefined tag handle", "a value that starts with `!`; put it in quotes"),
    ("expected a single document", "a second `---` inside the front matter"),
    ("expected alphabetic or numeric character", "a value that starts with `&` or `*`; put it in quotes"),
    ("found unacceptable character", "a character YAML does not accept"),
    ("found character that cannot start any token", "a tab, `@` or backtick where a value starts; indent with spaces, and quote the value"),
)


def plain_yaml_problem(problem_text: str) -> str:
    """PyYAML's description of a syntax error, in an editor's words when it is a common one."""
    for start, plain in _PLAIN_YAML:
        if problem_text.startswith(start):
            return plain
    return problem_text


MAX_DEPTH = 20
MAX_INDENT = 160
# Each block level needs one more column: spaces, or `- `/`? `/`: ` markers on the same line.
_DEEP_INDENT = re.compile(rf"^(?:[ \t]|[-?:](?=[ \t])){{{MAX_INDENT + 1}}}", re.MULTILINE)


@dataclass
class FrontMatter:
    """Plain values (dict, list, str, None) plus the position of each value by its path.

    Positions are kept as (line, column) and made Locations only when asked for: a front
    matter has dozens of values and only the few that have a problem are ever located.
    """

    data: Any
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    rel_path: str = ""

    def where(self, *path: Any) -> Location:
        """The position of the value at `path`, or of its nearest parent that has one."""
        while path not in self.positions and path:
            path = path[:-1]
        line, column = self.positions.get(path) or next(iter(self.positions.values()))
        return Location(self.rel_path, line, column)


# A line that closes the front matter: `---` or `...`, then only white space (what str.rstrip strips).
_CLOSING_LINE = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)


def split_front_matter(text: str) -> tuple[str, int, str, int] | None:
    """Split `---` front matter from the body: (yaml, yaml first line, body, body first line)."""
    first_end = text.find("\n")
    if first_end < 0 or text[:first_end].rstrip() != "---":
        return None
    closing = _CLOSING_LINE.search(text, first_end + 1)
    if closing is None:
        return None
    yaml_text = text[first_end + 1 : max(first_end + 1, closing.start() - 1)]
    body = text[closing.end() + 1 :]
    return yaml_text, 2, body, text.count("\n", 0, closing.start()) + 2


def _nesting_problem(text: str) -> tuple[int, str] | None:
    """Find nesting deeper than the limits, before libyaml sees the text.

    Brackets are counted even inside quotes: over-counting only rejects absurd files, while
    under-counting would let a crafted file crash the interpreter.
    """
    if text.count("[") + text.count("{") > MAX_DEPTH:
        found = _flow_depth_problem(text)
        if found:
            return found
    deep = _DEEP_INDENT.search(text)
    if deep:
        return text.count("\n", 0, deep.start()) + 1, f"block nesting (indentation and `- ` markers) deeper than {MAX_INDENT} columns"
    return None


def _flow_depth_problem(text: str) -> tuple[int, str] | None:
    depth = 0
    line = 1
    for char in text:
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line, f"flow collections nest more than {MAX_DEPTH} levels deep"
        elif char in "]}":
            depth = max(0, depth - 1)
    return None


def load_front_matter(yaml_text: str, first_line: int, rel_path: str) -> tuple[FrontMatter | None, list[Diagnostic]]:
    """Compose the YAML and convert it to plain values with positions (1-based, file lines)."""
    nesting = _nesting_problem(yaml_text)
    if nesting:
        line, what = nesting
        return None, [problem("EV006", Location(rel_path, line + first_line - 1), what)]
    try:
        node = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        location = Location(rel_path, mark.line + first_line, mark.column + 1) if mark else Location(rel_path, first_line)
        message = plain_yaml_problem(str(error.problem or error.context or "").strip())
        return None, [problem("EV004", location, message or "invalid YAML")]
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        return None, [problem("EV004", Location(rel_path, first_line), str(error).splitlines()[0] if str(error) else "invalid YAML")]
    if node is None:
        return FrontMatter({}, {(): (first_line, 1)}, rel_path), []
    converter = _Converter(rel_path, first_line)
    data = converter.convert(node, ())
    return FrontMatter(data, converter.positions, rel_path), converter.diagnostics


class _Converter:
    def __init__(self, rel_path: str, first_line: int):
        self.rel_path = rel_path
        self.first_line = first_line
        self.positions: dict[tuple, tuple[int, int]] = {}
        self.diagnostics: list[Diagnostic] = []
        self.seen: set[int] = set()

    def mark(self, node: yaml.Node) -> tuple[int, int]:
        mark = node.start_mark
        return mark.line + self.first_line, mark.column + 1

    def location(self, node: yaml.Node) -> Location:
        return Location(self.rel_path, *self.mark(node))

    def convert(self, node: yaml.Node, path: tuple, used_at: tuple[int, int] | None = None) -> Any:
        # The hottest loop of `evidence check` (every value of every claim file): marks are
        # computed inline and scalars, most of the nodes, return first.
        node_id = id(node)
        if node_id in self.seen:
            # An alias is the anchored node itself, whose mark is the anchor's: report where it is used.
            # Scalars too: a long text repeated through aliases would multiply the built page.
            where = used_at or self.positions.get(path[:-1]) or self.mark(node)
            self.diagnostics.append(problem("EV006", Location(self.rel_path, *where), "YAML aliases (*name) are not allowed"))
            return None
        self.seen.add(node_id)
        mark = node.start_mark
        self.positions[path] = (mark.line + self.first_line, mark.column + 1)
        tag = node.tag
        if tag not in _PLAIN_TAGS:
            # Reported, then read as if untagged: never constructed, and no follow-on "missing" errors.
            self.diagnostics.append(problem("EV130", self.location(node), f"the YAML tag `{_short_tag(tag)}` is not allowed"))
        kind = type(node)
        if kind is yaml.ScalarNode:
            if tag == _NULL_TAG and not node.style:  # plain: "" from libyaml, None from PyYAML
                return None
            return node.value
        if kind is yaml.SequenceNode:
            return [self.convert(item, path + (index,)) for index, item in enumerate(node.value)]
        result: dict[str, Any] = {}
        positions = self.positions
        first_line = self.first_line
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode:
                self.diagnostics.append(problem("EV007", self.location(key_node), "a key must be a plain name"))
                continue
            key = key_node.value
            if key == "<<":
                self.diagnostics.append(problem("EV006", self.location(key_node), "YAML merge keys (<<) are not allowed"))
                continue
            key_path = path + (key,)
            if key in result:
                first, _ = positions[key_path]
                self.diagnostics.append(problem("EV005", self.location(key_node), f"`{key}` is given twice (first on line {first})"))
                continue
            key_mark = key_node.start_mark
            where = (key_mark.line + first_line, key_mark.column + 1)
            result[key] = self.convert(value_node, key_path, where)
            positions[key_path] = where
        return result
