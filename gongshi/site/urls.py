"""Every public path the site writes, spelled once — as Pelican's ``*_URL`` settings are.

Pages, feeds, calendars, the open data, the sitemap and search ask this table, and templates
reach it as the ``urls`` global; nothing builds a path of its own or parses one back out of a
string. Paths are site-absolute (``/meetings/``): ``Build.absolute`` puts the site URL in front.
A path ending in ``/`` is written as its ``index.html`` (:func:`save_as`).

An item's page is ``Item.url`` (``/<folder>/<id>/``) and a place's ``Place.url``
(``/places/<id>/``): the models spell those two, and this table hands them on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..content.models import BY_TYPE

if TYPE_CHECKING:
    from ..content.models import Item
    from ..content.places import Place

HOME = "/"
PLACES = "/places/"  # the list of places; each place's page is Place.url
SUBSCRIBE = "/subscribe/"
DATA = "/data/"  # the open data, documented
SEARCH = "/search/"
ABOUT = "/about/"
OVERDUE = "/overdue/"  # only what is overdue (只看逾期); a place's is overdue(place)
BOARD = "/board/"  # the public ledger board (公开台账); a place's is a section of its page
BOARD_SECTION = "board"  # the id of that section: board(place)
BOARD_JSON = "/data/board.json"  # every figure of the board, as data
BOARD_SCHEMA = "/data/schema/board.schema.json"
BOARD_DATA = "/data/board/"  # board.json and the board's CSV files, documented
NOT_FOUND = "/404.html"  # served by the web server for any missing path
SITEMAP = "/sitemap.xml"
ROBOTS = "/robots.txt"
SEARCH_BUNDLE = "/pagefind/"  # Pagefind's index and its own UI files
THEME = "/theme/"  # the theme's static files (Pelican's THEME_STATIC_DIR)

FEED_FORMATS = ("atom", "rss")


def listing(item_type: str, number: int = 1) -> str:
    """A type's list, ``/meetings/``, and its further pages, ``/meetings/page/2/``."""
    base = f"/{BY_TYPE[item_type].folder}/"
    return base if number == 1 else f"{base}page/{number}/"


def item(item: Item) -> str:
    """An item's own page."""
    return item.url


def notice(meeting: Item) -> str:
    """A meeting's printable A4 public notice (公示)."""
    return f"{item(meeting)}notice/"


def event(meeting: Item) -> str:
    """A meeting's own iCalendar file, to add it to a calendar once."""
    return f"{item(meeting)}event.ics"


def place(place: Place) -> str:
    """A place's page: its items, a jurisdiction's including its communities'."""
    return place.url


def overdue(place: Place | None = None) -> str:
    """Only the overdue outcomes and projects (只看逾期): the site's, or a place's."""
    return f"{place.url}overdue/" if place is not None else OVERDUE


def board(place: Place | None = None) -> str:
    """The public ledger board (公开台账): the site's page, or the section of a place's page."""
    return f"{place.url}#{BOARD_SECTION}" if place is not None else BOARD


def board_csv(table: str) -> str:
    """One table of the board as CSV: ``board_csv('meetings')`` is ``/data/board-meetings.csv``."""
    return f"{DATA}board-{table}.csv"


def feed(fmt: str, *, item_type: str | None = None, place_id: str | None = None) -> str:
    """A feed (``fmt``: atom or rss) of everything, of one type, or of one place."""
    if fmt not in FEED_FORMATS:
        raise ValueError(f"no feed format {fmt!r}")
    if place_id is not None:
        return f"/feeds/places/{place_id}.{fmt}.xml"
    if item_type is not None:
        return f"/feeds/{BY_TYPE[item_type].folder}.{fmt}.xml"
    return f"/feeds/all.{fmt}.xml"


def calendar(place_id: str | None = None) -> str:
    """The iCalendar subscription of every meeting, or of one place's meetings."""
    return "/calendar/meetings.ics" if place_id is None else f"/calendar/places/{place_id}.ics"


def data_json(item_type: str) -> str:
    return f"{DATA}{BY_TYPE[item_type].folder}.json"


def data_csv(item_type: str) -> str:
    return f"{DATA}{BY_TYPE[item_type].folder}.csv"


def data_schema(item_type: str) -> str:
    return f"{DATA}schema/{BY_TYPE[item_type].folder}.schema.json"


PLACES_DATA = f"{DATA}places.json"  # the places of places.yaml, as data
PLACES_SCHEMA = f"{DATA}schema/places.schema.json"
MILESTONES_CSV = f"{DATA}milestones.csv"  # every project's milestones, one row each


def data_doc(name: str) -> str:
    """A data file's own documentation page, its fields and its CSV columns:
    ``data_doc('meetings')`` is ``/data/meetings/`` (meetings.json, meetings.csv)."""
    return f"{DATA}{name}/"


def theme(path: str) -> str:
    """A file of the theme's ``static`` folder: ``theme('css/site.css')``."""
    return THEME + path


def search_bundle(name: str) -> str:
    """A file Pagefind writes: ``search_bundle('pagefind-ui.js')``."""
    return SEARCH_BUNDLE + name


def save_as(path: str) -> str:
    """Where a path is written, relative to the output folder: a folder's ``index.html``."""
    relative = path.lstrip("/")
    return relative + "index.html" if path.endswith("/") else relative
