"""loaders/text.py: size limit, UTF-8 with positions, byte-order mark and line endings."""

from __future__ import annotations

import pytest

from generator.loaders.text import read_text


@pytest.mark.parametrize(
    "raw, text",
    [
        (b"a\nb\n", "a\nb\n"),
        (b"\xef\xbb\xbfa\r\nb\r\n", "a\nb\n"),
        (b"a\rb\r", "a\nb\n"),
        (b"a\r\n\rb", "a\n\nb"),
        (b"caf\xc3\xa9 \xe2\x80\xa8", "café \u2028"),
        (b"", ""),
    ],
)
def test_text_is_decoded_without_bom_and_with_unix_newlines(tmp_path, raw, text):
    path = tmp_path / "f.md"
    path.write_bytes(raw)
    assert read_text(path, "f.md", 100) == (text, [])


@pytest.mark.parametrize(
    "raw, where, byte",
    [
        (b"\xff", "f.md:1:1", "0xff"),
        (b"caf\xe9", "f.md:1:4", "0xe9"),
        (b"\xef\xbb\xbfab\xfe", "f.md:1:3", "0xfe"),
        (b"ok\n\xc3\xa9\xc3\xa9 \xc3(", "f.md:2:4", "0xc3"),
    ],
)
def test_invalid_utf8_is_reported_at_its_character(tmp_path, raw, where, byte):
    path = tmp_path / "f.md"
    path.write_bytes(raw)
    text, (diagnostic,) = read_text(path, "f.md", 100)
    assert text is None
    assert (diagnostic.code, str(diagnostic.location), diagnostic.message) == ("EV001", where, f"byte {byte} is not valid UTF-8")


def test_size_limit_is_checked_before_reading(tmp_path):
    path = tmp_path / "f.md"
    path.write_bytes(b"x" * 101)
    text, (diagnostic,) = read_text(path, "f.md", 100)
    assert text is None
    assert (diagnostic.code, diagnostic.message) == ("EV002", "file is 101 bytes; the limit is 100 bytes")
    assert read_text(path, "f.md", 101) == ("x" * 101, [])


def test_unreadable_file_is_reported(tmp_path):
    text, (diagnostic,) = read_text(tmp_path / "missing.md", "missing.md", 100)
    assert text is None and diagnostic.code == "EV001"
