"""Diagnostics to text: plain lines, JSON, or GitHub Actions annotations. Pure formatters."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence

from .rules import Diagnostic, Severity

# Control characters, line and paragraph separators and bidi overrides, as they can come from a
# hostile file name or value: shown escaped so one diagnostic stays one line and cannot rewrite
# the terminal or the CI log.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with unprintable characters escaped (`\\n`, `\\x1b`, `\\u202e`)."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group(0))[1:-1] if m.group(0) != "\t" else " ", text)


def _severity(diagnostic: Diagnostic, strict: bool) -> Severity:
    return Severity.ERROR if strict else diagnostic.severity


def format_text(diagnostics: Sequence[Diagnostic], strict: bool = False) -> str:
    lines = []
    for d in diagnostics:
        severity = _severity(d, strict)
        lines.append(f"{printable(str(d.location))}: {d.code} {severity}: {printable(d.message)} [{d.rule.slug}]\n    fix: {d.rule.fix}")
    errors = sum(1 for d in diagnostics if _severity(d, strict) is Severity.ERROR)
    warnings = len(diagnostics) - errors
    lines.append(f"{errors} error(s), {warnings} warning(s)" if diagnostics else "no problems found")
    return "\n".join(lines) + "\n"


def format_json(diagnostics: Sequence[Diagnostic], strict: bool = False) -> str:
    items = [
        {
            "path": d.location.path,
            "line": d.location.line,
            "column": d.location.column,
            "code": d.code,
            "rule": d.rule.slug,
            "severity": str(_severity(d, strict)),
            "message": d.message,
            "fix": d.rule.fix,
        }
        for d in diagnostics
    ]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def _github_escape(text: str, *, property_value: bool = False) -> str:
    text = printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(diagnostics: Sequence[Diagnostic], strict: bool = False) -> str:
    lines = []
    for d in diagnostics:
        kind = "error" if _severity(d, strict) is Severity.ERROR else "warning"
        props = ",".join(
            [
                f"file={_github_escape(d.location.path, property_value=True)}",
                f"line={d.location.line}",
                f"col={d.location.column}",
                f"title={_github_escape(d.code + ' ' + d.rule.slug, property_value=True)}",
            ]
        )
        lines.append(f"::{kind} {props}::{_github_escape(d.message + '. Fix: ' + d.rule.fix)}")
    return "\n".join(lines) + ("\n" if lines else "")


FORMATTERS: dict[str, Callable[[Sequence[Diagnostic], bool], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
}
