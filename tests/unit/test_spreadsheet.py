"""CSV cells: no text a spreadsheet would run as a formula, numbers stay numbers, nothing lost."""

from __future__ import annotations

import csv
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongshi.outputs.opendata.spreadsheet import Writer, cell, guard

# Written independently of the module: what Excel, WPS or LibreOffice might start a formula from.
FORMULA = re.compile(r"[\s\x00-\x1f\u200b-\u200f\u2060\ufeff]*[=+\-@＝＋－＠﹦﹢﹣﹫]|[\t\r\n]")


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example","点此")', "+1+1", "-1+1", "@SUM(1)", "=1", "-",
        " =1", "   @SUM(1)", "\u3000=1", "\u00a0+1", "\u200b=1", "\ufeff-1", "\x00=1",
        "＝1+1", "＋1", "－1", "＠SUM(1)", "﹦1", "﹢1", "﹣1", "﹫SUM(1)", "\u3000＝1",
        "\t说明", "\r说明", "\n说明", "\t", "=",
    ],
)  # fmt: skip
def test_a_cell_a_spreadsheet_would_run_is_quoted(text: str) -> None:
    assert guard(text) == "'" + text
    assert cell(text) == "'" + text


@pytest.mark.parametrize(
    "text",
    ["", "玉泉社区", "3号楼加装电梯", "2025-06-20", "2025-06-20 14:30", "a=b", "电话 12345",
     "'=1", "（=1）", "−1", "是", "https://yishi.example/", "日期：2025-04-25，进度（%）：0"],
)  # fmt: skip
def test_other_text_is_written_as_it_is(text: str) -> None:
    assert cell(text) == text


@pytest.mark.parametrize(
    ("number", "written"),
    [(720000, "720000"), (0, "0"), (3500.5, "3500.5"), (3500.0, "3500"), (45, "45"),
     (-5, "'-5"), (-0.5, "'-0.5"), (float("nan"), "nan"), (True, "True")],
)  # fmt: skip
def test_a_number_is_plain_and_only_a_plain_one_is_unquoted(number: float, written: str) -> None:
    assert cell(number) == written


def _written(cells: list[str | int | float]) -> list[str]:
    writer = Writer()
    writer.row(cells)
    data = writer.bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\r\n")
    (row,) = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    return row


TRICKY = st.sampled_from(list("=+-@＝＋－＠﹦﹢﹣﹫ \t\r\n\u3000\u00a0\u200b\ufeff\x00'\"，；a1中"))


@settings(max_examples=300, derandomize=True, database=None)
@given(st.lists(st.text(TRICKY | st.characters()), min_size=1, max_size=5))
def test_no_written_text_cell_starts_a_formula_and_none_loses_anything(cells: list[str]) -> None:
    row = _written(list(cells))

    assert len(row) == len(cells)
    for written, text in zip(row, cells, strict=True):
        assert not FORMULA.match(written)
        assert written in (text, "'" + text)


@settings(max_examples=200, derandomize=True, database=None)
@given(st.integers() | st.floats(allow_nan=True, allow_infinity=True))
def test_no_written_number_starts_a_formula(number: float) -> None:
    (written,) = _written([number])

    assert not FORMULA.match(written)
    if number >= 0:
        assert float(written) == pytest.approx(number, abs=0.005)
