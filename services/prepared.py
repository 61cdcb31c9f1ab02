"""Prepared read queries for the few statements that run on every request.

SQLAlchemy's Core execution computes a cache key by walking the whole statement on every call;
for a three-table join that costs several times the query itself. A :class:`PreparedQuery`
compiles its statement once per dialect and runs the SQL straight on the session's own DBAPI
connection (same transaction), applying the same bind and result conversions SQLAlchemy would
(UUIDs, timestamps, enums), so callers get the same values as from ``session.execute``.
"""

from __future__ import annotations

import threading
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    positional: tuple[str, ...] | None  # parameter names in order, for positional paramstyles
    binds: dict[str, Callable[[Any], Any] | None]
    results: tuple[Callable[[Any], Any] | None, ...]
    row: type  # a named tuple of the selected columns' keys


class PreparedQuery:
    """A SELECT compiled once per dialect; ``run`` returns rows with named, converted values."""

    def __init__(self, statement: Select) -> None:
        self._statement = statement
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def _compile(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is not None:
            return found
        with self._lock:
            compiled = self._statement.compile(dialect=dialect)
            binds = {
                name: bind.type.dialect_impl(dialect).bind_processor(dialect)
                for name, bind in ((b.key, b) for b in compiled.binds.values())
            }
            columns = list(self._statement.selected_columns)
            results = tuple(
                col.type.dialect_impl(dialect).result_processor(dialect, None) for col in columns
            )
            found = _Compiled(
                sql=compiled.string,
                positional=tuple(compiled.positiontup) if compiled.positional else None,
                binds=binds,
                results=results,
                row=namedtuple("PreparedRow", [col.key for col in columns]),
            )
            self._compiled[dialect.name] = found
            return found

    def run(self, session: Session, params: Mapping[str, Any]) -> list[tuple]:
        connection = session.connection()
        prepared = self._compile(connection.dialect)
        values = {
            name: (convert(params[name]) if convert else params[name])
            for name, convert in prepared.binds.items()
        }
        arguments: Sequence[Any] | Mapping[str, Any] = (
            tuple(values[name] for name in prepared.positional)
            if prepared.positional is not None
            else values
        )
        cursor = connection.connection.dbapi_connection.cursor()
        try:
            cursor.execute(prepared.sql, arguments)
            raw = cursor.fetchall()
        finally:
            cursor.close()
        results = prepared.results
        return [
            prepared.row(
                *(
                    convert(value) if convert is not None and value is not None else value
                    for convert, value in zip(results, record, strict=True)
                )
            )
            for record in raw
        ]
