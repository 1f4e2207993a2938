"""LaTeX in BibTeX field values, decoded to the plain Unicode text a reader would see.

Most bibliographies hold only simple LaTeX: an accent on one letter, `{\\o}`-style letters in
braces, escaped specials, protective braces and `--`. pylatexenc takes about 0.5 ms a string, so
that subset is decoded here by regular expressions, to the same text (checked against pylatexenc
by fuzzing). Anything else goes to pylatexenc's `latex2text`, taught the macros bibliographies use
that it would otherwise drop with their text (`\\mbox`, `\\texttt`, `\\TeX`, `\\url`, ...). Math is
rendered as text, with `^` and `_` as Unicode super- and subscripts where every character has one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pylatexenc import latexwalker
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec
from pylatexenc.latex2text import get_default_latex_context_db as text_context
from pylatexenc.macrospec import MacroSpec

_NEEDS_LATEX = re.compile(r"[\\{}$~`]|--|''")
_UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")

_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    '"': "\u0308",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "c": "\u0327",
    "H": "\u030b",
    "k": "\u0328",
    "b": "\u0331",
    "d": "\u0323",
    "r": "\u030a",
    "u": "\u0306",
    "v": "\u030c",
}
_LETTERS = {"i": "\u0131", "o": "\u00f8", "O": "\u00d8", "l": "\u0142", "L": "\u0141", "ss": "\u00df", "ae": "\u00e6", "AE": "\u00c6", "aa": "\u00e5", "AA": "\u00c5", "oe": "\u0153", "OE": "\u0152"}
_SIMPLE_LATEX = re.compile(
    r"""\{\\(?P<a1>['`"^~=.])(?P<l1>[A-Za-z]|\\i)\}"""
    r"""|\{\\(?P<a2>['`"^~=.cHkbdruv])\{(?P<l2>[A-Za-z]|\\i)\}\}"""
    r"""|\\(?P<a3>['`"^~=.cHkbdruv])\{(?P<l3>[A-Za-z]|\\i)\}"""
    r"""|\\(?P<a4>['`"^~=.])(?P<l4>[A-Za-z]|\\i(?![^\W\d_]|\s))"""
    r"""|\{\\(?P<letter>ss|ae|AE|aa|AA|oe|OE|[ioOlL])\}"""
    r"""|\\(?P<escape>[&%$_#])"""
)
_NOT_SIMPLE = re.compile(r"[\\$~`&\x00]|''|---|-\{|\}-|\{-|-\}")

# Macros whose argument is the text itself, macros that stand for a word, and macros that only
# steer sorting (BibTeX's `\noopsort` trick, defined in @preamble) and print nothing.
_KEEP_ARGUMENT = (
    "mbox",
    "hbox",
    "texttt",
    "textsf",
    "textup",
    "textmd",
    "textnormal",
    "textsc",
    "textsl",
    "textit",
    "textbf",
    "emph",
    "url",
    "path",
    "nolinkurl",
    "uppercase",
    "MakeUppercase",
    "ensuremath",
)
_WORDS = {"TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2e", "BibTeX": "BibTeX", "XeTeX": "XeTeX", "LuaTeX": "LuaTeX", "AmS": "AMS", "copyright": "©"}
_SILENT = ("noopsort", "SortNoop", "sortnoop", "NoCaseChange", "nocite")
_SUPERSCRIPTS = dict(zip("0123456789+-=()niaeoxhklmnpst", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵃᵉᵒˣʰᵏˡᵐⁿᵖˢᵗ", strict=True))
_SUBSCRIPTS = dict(zip("0123456789+-=()aeoxhklmnpst", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜ", strict=True))
_SCRIPT = re.compile(r"(?P<mark>[\^_])(?:\{(?P<group>[^{}\\]*)\}|(?P<char>[A-Za-z0-9+\-=()]))")
_MATH = re.compile(r"(?<!\\)\$(?P<math>[^$]*)(?<!\\)\$")
_TEXT_SCRIPT = re.compile(r"\\text(?P<kind>superscript|subscript)\{(?P<group>[^{}\\]*)\}")


def _walker_context():
    context = latexwalker.get_default_latex_context_db()
    context.add_context_category(
        "bibliography",
        prepend=True,
        macros=[MacroSpec(name, "{") for name in ("textsuperscript", "textsubscript", "noopsort", "SortNoop", "sortnoop", "NoCaseChange", "url", "path", "nolinkurl")] + [MacroSpec("href", "{{")],
    )
    return context


def _text_context():
    context = text_context()
    context.add_context_category(
        "bibliography",
        prepend=True,
        macros=[MacroTextSpec(name, "%(1)s") for name in _KEEP_ARGUMENT + ("textsuperscript", "textsubscript")]
        + [MacroTextSpec(name, text) for name, text in _WORDS.items()]
        + [MacroTextSpec(name, "") for name in _SILENT]
        + [MacroTextSpec("href", "%(2)s")],
    )
    return context


_WALKER_CONTEXT = _walker_context()
_TO_TEXT = LatexNodes2Text(latex_context=_text_context(), math_mode="text", strict_latex_spaces=True)


def _simple_latex_text(match: re.Match) -> str:
    found = match.groupdict()
    if found["escape"]:
        return found["escape"]
    if found["letter"]:
        return _LETTERS[found["letter"]]
    accent = next(n for n in "1234" if found["a" + n])
    letter = found["l" + accent]
    return unicodedata.normalize("NFC", ("i" if letter == "\\i" else letter) + _ACCENTS[found["a" + accent]])


def _decode_simple_latex(value: str) -> str | None:
    """`value` decoded if it holds only simple LaTeX (balanced braces included), else None."""
    rest = _SIMPLE_LATEX.sub("", value)
    if _NOT_SIMPLE.search(rest) or "\x00" in value:
        return None
    depth = 0
    for char in rest:
        depth += (char == "{") - (char == "}")
        if depth < 0:
            return None
    if depth:
        return None
    return _SIMPLE_LATEX.sub(_simple_latex_text, value).replace("{", "").replace("}", "").replace("--", "\u2013")


def _script(text: str, table: dict[str, str], mark: str) -> str:
    """`text` in Unicode super- or subscript if every character has one, else `mark` + text."""
    if text and all(char in table for char in text):
        return "".join(table[char] for char in text)
    return mark + ("{" + text + "}" if len(text) > 1 else text)


def _scripts_in_math(match: re.Match) -> str:
    def one(script: re.Match) -> str:
        text = script.group("group") if script.group("group") is not None else script.group("char")
        superscript = script.group("mark") == "^"
        return _script(text, _SUPERSCRIPTS if superscript else _SUBSCRIPTS, script.group("mark"))

    return "$" + _SCRIPT.sub(one, match.group("math")) + "$"


def _text_scripts(match: re.Match) -> str:
    table = _SUPERSCRIPTS if match.group("kind") == "superscript" else _SUBSCRIPTS
    text = match.group("group")
    return "".join(table[char] for char in text) if all(char in table for char in text) else text


def _tex_quotes(text: str) -> str:
    """`` `quoted' `` as ‘quoted’; pylatexenc already turns ``` ``a'' ``` into “a”."""
    text = re.sub(r"`([^`']*)'", "\u2018\\1\u2019", text)
    return text.replace("``", "\u201c").replace("''", "\u201d").replace("`", "\u2018")


def _decode_with_pylatexenc(value: str) -> str:
    value = _UNESCAPED_PERCENT.sub(r"\\%", value)
    if "$" in value:
        value = _MATH.sub(_scripts_in_math, value)
    if "\\text" in value:
        value = _TEXT_SCRIPT.sub(_text_scripts, value)
    try:
        nodes, _, _ = latexwalker.LatexWalker(value, latex_context=_WALKER_CONTEXT, tolerant_parsing=True).get_latex_nodes()
        return _tex_quotes(_TO_TEXT.nodelist_to_text(nodes))
    except Exception:  # pylatexenc is lenient; this guards odd input without losing the text
        return value.replace("{", "").replace("}", "")


@lru_cache(maxsize=65536)
def decode_latex(value: str) -> str:
    """Decode LaTeX to text, keeping `%` (a comment in LaTeX, a percent sign here)."""
    if not _NEEDS_LATEX.search(value):
        return value
    decoded = _decode_simple_latex(value)
    if decoded is None:
        decoded = _decode_with_pylatexenc(value)
    return re.sub(r"\s+", " ", decoded.replace("\u00a0", " ")).strip()
