"""URL spellings and whether each stays on this site: one table for the unit and browser tests.

``LOCAL`` are the spellings a browser resolves, against a page of this site, to this site's own
host; ``REMOTE`` the ones it resolves to another host or that carry a scheme of their own. A few
remote ones a browser would keep on this site but are refused all the same: ``https:x`` on an
https page (``SAME_HOST_ANYWAY``: a page never needs a scheme), and the spellings a more lenient
reader (a feed reader, a program reading the open data) may take for another host once it drops
spaces and invisible characters (``LENIENT``). Every remote spelling names ``evil.example``.
"""

from __future__ import annotations

REMOTE = [
    "//evil.example/a.png",
    "\\\\evil.example/a.png",
    "/\\evil.example/a.png",
    "\\/evil.example/a.png",
    "///evil.example/a.png",
    "/\\/\\evil.example/a.png",
    "/\t/evil.example/a.png",
    "/\n/evil.example/a.png",
    "/\r\n/evil.example/a.png",
    "\\\t\\evil.example/a.png",
    "\t//evil.example/a.png",
    " //evil.example/a.png",
    "\n\n//evil.example/a.png",
    "\x0c//evil.example/a.png",
    "\x00//evil.example/a.png",
    "\x1f//evil.example/a.png",
    "//evil.example/a.png \t\n",
    "//evil.example:8080/a.png",
    "//user@evil.example/a.png",
    "https://evil.example/a.png",
    "HTTPS://evil.example/a.png",
    "hTtP://evil.example/a.png",
    "http:evil.example/a.png",
    "http:\\\\evil.example/a.png",
    "h\ttp://evil.example/a.png",
    "ht\ntps://evil.example/a.png",
    " https://evil.example/a.png",
    "https:evil.example/a.png",
    "https:\\\\evil.example/a.png",
    "ftp://evil.example/a.png",
    "ws://evil.example/a.png",
    "blob:https://evil.example/a.png",
    "data:image/png;base64,iVBORw0KGgo=",
    "file:///evil.example/a.png",
    "javascript:evil.example",
    "c:\\evil.example\\a.png",
    "/ /evil.example/a.png",
    "/    /evil.example/a.png",
    "/\x0b/evil.example/a.png",
    "\u3000//evil.example/a.png",
    "\u00a0//evil.example/a.png",
    "\x7f//evil.example/a.png",
    "/\u200b/evil.example/a.png",
    "\ufeff//evil.example/a.png",
    "h\u200bttps://evil.example/a.png",
]
SAME_HOST_ANYWAY = {"https:evil.example/a.png"}  # the browser stays on an https site: still refused
LENIENT = set(REMOTE[REMOTE.index("/ /evil.example/a.png") :])

LOCAL = [
    "",
    "/files/evil.example.png",
    "files/evil.example.png",
    "evil.example/a.png",
    "./evil.example/a.png",
    "../evil.example/a.png",
    ".//evil.example/a.png",
    "/./\\evil.example/a.png",
    "/files//evil.example/a.png",
    "%2F%2Fevil.example/a.png",
    "/%5Cevil.example/a.png",
    "/%2Fevil.example/a.png",
    "\ufffd//evil.example/a.png",
    "\uff0f\uff0fevil.example/a.png",
    "\u2215\u2215evil.example/a.png",
    "?next=//evil.example/a.png",
    "#//evil.example/a.png",
    "/files/a.png?next=https://evil.example/a.png",
    "1http://evil.example/a.png",
    "-http://evil.example/a.png",
    "+http://evil.example/a.png",
    "/files/现场:evil.example.png",
    "现场/evil.example.png",
]
