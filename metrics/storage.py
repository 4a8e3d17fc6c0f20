"""Writing the engine's values: ``Block`` columns in, ``MetricValue`` and ``MetricDeciles`` rows out.

On PostgreSQL the rows go in by binary COPY: each block's columns become Arrow arrays, which
pgpq encodes in PostgreSQL's binary format, so no number is formatted as text on this side
nor parsed on the server's. A full recompute COPYs into a new table with no index and swaps it
in (``ShadowTable``); a recompute of a few periods COPYs into a temporary table, then deletes
the old values and inserts the new (``LiveTable``). On SQLite (tests and the demo) the same
Arrow batches become model instances.

Either way nothing reaches the live values or their deciles until ``finish``, which puts in
every area's values and deciles in one transaction: a run that fails before then, in a COPY or
anywhere else, leaves both as they were.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Q
from pgpq import ArrowToPostgresBinaryEncoder
from pgpq import schema as pgpq_schema
from pgpq.encoders import StringEncoderBuilder

from . import definitions as d
from .models import MetricDeciles, MetricValue

if TYPE_CHECKING:
    from .engine import Block

logger = logging.getLogger(__name__)

#: Rows per INSERT when the database cannot COPY (SQLite, in tests and the demo).
INSERT_BATCH_SIZE = 2000
#: Rows per Arrow batch handed to the encoder: the client holds a few tens of MB of the binary
#: stream at a time, and PostgreSQL parses one batch while the next is encoded.
COPY_BATCH_ROWS = 200_000
#: Decimal places kept: far below any figure shown, and the same on SQLite and PostgreSQL.
VALUE_DECIMALS = 9
PERCENTILE_DECIMALS = 4

#: Every column written, with its Arrow type: binary COPY has no casts, so each type is the
#: exact PostgreSQL column type (an int4 column takes four bytes, a smallint two).
SCHEMA = pa.schema(
    [
        ("metric", pa.string()), ("level", pa.string()), ("org_id", pa.int64()), ("frequency", pa.string()),
        ("period", pa.date32()), ("practice_id", pa.int64()), ("cluster_id", pa.int64()), ("ccg_id", pa.int64()),
        ("stp_id", pa.int64()), ("value", pa.float64()), ("numerator", pa.float64()),
        ("denominator", pa.float64()), ("practices_counted", pa.int32()), ("source_revision", pa.int64()),
        ("source_revisions", pa.string()), ("computed_at", pa.timestamp("us", tz="UTC")),
        ("percentile_in_ccg", pa.float64()), ("percentile_national", pa.float64()), ("decile", pa.int16()),
        ("outlier", pa.string()), ("benchmark_exclusion", pa.string()),
    ]
)  # fmt: skip
COLUMNS = SCHEMA.names


# --- from blocks to Arrow batches ------------------------------------------------------------


def _integers(values, kind: pa.DataType) -> pa.Array:
    """Whole numbers from an int or float array (NaN for none)."""
    values = np.asarray(values)
    if values.dtype.kind == "f":
        missing = np.isnan(values)
        return pa.array(np.where(missing, 0, values).astype(kind.to_pandas_dtype()), type=kind, mask=missing)
    return pa.array(values.astype(kind.to_pandas_dtype()), type=kind)


def _floats(values, decimals: int) -> pa.Array:
    values = np.round(np.asarray(values, dtype="float64"), decimals)
    return pa.array(values, type=pa.float64(), from_pandas=True)  # NaN is NULL


def _texts(values) -> pa.Array:
    return pa.array(values, type=pa.string(), from_pandas=True)


def batches(blocks: list[Block], computed_at: dt.datetime) -> Iterator[pa.RecordBatch]:
    """One Arrow batch per level and metric (only organisations with returns that count)."""
    stamp = pa.scalar(computed_at, type=pa.timestamp("us", tz="UTC"))
    for block in blocks:
        days = block.frame["period"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
        for code, columns in block.metrics.items():
            keep = np.asarray(columns["count"]) > 0
            if keep.any():
                yield _batch(block, code, columns, keep, days, stamp)


def _batch(block: Block, code: str, columns: dict, keep: np.ndarray, days: np.ndarray, stamp) -> pa.RecordBatch:
    frame, size = block.frame, int(keep.sum())

    def key(name: str) -> pa.Array:
        if name not in frame:
            return pa.nulls(size, type=pa.int64())
        return _integers(frame[name].to_numpy()[keep], pa.int64())

    revisions = columns.get("revisions")
    arrays = {
        "metric": pa.repeat(pa.scalar(code), size),
        "level": pa.repeat(pa.scalar(str(block.level)), size),
        "org_id": key("org_id"),
        "frequency": _texts(frame["frequency"].to_numpy(dtype=object)[keep]),
        "period": pa.array(days[keep], type=pa.date32()),
        "practice_id": key("practice_id"),
        "cluster_id": key("cluster_id"),
        "ccg_id": key("ccg_id"),
        "stp_id": key("stp_id"),
        "value": _floats(columns["value"][keep], VALUE_DECIMALS),
        "numerator": _floats(columns["numerator"][keep], VALUE_DECIMALS),
        "denominator": _floats(columns["denominator"][keep], VALUE_DECIMALS),
        "practices_counted": _integers(np.asarray(columns["count"])[keep], pa.int32()),
        "source_revision": key("source_revision"),
        "source_revisions": _texts(revisions[keep]) if revisions is not None else pa.nulls(size, type=pa.string()),
        "computed_at": pa.repeat(stamp, size),
        "percentile_in_ccg": _floats(columns["percentile_in_ccg"][keep], PERCENTILE_DECIMALS),
        "percentile_national": _floats(columns["percentile_national"][keep], PERCENTILE_DECIMALS),
        "decile": _integers(columns["decile"][keep], pa.int16()),
        "outlier": _texts(columns["outlier"][keep]),
        "benchmark_exclusion": _texts(columns["exclusion"][keep]),
    }
    return pa.RecordBatch.from_arrays([arrays[name] for name in COLUMNS], schema=SCHEMA)


# --- PostgreSQL: binary COPY -------------------------------------------------------------------


class _Chunks(io.RawIOBase):
    """A read-only file over an iterator of byte strings, for ``copy_expert``: psycopg2 reads
    it until it returns nothing, sending each piece as it comes. (The encoder may return an
    empty piece while it buffers: that must not read as the end.)"""

    def __init__(self, chunks: Iterator[bytes]):
        self.chunks = (chunk for chunk in chunks if chunk)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return next(self.chunks, b"")


def _binary(record_batches: Iterator[pa.RecordBatch]) -> Iterator[bytes]:
    encoders = {field.name: ArrowToPostgresBinaryEncoder.infer_encoder(field) for field in SCHEMA}
    encoders["source_revisions"] = StringEncoderBuilder.new_with_output(
        SCHEMA.field("source_revisions"), pgpq_schema.Jsonb()
    )
    encoder = ArrowToPostgresBinaryEncoder.new_with_encoders(SCHEMA, encoders)
    yield encoder.write_header()
    for batch in record_batches:
        for offset in range(0, batch.num_rows, COPY_BATCH_ROWS):
            yield encoder.write_batch(batch.slice(offset, COPY_BATCH_ROWS))
    yield encoder.finish()


def _counted(record_batches: Iterator[pa.RecordBatch], counter: list[int]) -> Iterator[pa.RecordBatch]:
    for batch in record_batches:
        counter[0] += batch.num_rows
        yield batch


def copy(record_batches: Iterator[pa.RecordBatch], table: str) -> int:
    """COPY the batches into ``table``; return the rows written."""
    written = [0]
    with connection.cursor() as cursor, connection.wrap_database_errors:
        # psycopg2's own cursor: wrapped, so its faults arrive as Django's (OperationalError and
        # the rest) and mark the connection for a check, as any other query's would.
        cursor.copy_expert(
            f"COPY {table} ({_NAMES}) FROM STDIN WITH (FORMAT binary)",
            _Chunks(_binary(_counted(record_batches, written))),
        )
    return written[0]


_NAMES = ", ".join(f'"{name}"' for name in COLUMNS)


def stage_rows(record_batches: Iterator[pa.RecordBatch], table: str) -> int:
    """SQLite: the rows into this connection's temporary ``table``, in a transaction that takes
    no lock on the database (see ``portal.sqlite3``); return the rows written."""
    from portal.sqlite3.base import deferred_transactions

    fields = [MetricValue._meta.get_field(name) for name in COLUMNS]
    sql = f"INSERT INTO temp.{table} ({_NAMES}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    written = 0
    with connection.cursor() as cursor, deferred_transactions(), transaction.atomic():
        for batch in record_batches:
            rows = []
            for record in batch.to_pylist():
                if record["source_revisions"] is not None:
                    record["source_revisions"] = json.loads(record["source_revisions"])
                rows.append([field.get_db_prep_save(record[field.attname], connection) for field in fields])
            cursor.executemany(sql, rows)
            written += len(rows)
    return written


def insert(record_batches: Iterator[pa.RecordBatch]) -> int:
    """The same rows by the ORM (SQLite)."""
    written = 0
    for batch in record_batches:
        objects = []
        for record in batch.to_pylist():
            if record["source_revisions"] is not None:
                record["source_revisions"] = json.loads(record["source_revisions"])
            objects.append(MetricValue(**record))
        MetricValue.objects.bulk_create(objects, batch_size=INSERT_BATCH_SIZE)
        written += len(objects)
    return written


# --- where the rows go ---------------------------------------------------------------------------


def _scope_filter(metrics: list[d.Metric], scope: dict[str, list[dt.date]] | None) -> Q:
    condition = Q(metric__in=[m.code for m in metrics])
    if scope is not None:
        periods = Q()
        for frequency, dates in scope.items():
            periods |= Q(frequency=frequency, period__in=dates)
        condition &= periods if scope else Q(pk__in=[])
    return condition


class _Deciles:
    """The deciles of each area written, kept until the values are put in with them."""

    def __init__(self):
        self.deciles: list[tuple[list[pd.DataFrame], list[d.Metric], object, dt.datetime]] = []

    def write_deciles(self, parts: list[pd.DataFrame], metrics: list[d.Metric], scope, computed_at) -> None:
        self.deciles.append((parts, metrics, scope, computed_at))

    def _put_deciles(self) -> None:
        for parts, metrics, scope, computed_at in self.deciles:
            write_deciles(parts, metrics, scope, computed_at)


def _quietly(statement: str) -> None:
    """Tidy up after a failed run; a connection that is gone took its tables with it."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    except DatabaseError as exc:
        logger.warning("Could not tidy up after a failed recompute (%s): %s", statement, exc)


class LiveTable(_Deciles):
    """Replace the values of some periods (or, on SQLite, of all) in the live table.

    The new values wait aside (in a temporary table of the connection) until
    ``finish`` deletes the old ones and puts them in, with the deciles, in one short transaction.
    """

    def __init__(self):
        super().__init__()
        self.live = MetricValue._meta.db_table
        self.replaced: list[Q] = []
        self.waiting: list[pa.RecordBatch] = []
        self.stage = None
        if connection.vendor == "postgresql":
            self.stage = f"{self.live}_stage"
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{self.stage}")
                cursor.execute(f"CREATE TEMPORARY TABLE {self.stage} (LIKE {self.live} INCLUDING DEFAULTS)")
        elif connection.vendor == "sqlite":
            # SQLite's one write lock is held only by finish's INSERT ... SELECT, not while
            # Python builds the rows: a temporary table is the connection's own and takes no lock.
            self.stage = f"{self.live}_stage"
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS temp.{self.stage}")
                cursor.execute(f"CREATE TEMP TABLE {self.stage} AS SELECT {_NAMES} FROM {self.live} WHERE 0")  # noqa: S608

    def write(self, record_batches: Iterator[pa.RecordBatch], metrics: list[d.Metric], scope) -> int:
        self.replaced.append(_scope_filter(metrics, scope))
        if self.stage and connection.vendor == "sqlite":
            return stage_rows(record_batches, self.stage)
        if self.stage:
            return copy(record_batches, self.stage)
        batches = list(record_batches)
        self.waiting.extend(batches)
        return sum(batch.num_rows for batch in batches)

    def finish(self) -> None:
        with transaction.atomic():
            for condition in self.replaced:
                MetricValue.objects.filter(condition).delete()
            if self.stage:
                with connection.cursor() as cursor:
                    insert_all = f"INSERT INTO {self.live} ({_NAMES}) SELECT {_NAMES} FROM {self.stage}"  # noqa: S608 - the model's names
                    cursor.execute(insert_all)
            else:
                insert(iter(self.waiting))
            self._put_deciles()
        self.abandon()

    def abandon(self) -> None:
        self.waiting = []
        if self.stage:
            schema = "temp" if connection.vendor == "sqlite" else "pg_temp"
            _quietly(f"DROP TABLE IF EXISTS {schema}.{self.stage}")


class ShadowTable(_Deciles):
    """A full recompute on PostgreSQL: COPY every value into a new table that has no index yet,
    build the indexes once, then swap it for the live table in one short transaction.

    Inserting millions of rows into indexed tables costs several times building the index
    afterwards; and readers see the old values, unlocked, until the moment of the swap.
    """

    def __init__(self):
        super().__init__()
        self.live = MetricValue._meta.db_table
        self.table = f"{self.live}_next"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
            cursor.execute(f"CREATE TABLE {self.table} (LIKE {self.live} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")

    def write(self, record_batches: Iterator[pa.RecordBatch], metrics: list[d.Metric], scope) -> int:
        assert scope is None, "A shadow table holds every period."
        return copy(record_batches, self.table)

    def _index_sql(self) -> list[tuple[str, str]]:
        """(name, SQL) of the primary key, any unique keys and the indexes of MetricValue."""
        meta = MetricValue._meta

        def columns(fields):
            return ", ".join(f'"{meta.get_field(name).column}"' for name in fields)

        key = getattr(meta.pk, "field_names", (meta.pk.name,))
        statements = [
            (f"{self.live}_pkey", f"ALTER TABLE {self.table} ADD CONSTRAINT {{name}} PRIMARY KEY ({columns(key)})")
        ]
        for constraint in meta.constraints:
            if isinstance(constraint, models.UniqueConstraint):
                statements.append(
                    (
                        constraint.name,
                        f"ALTER TABLE {self.table} ADD CONSTRAINT {{name}} UNIQUE ({columns(constraint.fields)})",
                    )
                )
        for index in meta.indexes:
            statements.append((index.name, f"CREATE INDEX {{name}} ON {self.table} ({columns(index.fields)})"))
        return statements

    def finish(self) -> None:
        renames = []
        with connection.cursor() as cursor:
            for final, sql in self._index_sql():
                temporary = f"{final}_next"
                cursor.execute(sql.format(name=temporary))
                renames.append((temporary, final))
            with transaction.atomic():
                self._put_deciles()
                cursor.execute(f"LOCK TABLE {self.live} IN ACCESS EXCLUSIVE MODE")
                cursor.execute(f"DROP TABLE {self.live}")
                cursor.execute(f"ALTER TABLE {self.table} RENAME TO {self.live}")
                for temporary, final in renames:
                    cursor.execute(f"ALTER INDEX {temporary} RENAME TO {final}")
            cursor.execute(f"ANALYZE {self.live}")

    def abandon(self) -> None:
        _quietly(f"DROP TABLE IF EXISTS {self.table}")


def write_deciles(parts: list[pd.DataFrame], metrics: list[d.Metric], scope, computed_at: dt.datetime) -> None:
    """Replace the deciles of these metrics (in the scope's periods, or all): only from a
    target's ``finish``, with the values they go with."""
    deciles = [part for part in parts if not part.empty]
    with transaction.atomic():
        MetricDeciles.objects.filter(_scope_filter(metrics, scope)).delete()
        MetricDeciles.objects.bulk_create(
            [
                MetricDeciles(
                    metric=row.metric, frequency=row.frequency, period=row.period.date(), deciles=row.deciles,
                    lower_fence=_float(row.lower_fence), upper_fence=_float(row.upper_fence),
                    practices_counted=int(row.practices_counted), computed_at=computed_at,
                )
                for part in deciles
                for row in part.itertuples()
            ],
            batch_size=INSERT_BATCH_SIZE,
        )  # fmt: skip


def _float(value) -> float | None:
    return None if pd.isna(value) else float(value)
