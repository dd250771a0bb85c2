"""A tiny DOM from html.parser, enough to find tables, cells and SVG charts in a report."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"meta", "br", "wbr", "rect", "line", "link", "img", "input", "hr", "path", "circle"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: "Node | None") -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list = []  # Node or str

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def wide_text(self) -> str:
        """The text a reader on a wide screen sees: without the phone-only copies (`show-narrow`)."""
        return "".join(c if isinstance(c, str) else "" if "show-narrow" in c.classes else c.wide_text()
                       for c in self.children)

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list["Node"]:
        out = []
        for c in self.children:
            if isinstance(c, Node):
                if (tag is None or c.tag == tag) and (cls is None or cls in c.classes):
                    out.append(c)
                out.extend(c.find_all(tag, cls))
        return out

    def find(self, tag: str | None = None, cls: str | None = None) -> "Node | None":
        found = self.find_all(tag, cls)
        return found[0] if found else None


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> tuple[Node, list[tuple[str, dict]]]:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root, builder.tags


def table_rows(table: Node, section: str = "tbody") -> list[list[str]]:
    body = table.find(section)
    if body is None:
        return []
    return [[" ".join(cell.wide_text().split()) for cell in tr.children
             if isinstance(cell, Node) and cell.tag in ("td", "th")]
            for tr in body.find_all("tr")]
