"""Pages taken over from the previous build when nothing they read has changed.

A page is ``Build.render`` of its template with its :class:`~gongshi.site.plan.Page` (URL, feed,
calendar, what the plan gave it) and what every template may use: the settings, the code lists,
the ``SiteIndex`` and the ``Subscriptions``. The settings, the theme, the code and "now" are the
same for every page: a change of any of them (:func:`gongshi.publish.cache.pages_env`) makes
every page new. The rest differs from page to page, so it is recorded while the page renders:

- the page itself, as a digest of its value (:class:`Digests`: every field, every item it holds
  with every field of that item, body included);
- every read of the index and of the subscriptions, through a :class:`Recorder` standing in for
  them: the attribute or method, the arguments (an item as its type, id and digest), and the
  digest of what came back.

The next build takes the page over — a hard link to the previous output's file, which the record
says is untouched (inode, size, modification time) — when its digest and every recorded read,
asked again of the new index, give the same digests; else it renders it. Whatever the template
does with what it read, the same values give the same page. A value the digests do not know
(an object of another kind) makes the page's record *opaque*: it is rendered every build.

The other writers' files are taken over the same way, by a key each writer computes of what the
file says (:class:`KeyedFiles`: a calendar's key is its events' meetings, digested, with what the
index says of each): a key that differs, or a file that is not as that build wrote it, and the
file is made again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import inspect
import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jinja2 import Environment

from ..content.codes import Codes
from ..content.models import Item, bodies
from ..content.places import Place, Places
from ..site.deferred import Deferred
from . import replace, splice

# a read: (what was read: "index", "subscriptions" or "site", the attribute, the call's arguments —
# positional, then keyword (name, argument) pairs; None: an attribute read, not a call —, the
# digest of what came back)
Given = tuple[tuple[Any, ...], tuple[tuple[str, Any], ...]]
Read = tuple[str, str, Given | None, bytes]
# value classes digested by these attributes (all they hold), as dataclasses are by their fields
_OBJECTS: dict[type, tuple[str, ...]] = {
    Places: ("_by_id", "jurisdictions", "declared"),
    Codes: ("_lists",),
}
_SCALARS = (str, int, float, bool, bytes, type(None), dt.date, dt.time, dt.timedelta, enum.Enum)


class Opaque(Exception):
    """A value that cannot be digested, or an argument that cannot be asked again."""


# items by key (type, id): those whose bodies a record read, as it holds them (a tuple: a third
# of a set's memory, and 150,000 records at 50,000 items hold one each)
Touches = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class PageRecord:
    """What a page was made from, and the file it was written to."""

    page: bytes  # digest of the Page
    reads: tuple[Read, ...]
    file: tuple[int, int, int]  # inode, size, modification time (ns) of the file written
    # for a part of files, not a file (KeyedFiles.part: a feed entry's content), the digest of
    # what it gave; ``file`` is then (0, 0, 0)
    gave: bytes = b""
    # for a part whose text is kept (KeyedFiles.text: an item of the open data), that text in
    # UTF-8, compressed (zlib, fastest level: a quarter of the memory, 50,000 items of open data
    # held 300 MiB as text)
    text: bytes | None = None
    # the items whose bodies it read while it was made (:func:`recording`), each as its key
    # (type, id): while only items' bodies changed, a record none of whose items changed holds
    # without its reads asked again (:func:`holds`, :mod:`gongshi.outputs.changes`); None: not
    # known (a record of a writer with no reads)
    touches: Touches | None = None


# a text made apart (:meth:`KeyedFiles.text`): its digest, and the text when asked for
Text = tuple[bytes, Callable[[], str]]
Known = Mapping[
    int, tuple[object, bytes]
]  # id of an object → (the object, :meth:`Digests.object_digest`)


class Digests:
    """Digests of values, each immutable object's taken once (a build's items and places are
    read by many pages); ``known``: objects whose digest an earlier build took (an item read
    again from the reading cache is the same value: :meth:`gongshi.publish.cache.Cache.known`)."""

    def __init__(self, known: Known | None = None, answers: Digests | None = None) -> None:
        # the objects digested (each kept alive meanwhile, so its id is not reused): freed with
        # this, when the pages or the writer it serves are done
        self._memo: dict[int, tuple[object, bytes]] = dict(known or {})
        # what a read gives in this build (the index does not change while pages render): many
        # pages make the same reads (the feed of everything, the places …), and so do the
        # writers — shared with ``answers``, if given, as is what was checked
        self.reads: dict[tuple[str, str, Given | None], bytes | None] = (
            answers.reads if answers is not None else {}
        )
        self.noted: dict[Read, Read] = {}  # every read noted here, as first noted
        # each kept read object checked in this process: (the read, whether it gives the same)
        self.checked: dict[int, tuple[Read, bool]] = answers.checked if answers is not None else {}
        # the items whose bodies alone changed since the kept build, when nothing else its index
        # is made of did (:func:`gongshi.outputs.changes.changed_items`); None: not so, or not known
        self.changed: frozenset[tuple[str, str]] | None = (
            answers.changed if answers is not None else None
        )
        self._keys: dict[tuple[str, str], tuple[str, str]] = {}  # one object per key

    def of(self, value: Any) -> bytes:
        digest = hashlib.blake2b(digest_size=20)
        self._feed(digest, value)
        return digest.digest()

    def without(self, value: Any, leave_out: Iterable[str]) -> bytes:
        """A dataclass's digest as :meth:`of` takes it but for the fields ``leave_out``: what a
        file that does not show them was made from (an event does not show the item's body)."""
        left_out = frozenset(leave_out)
        names = [name for name in _digested(type(value)) if name not in left_out]
        return self._attributes(value, names, "-(")

    def _feed(self, digest: Any, value: Any) -> None:
        kind = type(value)
        if (
            kind is str
        ):  # most of what is digested: titles, bodies (the length keeps it unambiguous)
            data = value.encode("utf-8", "surrogatepass")
            digest.update(b"str:%d:" % len(data))
            digest.update(data)
            return
        known = self._memo.get(id(value))
        if known is not None and known[0] is value:  # an item, a place … digested before
            digest.update(known[1])
        elif isinstance(value, type):  # a class (an item type …): its code is in the pages' env
            digest.update(f"class:{value.__module__}.{value.__qualname__};".encode())
        elif isinstance(value, _SCALARS):
            digest.update(f"{kind.__qualname__}:{value!r};".encode("utf-8", "surrogatepass"))
        elif kind in (tuple, list):
            digest.update(f"{kind.__name__}{len(value)}(".encode())
            for element in value:
                self._feed(digest, element)
            digest.update(b")")
        elif kind in (dict, MappingProxyType, Deferred):
            value = value.made() if kind is Deferred else value  # as the dict it stands for
            digest.update(f"map{len(value)}(".encode())
            for key, element in value.items():
                self._feed(digest, key)
                self._feed(digest, element)
            digest.update(b")")
        elif kind in (frozenset, set):
            digest.update(f"set{len(value)}(".encode())
            for element in sorted(self.of(element) for element in value):
                digest.update(element)
            digest.update(b")")
        elif dataclasses.is_dataclass(value) or kind in _OBJECTS:
            digest.update(self._object(value))
        else:
            raise Opaque(kind.__qualname__)

    def touches(self, noted: Iterable[tuple[str, str]]) -> Touches:
        """The items whose bodies a record read (:func:`recording`), as it keeps them: each key
        one object in this process, and so in a slice of the kept records."""
        return tuple(self._keys.setdefault(key, key) for key in noted)

    def spared(self, touches: Iterable[tuple[str, str]] | None) -> bool:
        """Whether only items' bodies changed (:attr:`changed`) and none of ``touches``."""
        changed = self.changed
        return changed is not None and touches is not None and changed.isdisjoint(touches)

    def object_digest(self, value: Any) -> bytes:
        """What :meth:`of` feeds for an immutable object (``known`` holds these)."""
        return self._object(value)

    def _object(self, value: Any) -> bytes:
        """An immutable object's digest: its class and its fields (a dataclass's) or attributes."""
        known = self._memo.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        kind = type(value)
        found = self._attributes(value, _OBJECTS.get(kind) or _digested(kind), "(")
        self._memo[id(value)] = (value, found)  # kept alive, so its id is never reused meanwhile
        return found

    def _attributes(self, value: Any, names: Iterable[str], opening: str) -> bytes:
        """The digest of ``value``'s class and of its attributes ``names``."""
        digest = hashlib.blake2b(digest_size=20)
        kind = type(value)
        digest.update(f"{kind.__module__}.{kind.__qualname__}{opening}".encode())
        for name in names:
            digest.update(name.encode() + b"=")
            self._feed(digest, getattr(value, name))
        return digest.digest()


_FIELDS: dict[type, tuple[tuple[str, ...], frozenset[str]]] = {}


def _fields(kind: type) -> tuple[tuple[str, ...], frozenset[str]]:
    """A dataclass's fields digested, and those marked ``metadata={"digest": False}``: what a
    page shows of the object is then the rest (a feed's title and address, not its items), and
    a page whose template reads such a field anyway is never taken over (:func:`watching`)."""
    if kind not in _FIELDS:
        fields = dataclasses.fields(kind) if dataclasses.is_dataclass(kind) else ()
        digested = tuple(f.name for f in fields if f.metadata.get("digest", True))
        _FIELDS[kind] = (digested, frozenset(f.name for f in fields) - set(digested))
    return _FIELDS[kind]


def _digested(kind: type) -> tuple[str, ...]:
    return _fields(kind)[0]


def _undigested(kind: type) -> frozenset[str]:
    return _fields(kind)[1]


def _argument(value: Any, digests: Digests) -> tuple[Any, ...]:
    """An argument as it can be given again in a later build."""
    if isinstance(value, Item):
        return ("item", value.type, value.id, digests.of(value))
    if isinstance(value, Place):
        return ("place", value.id, digests.of(value))
    if type(value) in (tuple, list):
        return ("seq", type(value) is list, tuple(_argument(v, digests) for v in value))
    if isinstance(value, type) or (
        isinstance(value, _SCALARS) and not isinstance(value, enum.Enum)
    ):
        return ("value", value)
    raise Opaque(type(value).__qualname__)


def _given(argument: tuple[Any, ...], index: Any, digests: Digests) -> Any:
    """An argument of :func:`_argument` from the new build (:class:`Opaque` if it has none)."""
    kind = argument[0]
    if kind == "value":
        return argument[1]
    if kind == "seq":
        values = [_given(a, index, digests) for a in argument[2]]
        return values if argument[1] else tuple(values)
    try:
        found = (
            index.by_id(argument[1], argument[2]) if kind == "item" else index.places[argument[1]]
        )
    except KeyError as exc:
        raise Opaque("gone") from exc
    if digests.of(found) != argument[-1]:
        raise Opaque("changed")
    return found


# What a page reads of the settings (``site`` in templates) that is not the same for every page
# of every build with its env (``publish/cache.pages_env`` leaves it out): "now" moves between
# builds, and a page that shows it or a state of it is rendered again; one that does not is
# taken over. Every other setting is in the pages' env, so its reads are not noted.
SITE_READS = frozenset({"now"})


class Recorder:
    """Stands in for the index (or the subscriptions, or the settings) while one page renders:
    every attribute read and method call goes through to it and is noted in :attr:`reads` (with
    ``only``, those of these names)."""

    def __init__(
        self, name: str, target: Any, digests: Digests, only: frozenset[str] | None = None
    ) -> None:
        self._name, self._target, self._digests = name, target, digests
        self._only = only
        self.reads: list[Read] = []
        self.opaque = False

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if inspect.ismethod(value):
            return functools.partial(self._call, name, value)
        if name == "now":  # the time itself shown: made again whenever "now" moved
            bodies.note(bodies.NOW)
        self._note(name, None, lambda: value)
        return value

    def _call(self, name: str, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        result = method(*args, **kwargs)
        self._note(name, (args, kwargs), lambda: result)
        return result

    def _note(
        self,
        name: str,
        call: tuple[tuple[Any, ...], dict[str, Any]] | None,
        value: Callable[[], Any],
    ) -> None:
        if self.opaque or (self._only is not None and name not in self._only):
            return
        try:
            with bodies.UNNOTED:  # digests read every body: a read does not show them
                given: Given | None = None
                if call is not None:
                    args, kwargs = call
                    given = (
                        tuple(_argument(a, self._digests) for a in args),
                        tuple((k, _argument(v, self._digests)) for k, v in sorted(kwargs.items())),
                    )
                read = (self._name, name, given, self._digests.of(value()))
        except Opaque:
            self.opaque = True
            return
        try:  # one object for a read many pages make: pickled once, read back once
            read = self._digests.noted.setdefault(read, read)
        except TypeError:  # an argument that is no dictionary key (a list of values)
            pass
        self.reads.append(read)


def reads_of(recorders: Iterable[Recorder]) -> tuple[Read, ...]:
    """Every read of ``recorders``, each once: a template that asks the same twice, asks
    again alike (it gives the same again, or it did not give the same the first time)."""
    reads = [read for recorder in recorders for read in recorder.reads]
    try:
        return tuple(dict.fromkeys(reads))
    except TypeError:  # an argument that is no dictionary key
        return tuple(reads)


def recorders_of(sources: Mapping[str, Any], digests: Digests) -> dict[str, Recorder]:
    """A recorder standing in for each of ``sources`` (``Build.sources``); of the settings, only
    :data:`SITE_READS` are noted."""
    return {
        name: Recorder(name, source, digests, SITE_READS if name == "site" else None)
        for name, source in sources.items()
    }


_watched: list[Recorder] = []  # the recorders of the page rendering now, in this process


def watching(templates: Environment) -> None:
    """Make ``templates`` note, for the page rendering now, a read of a field left out of the
    digests: that page's record becomes opaque (rendered every build)."""
    if getattr(templates, "_gongshi_watched", False):
        return
    attribute, item = templates.getattr, templates.getitem

    def getattr_(obj: Any, name: str) -> Any:
        if _watched and name in _undigested(type(obj)):
            for recorder in _watched:
                recorder.opaque = True
        return attribute(obj, name)

    def getitem(obj: Any, name: Any) -> Any:
        if _watched and isinstance(name, str) and name in _undigested(type(obj)):
            for recorder in _watched:
                recorder.opaque = True
        return item(obj, name)

    templates.getattr = getattr_  # type: ignore[method-assign, assignment]
    templates.getitem = getitem  # type: ignore[method-assign, assignment]
    templates._gongshi_watched = True  # type: ignore[attr-defined]


@contextlib.contextmanager
def recording(recorders: Iterable[Recorder]) -> Iterator[set[tuple[str, str]]]:
    """While a page (or a part) is made through ``recorders``: the keys of the items whose
    bodies it reads (:mod:`gongshi.content.models.bodies`), as they are read."""
    _watched[:] = recorders
    try:
        with bodies.noting() as noted:
            yield noted
    finally:
        _watched.clear()


def holds(record: PageRecord, sources: Mapping[str, Any], digests: Digests) -> bool:
    """Whether every read of ``record`` gives again what it gave: without asking them, when
    only items' bodies changed (``digests.changed``) and the record knows its items — none of
    them changed, so what it read is as it was (:mod:`gongshi.outputs.changes`)."""
    if digests.changed is not None and record.touches is not None:
        return digests.spared(record.touches)
    return unchanged(record.reads, sources, digests)


def unchanged(reads: tuple[Read, ...], sources: Mapping[str, Any], digests: Digests) -> bool:
    """Whether every read gives again what it gave (``sources``: the new index, subscriptions).
    A read is one object in every record of a slice of the kept records that made it, so its
    answer is looked up by the object first (hashing its arguments again for each of 15,000
    pages was a third of the check)."""
    checked = digests.checked
    for read in reads:
        known = checked.get(id(read))
        if known is not None and known[0] is read:
            if not known[1]:
                return False
            continue
        name, attribute, given, digest = read
        asked = (name, attribute, given)
        try:
            now = digests.reads[asked]
        except KeyError:
            now = digests.reads[asked] = _again(asked, sources, digests)
        except TypeError:  # an argument that is no dictionary key (a list of values)
            now = _again(asked, sources, digests)
        checked[id(read)] = (read, now == digest)  # the read kept alive: its id is not reused
        if now != digest:
            return False
    return True


def _again(
    read: tuple[str, str, Given | None], sources: Mapping[str, Any], digests: Digests
) -> bytes | None:
    """The digest of what ``read`` gives now; None if it raises (gone, changed: the page is
    rendered, and that says why)."""
    name, attribute, given = read
    index = sources["index"]
    try:
        value = getattr(sources[name], attribute)
        if given is not None:
            args, kwargs = given
            value = value(
                *(_given(a, index, digests) for a in args),
                **{k: _given(a, index, digests) for k, a in kwargs},
            )
        return digests.of(value)
    except Exception:
        return None


@dataclass(frozen=True)
class Kept:
    """What the previous build's files were made from, and where they are (the output being
    replaced); no records: nothing to take over, but record this build's."""

    records: Mapping[str, PageRecord]  # by the file's path below the output folder
    output: Path
    known: Known = dataclasses.field(default_factory=dict)  # digests of this build's items


class KeyedFiles:
    """Files a writer makes whole from a key of what they say: with ``kept``, a file whose key is
    the previous build's is taken over from the previous output, and every file's key is recorded
    (``records``, kept with the pages' records); without, each is written."""

    def __init__(self, output: Path, kept: Kept | None) -> None:
        self.output, self.kept = output, kept
        self.records: dict[str, PageRecord] = {}
        # what reads give, shared in a process by every writer and the pages (:meth:`digests`)
        self._answers = Digests()

    def since(self, changed: frozenset[tuple[str, str]] | None) -> None:
        """Only the bodies of the items ``changed`` changed since the kept build (None: not so):
        a record none of whose items is one of them holds (:func:`holds`). Before any
        :meth:`digests` is taken."""
        self._answers.changed = changed

    def digests(self) -> Digests:
        """Digests for one writer, or for the pages a process renders: a read many of them make
        — what the index says of an item, for its page, its feed entry, its item and row of the
        open data — is asked again once in a process; the objects each digested are its own,
        kept alive until it is done, not to the end of the rendering."""
        return Digests(self.kept.known if self.kept is not None else None, self._answers)

    def write(
        self,
        path: str,
        key: bytes | Callable[[], bytes],
        make: Callable[[], bytes],
        touches: Iterable[tuple[str, str]] | None = None,
    ) -> bool:
        """The file at ``path`` (below the output) holding ``make()``, whose key is ``key`` (or
        what it gives: ``touches``, the items whose bodies may show in the file — none of them
        changed while only bodies did, :meth:`Digests.spared`, and the kept key is the key, not
        computed); whether it was taken over (then it holds what the previous build's
        ``make()`` gave)."""
        target = f"{self.output}/{path}"  # a string: 5,000 files a build, most taken over
        if self.kept is not None:
            record = self.kept.records.get(path)
            spared = self._answers.spared(touches)
            if callable(key) and record is not None and not record.reads and spared:
                key = record.page
        if callable(key):
            key = key()
        if self.kept is not None:
            if (
                record is not None
                and record.page == key
                and not record.reads
                and (file := take_over(f"{self.kept.output}/{path}", target, record)) is not None
            ):
                self.records[path] = record if file == record.file else PageRecord(key, (), file)
                return True
        replace.write_bytes(target, make())
        if self.kept is not None:
            self.records[path] = PageRecord(key, (), file_of(target))
        return False

    def write_parts(
        self,
        path: str,
        key: bytes,
        make: Callable[[], tuple[splice.Layout, Sequence[splice.Part]]],
    ) -> None:
        """The file at ``path`` made of parts (:mod:`gongshi.outputs.splice`), whose key is
        ``key``, as :meth:`write` makes a file: ``make()`` gives its layout and its parts. Made
        again, it takes each part the previous build's file has from that file's bytes; either
        way, where its parts lie is kept with its record (``#parts/…``), for the next build."""
        name = f"#parts/{path}"
        spans: list[bytes] = []

        def whole() -> bytes:
            layout, parts = make()
            data, where = splice.join(layout, parts, self._pieces(path, name))
            spans.append(where)
            return data

        taken = self.write(path, key, whole)
        if self.kept is None:
            return
        file = self.records[path].file
        if spans:
            self.records[name] = PageRecord(key, (), file, spans[0])
        elif taken and (record := self.kept.records.get(name)) is not None and record.page == key:
            self.records[name] = (
                record if record.file == file else dataclasses.replace(record, file=file)
            )

    def _pieces(self, path: str, name: str) -> dict[bytes, memoryview] | None:
        """The parts of the previous build's file at ``path`` by their digests, if that file is
        still the one its spans (the record ``name``) were noted for."""
        if self.kept is None:
            return None
        record, whole = self.kept.records.get(name), self.kept.records.get(path)
        if record is None or whole is None or record.page != whole.page:
            return None
        try:
            with open(f"{self.kept.output}/{path}", "rb") as handle:
                info = os.fstat(handle.fileno())
                if (info.st_ino, info.st_size, info.st_mtime_ns) != record.file:
                    return None
                data = handle.read()
        except OSError:
            return None
        return splice.pieces(data, record.gave) if len(data) == record.file[1] else None

    def part(
        self,
        name: str,
        made_of: bytes,
        sources: Mapping[str, Any],
        make: Callable[[Mapping[str, Any]], str],
        digests: Digests,
    ) -> tuple[bytes, str | None]:
        """A part several files share, made from a value (``made_of``, its digest) and what
        ``make`` reads of ``sources`` (index, subscriptions, site), which it is given as
        recorders: the digest of what it gives, for the keys of those files, and what it gave
        if it had to be made (None: the previous build's record holds, the same reads give the
        same again, so it gives what it gave then). ``name`` is the record's, outside the paths
        of files (``#…``)."""
        if self.kept is None:  # nothing kept, nothing to record: made as it is
            made = make(sources)
            return key_of(made), made
        record = self._holding(name, made_of, sources, digests)
        if record is not None and record.gave:
            self.records[name] = record
            return record.gave, None
        made = self._made(name, made_of, sources, make, digests, keep=False)
        return key_of(made), made

    def text(
        self,
        name: str,
        made_of: bytes,
        sources: Mapping[str, Any],
        make: Callable[[Mapping[str, Any]], str],
        digests: Digests,
    ) -> Text:
        """What ``make`` gives, as :meth:`part` makes it, kept whole in its record: its digest
        (:func:`key_of` of the text, for the key of the file it stands in) and the text. A build
        whose record holds takes the text from there, decompressed only if asked for (an item
        of the open data: made of the item and what it reads of the index, and of "now"; a
        file whose items all hold is taken over without its text)."""
        if self.kept is None:
            made = make(sources)
            return text_of(made)
        record = self._holding(name, made_of, sources, digests)
        if record is not None and record.text is not None and record.gave:
            self.records[name] = record
            return record.gave, functools.partial(_decompressed, record.text)
        made = self._made(name, made_of, sources, make, digests, keep=True)
        return text_of(made)

    def derived(self, name: str, made_of: bytes, make: Callable[[], bytes]) -> bytes:
        """A digest ``make`` derives from an immutable value whose digest is ``made_of`` (an
        event's key, from its meeting less the body), kept under ``name`` (``#…``): a later build
        takes it from there when the value's digest is the same, the same value giving the same."""
        if self.kept is None:
            return make()
        for records in (self.records, self.kept.records):  # this build's, then the kept build's
            record = records.get(name)
            if record is not None and record.page == made_of and record.gave and not record.reads:
                self.records[name] = record
                return record.gave
        made = make()
        self.records[name] = PageRecord(made_of, (), (0, 0, 0), made)
        return made

    def _holding(
        self, name: str, made_of: bytes, sources: Mapping[str, Any], digests: Digests
    ) -> PageRecord | None:
        """The previous build's record of ``name``, if it holds: made of the same value, and
        every read of it gives the same again."""
        assert self.kept is not None
        record = self.kept.records.get(name)
        if record is not None and record.page == made_of and holds(record, sources, digests):
            return record
        return None

    def _made(
        self,
        name: str,
        made_of: bytes,
        sources: Mapping[str, Any],
        make: Callable[[Mapping[str, Any]], str],
        digests: Digests,
        *,
        keep: bool,
    ) -> str:
        """``make`` of recorders standing in for ``sources``, its record noted unless something
        it read cannot be recorded (then it is made again every build)."""
        recorders = recorders_of(sources, digests)
        with recording(recorders.values()) as noted:
            made = make(recorders)
        if not any(r.opaque for r in recorders.values()):
            reads = reads_of(recorders.values())
            kept = zlib.compress(made.encode("utf-8"), 1) if keep else None
            touches = digests.touches(noted)
            self.records[name] = PageRecord(made_of, reads, (0, 0, 0), key_of(made), kept, touches)
        return made


def text_of(made: str) -> Text:
    """A text made in this build, as :meth:`KeyedFiles.text` gives one: its digest, and it."""
    return key_of(made), functools.partial(str, made)


def _decompressed(text: bytes) -> str:
    return zlib.decompress(text).decode("utf-8")


def key_of(*parts: bytes | str | int | dt.date) -> bytes:
    """One key of several: each part's bytes (text as UTF-8, numbers and dates as text)."""
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.digest()


def file_of(path: replace.Target) -> tuple[int, int, int]:
    info = os.lstat(path)
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def take_over(
    previous: replace.Target, target: replace.Target, record: PageRecord
) -> tuple[int, int, int] | None:
    """Link ``previous`` (the last build's file of the page) to ``target`` if it is as that
    build wrote it (a copy where links cannot be made; left as it is if ``target`` is that file
    already: :func:`gongshi.outputs.replace.link`); the file at ``target`` then (inode, size,
    modification time: the record's own for a link), or None if it was not taken over."""
    try:
        info = os.lstat(previous)
        if (info.st_ino, info.st_size, info.st_mtime_ns) != record.file:
            return None
        there = replace.link(previous, target, info)
    except OSError:
        return None
    return (there.st_ino, there.st_size, there.st_mtime_ns)
