"""Hostile and legitimate spreadsheets for the upload tests and ``bench/upload_memory.py``, and
a guard that measures a block's peak memory while capping what a failing run can take.

The hostile files are small: a few KB that an unguarded reader turns into gigabytes.
"""

from __future__ import annotations

import io
import re
import resource
import signal
import tracemalloc
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
EVERYTHING = "A1:XFD1048576"  # the largest sheet Excel allows: 1,048,576 rows by 16,384 columns
MB = 1024 * 1024


def workbook_bytes(rows: Sequence[Sequence]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite_sheet(content: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through ``change(xml) -> xml``."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member.filename)
            target.writestr(member.filename, change(data) if member.filename == SHEET else data)
    return out.getvalue()


def declaring(content: bytes, dimension: str = EVERYTHING) -> bytes:
    """The workbook with its sheet declaring ``dimension`` as its size, whatever it holds."""
    return rewrite_sheet(
        content, lambda xml: re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), xml)
    )


def with_raw_rows(content: bytes, rows_xml: str) -> bytes:
    """The workbook with ``rows_xml`` (``<row>`` elements) added at the end of its sheet's data."""
    return rewrite_sheet(content, lambda xml: xml.replace(b"</sheetData>", rows_xml.encode() + b"</sheetData>"))


def declared_everything(rows: Sequence[Sequence]) -> bytes:
    """``rows``, in a sheet that declares 1,048,576 rows by 16,384 columns."""
    return declaring(workbook_bytes(rows))


def declared_with_a_far_row(rows: Sequence[Sequence]) -> bytes:
    """The hostile file of issue 13: ``rows``, a size of A1:XFD1048576, and one value on the last row."""
    far = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return with_raw_rows(declared_everything(rows), far)


def far_cell(rows: Sequence[Sequence]) -> bytes:
    """``rows`` and one value in the last cell of the sheet, XFD1048576, as a spreadsheet program saves it."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    sheet["XFD1048576"] = "x"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb(rows: Sequence[Sequence], *, unpacked: int = 150 * MB) -> bytes:
    """``rows`` and a cell of ``unpacked`` bytes of one letter: a few hundred KB that unpack to ``unpacked``."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes(rows)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename != SHEET:
                target.writestr(member.filename, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with target.open(SHEET, "w", force_zip64=True) as sheet:
                sheet.write(head + b'<row><c t="inlineStr"><is><t>')
                chunk = b"A" * MB
                for _ in range(unpacked // MB):
                    sheet.write(chunk)
                sheet.write(b"</t></is></c></row></sheetData>" + tail)
    return out.getvalue()


class Overran(BaseException):
    """The guarded block ran past its seconds (a BaseException: the readers' ``except Exception`` lets it by)."""


@dataclass
class Measure:
    peak: int = 0

    @property
    def peak_mb(self) -> float:
        return self.peak / MB


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


@contextmanager
def measured(*, seconds: float = 30, headroom: int = 1024 * MB) -> Iterator[Measure]:
    """The block's peak traced memory, the process growing by ``headroom`` at most, the block lasting ``seconds``.

    The caps keep a run of a reader that does not bound itself (the code before the fix) from
    taking the shared machine's memory or minutes: it fails with MemoryError or ``Overran``.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + headroom
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))

    def overran(signum, frame):
        raise Overran(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, overran)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    measure = Measure()
    tracemalloc.start()
    try:
        yield measure
    finally:
        measure.peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
