"""The questions the window asks, and how its dialogs' buttons behave: defined once.

- A confirmation names the action on its button ("Approve", not "Yes") and says in its sentence
  what will happen, to whom and for how much. A destructive or money action starts on Cancel, so
  that Enter alone never moves money; Escape always cancels.
- A dialog's button row: the action is the default button (Enter), Cancel never is, so Enter never
  throws typed text away; Escape cancels.
- A question for a text (a reason, a reference): its button stays off until something is typed.

Pages take `confirm` and `ask_text` as defaults, and tests pass their own: a `Confirm` is called
as `confirm(parent, question, title=..., action=..., risky=...)`, an `AskText` as
`ask_text(parent, title, label, action=...)`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backoffice.ui.qt_helpers import named

# A question asked in exec() ends, as cancelled, when the window locks; it is not shown again.
ENDS_WHEN_LOCKED = "ends_when_locked"
Confirm = Callable[..., bool]  # (parent, the question, *, title, action, risky) -> go ahead?
AskText = Callable[..., str | None]  # (parent, title, label, *, action) -> the text; None: cancel


def confirm(
    parent: QWidget, question: str, *, title: str, action: str, risky: bool = False
) -> bool:
    """Ask before doing `action`; True to go ahead. `risky` (money, deleting, undoable): Cancel is
    the default button, so the action needs a deliberate click or Tab."""
    box = QMessageBox(parent)
    box.setObjectName("confirmation")
    box.setProperty(ENDS_WHEN_LOCKED, True)
    box.setIcon(QMessageBox.Icon.Warning if risky else QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(question)
    go = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel if risky else go)
    box.setEscapeButton(cancel)
    box.exec()
    answer = box.clickedButton() is go
    box.deleteLater()
    return answer


def action_buttons(
    dialog: QDialog, action: str, on_action: Callable[[], None], *, cancel: str = "Cancel"
) -> tuple[QDialogButtonBox, QPushButton]:
    """The button row of a dialog that acts: `action` is the default (Enter) and calls
    `on_action` (which checks, confirms and acts); `cancel` is Escape and never the default."""
    box = QDialogButtonBox()
    go = box.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
    stop = box.addButton(QDialogButtonBox.StandardButton.Cancel)
    stop.setText(cancel)
    stop.setAutoDefault(False)
    go.setAutoDefault(True)
    go.setDefault(True)
    go.clicked.connect(on_action)
    box.rejected.connect(dialog.reject)
    return box, go


class TextQuestion(QDialog):
    """One line of text for an action (a reason, a reference): OK only once something is typed."""

    def __init__(
        self, parent: QWidget | None, title: str, label: str, *, action: str = "OK"
    ) -> None:
        super().__init__(parent)
        self.setObjectName("text_question")
        self.setProperty(ENDS_WHEN_LOCKED, True)
        self.setWindowTitle(title)
        self.text = named(QLineEdit(), "answer")
        buttons, self.ok = action_buttons(self, action, self._on_ok)
        self.ok.setEnabled(False)
        self.text.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(named(QLabel(label), "question", wordWrap=True))
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def _on_ok(self) -> None:
        if self.text.text().strip():
            self.accept()


def ask_text(parent: QWidget, title: str, label: str, *, action: str = "OK") -> str | None:
    """The text typed (stripped), or None when the person cancelled."""
    question = TextQuestion(parent, title, label, action=action)
    answer = question.text.text().strip() if question.exec() else None
    question.deleteLater()
    return answer
