"""The values of browsing: what a table source is, what a query asks, what a page holds (no SQL here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from backoffice.errors import ValidationError
from backoffice.services.changes import Area
from backoffice.services.permissions import Actor, Permission, Role

# id: never grouped; timing: the clinic's text for a session's time; event: an audit event (action,
# subject and details), shown as a sentence.
ColumnKind = Literal["text", "id", "int", "money", "date", "datetime", "bool", "timing", "event"]
SearchMatch = Literal["substring", "exact"]
FilterOp = Literal["eq", "range", "in", "is_null"]
Row = tuple[Any, ...]


@dataclass(frozen=True)
class SourceColumn:
    """One column a person can see: its database name, label, kind and what they can do with it.

    `roles` narrows who may select it (None: every role that may see the source), so that the
    query never names a column the role holds no SELECT privilege on. `expression` builds the
    selected SQL from the table when it is not the column itself (e.g. jsonb shown as text).
    """

    name: str
    label: str
    kind: ColumnKind = "text"
    sortable: bool = True
    filterable: bool = True
    search: SearchMatch | None = None
    roles: frozenset[Role] | None = None
    expression: Callable[[Any], Any] | None = field(default=None, compare=False)

    def visible_to(self, role: Role) -> bool:
        return self.roles is None or role in self.roles


@dataclass(frozen=True)
class TableSource:
    """A browsable table: the columns per role, the unique key that makes keyset paging exact."""

    name: str
    title: str
    table: Any = field(compare=False)  # a SQLAlchemy Table; services build the SQL from it
    columns: tuple[SourceColumn, ...]
    key: str  # unique, never NULL in the rows browsed (the source filters NULLs out)
    permission: Permission
    default_sort: str
    default_descending: bool = False
    shows: frozenset[Area] | None = None  # what a page of it reloads on (None: every change)

    def columns_for(self, actor: Actor) -> tuple[SourceColumn, ...]:
        return tuple(c for c in self.columns if c.visible_to(actor.role))

    def column(self, name: str) -> SourceColumn:
        for column in self.columns:
            if column.name == name:
                return column
        raise ValidationError(f"The {self.title.lower()} list has no column called {name!r}.")


@dataclass(frozen=True)
class Filter:
    """equals (`eq`), between `low` and `high` inclusive (`range`), one of `values` (`in`), or empty."""

    column: str
    op: FilterOp = "eq"
    value: Any = None
    low: Any = None
    high: Any = None
    values: tuple[Any, ...] = ()


@dataclass(frozen=True)
class BrowseQuery:
    """What the person asked to see: sort, filters and a search text. None sort: the source's own."""

    sort: str | None = None
    descending: bool = False
    filters: tuple[Filter, ...] = ()
    search: str = ""

    def sorted_by(self, column: str, *, descending: bool = False) -> BrowseQuery:
        return replace(self, sort=column, descending=descending)

    def searching(self, text: str) -> BrowseQuery:
        return replace(self, search=text)

    def filtered(self, *filters: Filter) -> BrowseQuery:
        return replace(self, filters=tuple(filters))


@dataclass(frozen=True)
class Cursor:
    """A row's place in the current order: its sort value and its key (same value when sorting by key)."""

    sort_value: Any
    key: Any


@dataclass(frozen=True)
class Page:
    """Rows in display order, with the cursors of the first and last, and what lies beyond them.

    `at_start`/`at_end` are True only when it is known that no row comes before/after the page.
    `key_before`/`key_after` are the keys of the rows just outside the page when fetched
    (a look-ahead row), so a caller can tell whether two pages it holds are really neighbours.
    """

    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    first: Cursor | None
    last: Cursor | None
    at_start: bool
    at_end: bool
    key_before: Any = None
    key_after: Any = None

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class RowEstimate:
    """How many rows match: the planner's estimate, and whether search can use a trigram index."""

    rows: int
    exact: bool
    trigram_search: bool


@dataclass(frozen=True)
class Selection:
    """Rows picked by a person: all rows matching `query` except `excluded`, or exactly `keys`.

    It holds the filter, not a list of rows: "all 20,143 matching bookings" stays one value.
    """

    query: BrowseQuery
    all_matching: bool = False
    keys: frozenset[Any] = frozenset()
    excluded: frozenset[Any] = frozenset()

    @classmethod
    def everything(cls, query: BrowseQuery) -> Selection:
        return cls(query=query, all_matching=True)

    def contains(self, key: Any) -> bool:
        return key not in self.excluded if self.all_matching else key in self.keys

    def toggled(self, key: Any) -> Selection:
        if self.all_matching:
            return replace(self, excluded=self.excluded ^ {key})
        return replace(self, keys=self.keys ^ {key})

    @property
    def is_empty(self) -> bool:
        return not self.all_matching and not self.keys
