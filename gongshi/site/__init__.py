"""Phase two: the published site, made once per build — the index of every item and its links,
the frozen ``Build`` handed to every writer, the page plan, the URL table and the catalogue of
feeds and calendars."""
