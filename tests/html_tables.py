"""The tables of a rendered page as the reader sees them: each cell's text, whitespace collapsed.

For tests that compare a page with its download, whatever the page's markup and styling.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: What a sortable column's heading adds to its name: the arrow and the words for screen readers.
_SORTED = re.compile(r" ?[▲▼]? ?\(sorted (ascending|descending)\)$")


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self._open: list[dict] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._open.append({"caption": "", "rows": [], "in_caption": False})
        elif not self._open:
            return
        elif tag == "caption":
            self._open[-1]["in_caption"] = True
        elif tag == "tr":
            self._open[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if not self._open:
            return
        table = self._open[-1]
        if tag in ("td", "th") and self._cell is not None:
            table["rows"][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "caption":
            table["in_caption"] = False
        elif tag == "table":
            table["caption"] = " ".join(table["caption"].split())
            del table["in_caption"]
            self.tables.append(self._open.pop())

    def handle_data(self, data):
        if not self._open:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif self._open[-1]["in_caption"]:
            self._open[-1]["caption"] += data


def page_tables(html: str) -> list[dict]:
    """Every ``<table>`` of ``html``: ``{"caption": str, "rows": [[cell text, ...], ...]}``, header row first."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def page_table(html: str, caption_starts: str) -> list[dict[str, str]]:
    """The body rows of the table whose caption starts with ``caption_starts``, keyed by the header row."""
    (table,) = [t for t in page_tables(html) if t["caption"].startswith(caption_starts)]
    header, *body = table["rows"]
    header = [_SORTED.sub("", h) for h in header]
    return [dict(zip(header, row, strict=True)) for row in body]
