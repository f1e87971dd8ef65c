"""The parts of a page (its tabs, or the page as a whole), each loaded the first time it is shown and
loaded again when a workflow changed what it shows: at once when it is in view, otherwise the next
time it is shown. `LazyPage` hands them the page's showing, F5 and the window's published changes.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from backoffice.services.changes import Area, Changes


@dataclass(frozen=True)
class Part:
    """What a part shows (None: whatever any workflow changes) and how it loads."""

    shows: Collection[Area] | None
    load: Callable[[], None]
    first_load: Callable[[], None] | None = None  # when opening differs from loading again


def in_view_of(index: Callable[[], int]) -> Callable[[], Sequence[int]]:
    """For a page of tabs: the part in view is the current tab's."""
    return lambda: (index(),)


class LazyParts:
    def __init__(
        self,
        page: QWidget,
        parts: Sequence[Part],
        in_view: Callable[[], Sequence[int]] = lambda: (0,),
    ) -> None:
        self._page, self._parts, self._in_view = page, tuple(parts), in_view
        self._opened: set[int] = set()
        self._fresh: set[int] = set()

    def show(self) -> None:
        """The parts in view, loaded unless they are up to date (the page or a tab was shown)."""
        for index in self._in_view():
            if index not in self._fresh:
                self._load(index)

    def reload(self) -> None:
        """The parts in view, loaded again whatever their state (F5, a filter changed)."""
        for index in self._in_view():
            self._load(index)

    def on_changes(self, changes: Changes) -> None:
        """Parts that show what changed are out of date; those in view load at once."""
        self._fresh -= {i for i, part in enumerate(self._parts) if _touched(part, changes)}
        if self._page.isVisible():
            self.show()

    def _load(self, index: int) -> None:
        part = self._parts[index]
        first = index not in self._opened
        self._opened.add(index)
        self._fresh.add(index)
        (part.first_load if first and part.first_load else part.load)()


class LazyPage(QWidget):
    """A page made of lazy parts (`self.parts`, set by the subclass). A disabled page (a role that
    may not see it) loads nothing."""

    parts: LazyParts

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.isEnabled():
            self.parts.show()

    def refresh(self) -> None:
        """The parts in view, again (F5)."""
        self.parts.reload()

    def on_changes(self, changes: Changes) -> None:
        """Connected by the main window to its `changes_published`."""
        if self.isEnabled():
            self.parts.on_changes(changes)


def _touched(part: Part, changes: Changes) -> bool:
    return bool(changes) if part.shows is None else changes.touches(*part.shows)
