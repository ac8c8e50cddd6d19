"""JSON text as ``json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)`` writes it,
character for character, in a third of the time.

With ``indent``, the json module encodes in Python, through a generator per container (the C
encoder serves only one-line JSON): at 10,000 items the open data's 23 MB took a second. Here
each string is encoded by the C function the json module uses for it, and the parts of a
container are appended to one list, joined once. A value of a kind the json module would turn
away raises the same ``TypeError``; keys are text (the open data's are), any other key is one.

:func:`element_text` gives the text of a list's element at a depth, so that an element's text,
made once, can stand in a later file at the same place (:mod:`gongshi.outputs.opendata.writer`);
:func:`list_text` joins such texts into the list's, and :class:`Raw` puts that in its place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from json.encoder import encode_basestring  # the C function, when the json module has it
from typing import Any


@dataclass(frozen=True)
class Raw:
    """JSON text that stands in a value as it is (made for the depth it stands at)."""

    text: str


def dumps(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)``."""
    out: list[str] = []
    _encode(value, out, "\n")
    return "".join(out)


def element_text(value: Any, depth: int) -> str:
    """``value``'s text as an element of a container at ``depth`` (the top level is 0): its
    lines but the first indented by ``depth + 1`` spaces."""
    out: list[str] = []
    _encode(value, out, "\n" + " " * (depth + 1))
    return "".join(out)


def list_text(elements: Iterable[str], depth: int) -> str:
    """The text of a list at ``depth`` whose elements have the texts ``elements``
    (:func:`element_text` at ``depth``)."""
    inner = "\n" + " " * (depth + 1)
    joined = ("," + inner).join(elements)
    return "[" + inner + joined + "\n" + " " * depth + "]" if joined else "[]"


def _encode(value: Any, out: list[str], newline: str) -> None:  # noqa: PLR0912 (one branch per kind)
    kind = type(value)
    if kind is str:
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, str):
        out.append(encode_basestring(value))
    elif kind is Raw:
        out.append(value.text)
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + " "
        separator = "{" + inner
        for key, element in sorted(value.items()):
            if type(key) is not str:
                _refuse(key, "a key")
            out.append(separator)
            out.append(encode_basestring(key))
            out.append(": ")
            _encode(element, out, inner)
            separator = "," + inner
        out.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + " "
        separator = "[" + inner
        for element in value:
            out.append(separator)
            _encode(element, out, inner)
            separator = "," + inner
        out.append(newline + "]")
    else:
        _refuse(value)


def _refuse(value: Any, what: str = "Object") -> None:
    raise TypeError(f"{what} of type {type(value).__name__} is not JSON serializable here")


def _float(value: float) -> str:
    if value != value:  # noqa: PLR0124 (NaN)
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)
