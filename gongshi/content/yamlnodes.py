"""YAML composed into nodes without recursion, aliases or deep nesting.

PyYAML's composer (and libyaml's, behind ``CSafeLoader``) is recursive: YAML nested a thousand
levels deep raises ``RecursionError``, a hundred thousand levels crash the interpreter.  Anchors
and aliases (``&x`` … ``*x``) let a few lines stand for billions of nodes, and every later walk
over the nodes follows each alias again.  Editors never need either, so this composer builds the
nodes from the parser's event stream (the parser keeps its own stack: it is iterative) and stops at
the first anchor, alias or level too deep — in time bounded by the text read so far.
"""

from __future__ import annotations

from typing import Any

import yaml

# libyaml's parser when PyYAML was built with it (the wheels are): several times faster.
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The deepest front matter has a list of mappings in a mapping (participants): 3 levels.
MAX_DEPTH = 12


class Refused(Exception):
    """YAML that is valid but not accepted: an anchor, an alias, or nesting deeper than allowed."""

    def __init__(self, mark: Any, category: str) -> None:
        super().__init__(category)
        self.mark = mark
        self.category = category


def _resolved(loader: Any, kind: type[yaml.Node], event: Any) -> str:
    tag: str | None = event.tag
    if tag is None or tag == "!":
        value = event.value if kind is yaml.ScalarNode else None
        resolved: str = loader.resolve(kind, value, event.implicit)
        return resolved
    return tag


def _check(event: Any) -> None:
    if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
        raise Refused(event.start_mark, "yaml.alias")


class _Builder:
    """The nodes under construction: open collections, and a mapping's key awaiting its value."""

    def __init__(self) -> None:
        self.root: yaml.Node | None = None
        self.open: list[yaml.CollectionNode] = []
        self.keys: list[yaml.Node | None] = []

    def attach(self, node: yaml.Node) -> None:
        if not self.open:
            self.root = node
            return
        parent = self.open[-1]
        if isinstance(parent, yaml.SequenceNode):
            parent.value.append(node)
        elif self.keys[-1] is None:
            self.keys[-1] = node
        else:
            parent.value.append((self.keys[-1], node))
            self.keys[-1] = None

    def start(self, node: yaml.CollectionNode) -> None:
        self.attach(node)
        self.open.append(node)
        self.keys.append(None)
        if len(self.open) > MAX_DEPTH:
            raise Refused(node.start_mark, "yaml.depth")

    def end(self, mark: Any) -> None:
        self.open.pop().end_mark = mark
        self.keys.pop()


def _document(loader: Any) -> yaml.Node | None:
    """The nodes of one document, its DocumentStartEvent already read."""
    built = _Builder()
    while not isinstance(event := loader.get_event(), yaml.DocumentEndEvent):
        _check(event)
        start: Any = event.start_mark  # a libyaml mark or a PyYAML one: the same attributes
        end: Any = event.end_mark
        if isinstance(event, yaml.ScalarEvent):
            tag = _resolved(loader, yaml.ScalarNode, event)
            built.attach(yaml.ScalarNode(tag, event.value, start, end, style=event.style))
        elif isinstance(event, yaml.SequenceStartEvent):
            tag = _resolved(loader, yaml.SequenceNode, event)
            built.start(yaml.SequenceNode(tag, [], start, None, flow_style=event.flow_style))
        elif isinstance(event, yaml.MappingStartEvent):
            tag = _resolved(loader, yaml.MappingNode, event)
            built.start(yaml.MappingNode(tag, [], start, None, flow_style=event.flow_style))
        else:  # the end of a sequence or a mapping
            built.end(end)
    return built.root


def compose(text: str) -> yaml.Node | None:
    """The single document of ``text`` as nodes (None if there is none), like ``yaml.compose``.

    Raises :class:`Refused`, or PyYAML's ``MarkedYAMLError`` for a syntax error.
    """
    loader = SAFE_LOADER(text)
    try:
        loader.get_event()  # StreamStartEvent
        if loader.check_event(yaml.StreamEndEvent):
            return None
        first = loader.get_event()  # DocumentStartEvent
        node = _document(loader)
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.get_event()
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                first.start_mark,
                "只能有一组字段，这里的 --- 又开始了一组",
                event.start_mark,
            )
        return node
    finally:
        loader.dispose()
