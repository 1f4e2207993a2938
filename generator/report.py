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
    if strict and diagnostic.severity is Severity.WARNING:
        return Severity.ERROR
    return diagnostic.severity


def _shown(diagnostics: Sequence[Diagnostic], verbose: bool) -> tuple[list[Diagnostic], list[tuple[Diagnostic, int]]]:
    """The diagnostics to show one by one, and for info rules (unless verbose) the first of each with its count."""
    if verbose:
        return list(diagnostics), []
    shown, infos = [], {}
    for d in diagnostics:
        if d.severity is Severity.INFO:
            first, count = infos.get(d.code, (d, 0))
            infos[d.code] = (first, count + 1)
        else:
            shown.append(d)
    return shown, list(infos.values())


def _info_summary(first: Diagnostic, count: int) -> str:
    return f"{first.message}" if count == 1 else f"{count:,} like this, the first: {first.message}; --verbose lists each"


def format_text(diagnostics: Sequence[Diagnostic], strict: bool = False, verbose: bool = False) -> str:
    lines = []
    shown, infos = _shown(diagnostics, verbose)
    for d in shown:
        severity = _severity(d, strict)
        lines.append(f"{printable(str(d.location))}: {d.code} {severity}: {printable(d.message)} [{d.rule.slug}]\n    fix: {d.rule.fix}")
    for first, count in infos:
        where = str(first.location) if count == 1 else first.location.path
        lines.append(f"{printable(where)}: {first.code} info: {printable(_info_summary(first, count))} [{first.rule.slug}]")
    errors = sum(1 for d in diagnostics if _severity(d, strict) is Severity.ERROR)
    warnings = sum(1 for d in diagnostics if _severity(d, strict) is Severity.WARNING)
    lines.append(f"{errors} error(s), {warnings} warning(s)" if errors or warnings else "no problems found")
    return "\n".join(lines) + "\n"


def format_json(diagnostics: Sequence[Diagnostic], strict: bool = False, verbose: bool = False) -> str:
    """Every diagnostic, info included: JSON is read by programs, which filter for themselves."""
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


def format_github(diagnostics: Sequence[Diagnostic], strict: bool = False, verbose: bool = False) -> str:
    lines = []
    shown, infos = _shown(diagnostics, verbose)
    for first, count in infos:
        lines.append(
            f"::notice file={_github_escape(first.location.path, property_value=True)},title={_github_escape(first.code + ' ' + first.rule.slug, property_value=True)}::{_github_escape(_info_summary(first, count))}"
        )
    for d in shown:
        kind = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(_severity(d, strict), "notice")
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


FORMATTERS: dict[str, Callable[..., str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
}
