"""A browse source bound to a signed-in person: the object a page (or a script) calls, one unit of
work per call."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from backoffice.db import UnitOfWork
from backoffice.services.browse import stats
from backoffice.services.browse.paging import (
    DEFAULT_LIMIT,
    count_selected,
    estimate_count,
    exact_count,
    fetch_last_page,
    fetch_page,
    seek,
    stream_rows,
    visible_columns,
)
from backoffice.services.browse.types import (
    BrowseQuery,
    Cursor,
    Page,
    Row,
    RowEstimate,
    Selection,
    SourceColumn,
    TableSource,
)
from backoffice.services.permissions import Actor


@dataclass(frozen=True)
class Browser:
    """One source bound to a signed-in person: what a page (or a script) calls, one unit of work a call.

    Every method runs on the calling thread: the UI calls them through `run_op`.
    """

    unit_of_work: Callable[[], UnitOfWork]
    actor: Actor
    source: TableSource

    @property
    def columns(self) -> tuple[SourceColumn, ...]:
        return visible_columns(self.actor, self.source)

    def first_page(
        self, query: BrowseQuery, *, limit: int = DEFAULT_LIMIT
    ) -> tuple[Page, RowEstimate]:
        """The first page and the estimate together: one round of work when a table opens."""
        with self.unit_of_work() as uow:
            page = fetch_page(uow, self.actor, source=self.source, query=query, limit=limit)
            if page.at_end:
                indexed = stats.trigram_search(uow.session, self.source, self.actor)
                return page, RowEstimate(len(page), exact=True, trigram_search=indexed)
            return page, estimate_count(uow, self.actor, source=self.source, query=query)

    def page(
        self,
        query: BrowseQuery,
        *,
        after: Cursor | None = None,
        before: Cursor | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> Page:
        with self.unit_of_work() as uow:
            return fetch_page(
                uow,
                self.actor,
                source=self.source,
                query=query,
                after=after,
                before=before,
                limit=limit,
            )

    def last_page(self, query: BrowseQuery, *, limit: int = DEFAULT_LIMIT) -> Page:
        with self.unit_of_work() as uow:
            return fetch_last_page(uow, self.actor, source=self.source, query=query, limit=limit)

    def seek(
        self,
        query: BrowseQuery,
        *,
        fraction: float | None = None,
        value: Any = None,
        limit: int = DEFAULT_LIMIT,
    ) -> Page:
        with self.unit_of_work() as uow:
            return seek(
                uow,
                self.actor,
                source=self.source,
                query=query,
                fraction=fraction,
                value=value,
                limit=limit,
            )

    def exact_count(self, query: BrowseQuery) -> int:
        with self.unit_of_work() as uow:
            return exact_count(uow, self.actor, source=self.source, query=query)

    def count_selected(self, selection: Selection) -> int:
        with self.unit_of_work() as uow:
            return count_selected(uow, self.actor, source=self.source, selection=selection)

    def stream(self, query: BrowseQuery, *, chunk_size: int = 2_000) -> Iterator[tuple[Row, ...]]:
        """Chunks of every matching row; the unit of work stays open until the iterator ends."""
        with self.unit_of_work() as uow:
            yield from stream_rows(
                uow, self.actor, source=self.source, query=query, chunk_size=chunk_size
            )
