"""Property: whatever an editor (or an attacker) writes, ``check`` and ``build`` keep their promises.

Hypothesis generates meeting files — valid ones, near misses, hostile strings and random Unicode,
written into the YAML as plain, quoted or block scalars — and for each asserts:

- ``check`` and ``build`` never raise and never fall back to an internal error (exit 3);
- they agree: ``check`` passes exactly when ``build`` succeeds, and they report the same problems;
- every problem is a ``path:line: error: field: message [category]`` line;
- a successful build's output holds no script or event handler of the editor's, nothing loaded
  from another host, and none of the personal numbers the generator planted, in any spelling.

The oracle here is written independently of Gongshi's own scanners. CI runs a fixed seed and a
bounded number of examples; to search longer (new seeds each run)::

    GONGSHI_FUZZ_EXAMPLES=2000 GONGSHI_FUZZ_RANDOM=1 .venv/bin/python -m pytest tests/test_hostile_inputs.py
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import tempfile
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.conftest import COMPLETE, run_cli

EXAMPLES = int(os.environ.get("GONGSHI_FUZZ_EXAMPLES", "50"))
RANDOM = os.environ.get("GONGSHI_FUZZ_RANDOM") == "1"
SETTINGS = COMPLETE / "pelicanconf.py"
NOW = "2025-06-15 10:00"

# The personal numbers the generator plants; none may be readable in any output file.
MOBILES = ("13812345678", "15910002000", "18600001111")
IDS = ("11010519491231002X", "110105194912310021")
SECRETS = (*MOBILES, *IDS)

PLANTED = [
    "13812345678",
    "１３８１２３４５６７８",
    "138-1234-5678",
    "138 1234 5678",
    "138．1234．5678",
    "&#49;3812345678",
    "&#x31;&#x33;812345678",
    "138\u200b1234\u200b5678",
    "138**1234**5678",
    "138<em>1234</em>5678",
    "+86 159 1000 2000",
    "１５９－１０００－２０００",
    "186\u20280000\u20281111",
    "11010519491231002X",
    "110105 19491231 002X",
    "１１０１０５１９４９１２３１００２１",
    "110105-1949-1231-0021",
]
HOSTILE = [
    "<script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">点此</a>',
    '<a href="java\tscript:alert(1)">点此</a>',
    '<img src="/\\evil.example/a.png" alt="图">',
    "![图](/\\evil.example/b.png)",
    '<img src="//evil.example/c.png" alt="图">',
    '<img src="/&#92;evil.example/d.png" alt="图">',
    '<img src="/\t/evil.example/e.png" alt="图">',
    "<iframe src=//evil.example/></iframe>",
    "<svg onload=alert(1)>",
    "<style>body{background:url(//evil.example/x)}</style>",
    '<link rel="stylesheet" href="//evil.example/x.css">',
    '<div style="background:url(//evil.example/y)">x</div>',
    "\x00",
    "\x07",
    "\x1b[31m",
    "\ufffe",
    "\u202e",
    "\u2066",
    "\u200b",
    "a\nb",
    "\t",
    "*别名",
    "&锚点 x",
    "[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]",
    "{a: b}",
    "键: 值",
    "- 项",
    "|",
    ">",
    "'",
    '"',
    "# 注释",
    "@",
    "`",
    "%",
    "!!python/object/apply:os.system ['true']",
    "!!binary AAAA",
    "? 键",
    "~",
    "null",
    "yes",
    "1e9",
    "&#x3c;script&#x3e;",
    "${{ 1 }}",
    "{{ 7*7 }}",
    "{% raw %}",
]
VALID = {
    "title": "玉泉社区停车难问题议事协商会",
    "date": "2025-06-10",
    "places": "yuquan",
    "summary": "围绕夜间停车难召开议事协商会。",
    "tags": "[停车, 公示]",
    "start": "2025-06-20 14:30",
    "end": "2025-06-20 16:00",
    "location": "玉泉社区党群服务中心二楼议事厅",
    "convener": "玉泉社区党委",
    "host": "玉泉社区党委书记",
    "format": "meeting",
    "topics": "[夜间停车位错峰共享方案, 消防通道占用整治]",
    "participants": "[{role: committee, count: 3}, {role: residents, name: 居民代表}]",
    "attend": "{how: 到社区服务大厅登记, deadline: 2025-06-18}",
    "status": "scheduled",
    "changes": "[{date: 2025-06-12, note: 会议地点调整}]",
}
REQUIRED = ("title", "date", "places", "start", "location", "convener", "topics", "status")
TEXT_FIELDS = ("title", "summary", "location", "convener", "host")
PROBLEM = re.compile(r"^\S.*:\d+: error: .+: .+ \[[a-z][a-z0-9.-]*\]$")
SUMMARY = re.compile(r"^共 \d+ 个问题，涉及 \d+ 个文件。$|^网站未生成；原有输出目录保持不变。$")

noise = st.text(max_size=24)
hostile_text = st.one_of(st.sampled_from(HOSTILE), st.sampled_from(PLANTED), noise)


def _scalar(text: str, style: str) -> str:
    """``text`` written as a YAML scalar in one of the ways an editor might write it."""
    if style == "double":
        return json.dumps(text, ensure_ascii=False)
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    if style == "block":
        return "|\n" + "\n".join("  " + line for line in text.split("\n"))
    return text  # plain, as typed: may well be a near miss


@st.composite
def field_value(draw: st.DrawFn, name: str) -> str:
    """A hostile, random or mixed value for one field, written as some YAML scalar."""
    if draw(st.booleans()) and name in TEXT_FIELDS:
        text = VALID[name] + draw(hostile_text) + draw(st.sampled_from(["", "。", " 联系"]))
    else:
        text = draw(hostile_text)
    style = draw(st.sampled_from(["plain", "double", "single", "block"]))
    return _scalar(text, style)


BENIGN = ["## 背景", "- 一项", "**重点**", "[链接](/meetings/)", "> 引用", "", "居民反映的问题。"]


@st.composite
def fragment(draw: st.DrawFn) -> str:
    """A piece of a body: mostly what editors write, sometimes hostile, planted or random."""
    roll = draw(st.integers(0, 19))
    if roll < 11:
        return draw(st.sampled_from(BENIGN))
    if roll < 16:
        return draw(st.sampled_from(HOSTILE))
    if roll < 18:
        return draw(noise)
    return draw(st.sampled_from(PLANTED))


@st.composite
def meeting_file(draw: st.DrawFn) -> tuple[str, str]:
    """(file name, file text) of a meeting: valid but for none, one or a few fields."""
    spoiled = draw(
        st.sets(st.sampled_from(sorted(VALID)), max_size=draw(st.sampled_from([0, 0, 1, 3])))
    )
    lines = ["---"]
    for name, valid in VALID.items():
        if name not in REQUIRED and draw(st.integers(0, 3)) == 0:
            continue
        value = draw(field_value(name)) if name in spoiled else valid
        lines.append(f"{name}: {value}")
    if draw(st.integers(0, 9)) == 0:
        lines.append(draw(st.sampled_from(HOSTILE)))  # a stray line in the front matter
    lines.append("---")
    body = [draw(fragment()) for _ in range(draw(st.integers(0, 4)))]
    joiner = draw(st.sampled_from(["\n", "\n\n", " "]))
    name = draw(st.sampled_from(["2025-06-20-yuquan-fuzz", "2025-06-20-x", "a"]))
    return f"{name}.md", "\n".join(lines) + "\n" + joiner.join(body) + "\n"


def _site(root: Path, name: str, text: str) -> Path:
    content = root / "content"
    (content / "meetings").mkdir(parents=True)
    shutil.copy(COMPLETE / "content" / "places.yaml", content / "places.yaml")
    (content / "meetings" / name).write_text(text, encoding="utf-8")
    return content


# --- the oracle: what a resident, a browser or a feed reader would meet -------------------------

INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
SEPARATORS = re.compile(r"[\s\-.·・_/—–‐−*~`()（）+]+")
TAGS = re.compile(r"<[^>]*>")


def readable(text: str) -> str:
    """``text`` as read: entities decoded, tags dropped, NFKC, invisibles and separators gone."""
    for _ in range(3):
        text = html.unescape(text)
    text = TAGS.sub("", text)
    text = INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return SEPARATORS.sub("", text).upper()


SITE = "https://yishi.xihu.example.cn/"  # the test site's own SITEURL: not another host


UNSAFE_SCHEMES = {"javascript", "vbscript", "data"}


def scheme(url: str) -> str:
    """The scheme a browser reads in ``url`` (WHATWG), lower-cased; "" for a relative URL."""
    url = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))
    found = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    return found.group(1).lower() if found else ""


def remote(url: str) -> bool:
    """Whether a browser would load ``url`` from another host (WHATWG: tab/newline removed,
    leading C0 and space stripped, backslash read as a slash, any scheme but ours is foreign)."""
    url = re.sub(r"[\t\n\r]", "", url).lstrip("".join(map(chr, range(0x21))))
    url = url.replace("\\", "/")
    if url.startswith(SITE):
        return False
    return url.startswith("//") or bool(re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", url))


LOADING = {("img", "src"), ("script", "src"), ("iframe", "src"), ("source", "src"),
           ("video", "poster"), ("embed", "src"), ("object", "data"), ("input", "src"),
           ("audio", "src"), ("track", "src"), ("image", "href")}  # fmt: skip
SCRIPTS_ALLOWED = ("/theme/js/", "/pagefind/")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.faults: list[str] = []
        self._in_script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        for key, value in values.items():
            if key.startswith("on"):
                self.faults.append(f"event handler {key}= on <{tag}>")
            if (tag, key) in LOADING and remote(value):
                self.faults.append(f"<{tag} {key}={value!r}> loads from another host")
            loads_css = key == "style" and re.search(r"url\(|@import|expression", value, re.I)
            if key == "srcset" or loads_css or (key == "href" and scheme(value) in UNSAFE_SCHEMES):
                self.faults.append(f"<{tag} {key}={value!r}>")
        loads = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest"}
        if (
            tag == "link"
            and loads & set(values.get("rel", "").lower().split())
            and remote(values.get("href", ""))
        ):
            self.faults.append(f"<link href={values['href']!r}> loads from another host")
        if tag == "style":
            self.faults.append("<style> element")
        if tag == "script":
            src = values.get("src", "")
            if src and not src.startswith(SCRIPTS_ALLOWED):
                self.faults.append(f"<script src={src!r}>")
            json_ld = not src and values.get("type") == "application/ld+json"
            self._in_script = "" if json_ld else None
            if not src and not json_ld:
                self.faults.append("inline <script>")

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self._in_script += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script is not None:
            try:  # JSON-LD that is anything but JSON has escaped its element
                json.loads(self._in_script)
            except ValueError:
                self.faults.append("JSON-LD that is not JSON")
            self._in_script = None


def output_faults(output: Path) -> list[str]:
    faults = []
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        if "pagefind" in path.parts or path.suffix not in {
            ".html",
            ".xml",
            ".ics",
            ".json",
            ".csv",
            ".txt",
        }:
            continue
        text = path.read_text(encoding="utf-8-sig")
        relative = path.relative_to(output)
        if path.suffix == ".json":
            text = json.dumps(json.loads(text), ensure_ascii=False)  # \\u escapes decoded
        if path.suffix == ".ics":
            text = text.replace("\r\n ", "").replace("\\n", "\n").replace("\\", "")
        if path.suffix == ".html" or (path.suffix == ".xml" and "feeds" in path.parts):
            page = _Page()
            page.feed(html.unescape(text) if path.suffix == ".xml" else text)
            page.close()
            faults += [f"{relative}: {fault}" for fault in page.faults]
        seen = readable(text)
        faults += [f"{relative}: personal number {s[:3]}…" for s in SECRETS if s in seen]
    return faults


# --- the property -------------------------------------------------------------------------------


@settings(
    max_examples=EXAMPLES,
    derandomize=not RANDOM,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(meeting_file())
def test_check_and_build_keep_their_promises(file: tuple[str, str]) -> None:
    name, text = file
    with tempfile.TemporaryDirectory(prefix="gongshi-fuzz-") as tmp:
        root = Path(tmp)
        content = _site(root, name, text)
        check_code, _, check_err = run_cli(
            "--settings", str(SETTINGS), "check", "--content", str(content)
        )
        build_code, _, build_err = run_cli(
            "--settings", str(SETTINGS), "build", "--content", str(content),
            "--output", str(root / "output"), "--now", NOW,
        )  # fmt: skip

        event("check passed" if check_code == 0 else "check failed")
        assert check_code in (0, 1), check_err
        assert build_code in (0, 1), build_err
        assert (check_code == 0) == (build_code == 0), (check_err, build_err)
        if check_code:
            problems = check_err.rstrip("\n").split("\n")
            assert all(PROBLEM.match(line) or SUMMARY.match(line) for line in problems), problems
            assert [line for line in build_err.split("\n") if PROBLEM.match(line)] == [
                line for line in problems if PROBLEM.match(line)
            ]
            assert not (root / "output").exists()
        else:
            assert output_faults(root / "output") == []


def test_the_oracle_sees_what_it_must() -> None:
    """The oracle itself can fail: planted numbers and unsafe markup are found in a page."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        (out / "index.html").write_text(
            '<p>电话 １３８<em>1234</em>&#53;678</p><img src="/\t\\evil.example/x.png">'
            '<a href="java&#x09;script:x">x</a><script>alert(1)</script><b onclick="x">b</b>',
            encoding="utf-8",
        )
        (out / "feeds").mkdir()
        (out / "feeds" / "all.atom.xml").write_text(
            "<e>&lt;script&gt;x&lt;/script&gt;</e>", encoding="utf-8"
        )
        faults = output_faults(out)
    assert any("personal number 138" in f for f in faults)
    assert any("loads from another host" in f for f in faults)
    assert any("inline <script>" in f and f.startswith("index.html") for f in faults)
    assert any("onclick" in f for f in faults)
    assert any(f.startswith("feeds/") and "inline <script>" in f for f in faults)
    assert (
        remote("/\\evil.example")
        and remote(" //x")
        and remote("/\n/x")
        and not remote("/files/a.png")
    )
