"""A URL is local only if a browser resolving it against one of our pages stays on our host."""

from __future__ import annotations

import pytest

from gongshi.content.markup import ATTRIBUTES
from gongshi.content.url_safety import is_local, is_remote, loads, normalize, shown, urls_of

from .url_spellings import LOCAL, REMOTE


@pytest.mark.parametrize("url", REMOTE)
def test_a_spelling_the_browser_reads_as_another_host_is_remote(url: str) -> None:
    assert is_remote(url)
    assert not is_local(url)


@pytest.mark.parametrize("url", LOCAL)
def test_a_spelling_the_browser_reads_as_this_host_is_local(url: str) -> None:
    assert is_local(url)


def test_the_table_is_large_and_every_remote_spelling_names_the_other_host() -> None:
    assert len(REMOTE) + len(LOCAL) >= 30
    assert all("evil.example" in url for url in REMOTE if not url.startswith("data:"))


def test_edges_are_stripped_and_tabs_and_newlines_removed_like_the_url_parser_does() -> None:
    assert normalize("\x00 \t/\t/x\r\n \x1f") == "//x"
    assert normalize("\u3000/x\x7f") == "\u3000/x\x7f"  # not C0 or space: kept, so a path


@pytest.mark.parametrize(
    ("tag", "attribute"),
    [("img", "src"), ("img", "srcset"), ("source", "srcset"), ("video", "poster"),
     ("input", "src"), ("link", "href"), ("image", "href"), ("use", "href"),
     ("object", "data"), ("embed", "src"), ("iframe", "src"), ("td", "background"),
     ("a", "ping"), ("svg", "xlink:href")],
)  # fmt: skip
def test_attributes_the_browser_fetches_by_itself_load(tag: str, attribute: str) -> None:
    assert loads(tag, attribute)


@pytest.mark.parametrize(
    ("tag", "attribute"), [("a", "href"), ("area", "href"), ("q", "cite"), ("img", "alt")]
)
def test_a_link_or_a_citation_loads_nothing(tag: str, attribute: str) -> None:
    assert not loads(tag, attribute)


# What each allowed attribute is, decided by a person: a new one must be put here on purpose.
NOT_URLS = {"title", "hreflang", "alt", "width", "height", "colspan", "rowspan", "headers",
            "scope", "start", "reversed", "datetime", "value"}  # fmt: skip
LINKS = {("a", "href"), ("blockquote", "cite"), ("q", "cite"), ("del", "cite"), ("ins", "cite")}


def test_every_attribute_the_sanitizer_allows_is_known_to_load_or_not() -> None:
    for tag, attributes in ATTRIBUTES.items():
        for attribute in attributes:
            assert loads(tag, attribute) or (tag, attribute) in LINKS or attribute in NOT_URLS, (
                f"<{tag} {attribute}>: does the browser fetch it? add it to gongshi.content.url_safety"
            )


def test_every_candidate_of_a_srcset_is_checked() -> None:
    value = "/files/a.png 1x, /\\evil.example/b.png 2x"

    assert urls_of("srcset", value) == ["/files/a.png", "1x", "/\\evil.example/b.png", "2x"]
    assert urls_of("src", value) == [value]


def test_a_url_is_shown_on_one_line() -> None:
    assert shown("/\t/evil.example\n/a.png") == "/\\x09/evil.example\\x0a/a.png"
    assert shown("/\\evil.example/现场.png") == "/\\evil.example/现场.png"
