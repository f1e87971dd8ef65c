"""The therapist's caseload on a laptop: an encrypted offline copy (SQLCipher, its key made of the
OS keyring's secret and the login's password), read without the server until the server's expiry,
drafts of additional notes written offline and synced back, each exactly once.

Online (a unit-of-work factory and the signed-in actor): `checkout_caseload`, `upload_draft`,
`sync_caseload`. Offline (an opened `OfflineCopy`, no database): `read_caseload`, `read_chart`,
`read_note`, `list_drafts`, `save_draft`, `discard_draft`, `keep_as_new_draft`. On this computer:
`list_copies`, `open_copy`, `wipe_copy`, and `open_encrypted`, the one way a copy's file is opened
(the self-test uses it). Everything not named here is internal.
"""

from backoffice.services.offline.copies import open_copy, wipe_copy
from backoffice.services.offline.drafts import (
    discard_draft,
    keep_as_new_draft,
    list_drafts,
    save_draft,
)
from backoffice.services.offline.files import all_copies
from backoffice.services.offline.keys import OFFLINE_SERVICE, DeviceSecrets
from backoffice.services.offline.online import checkout_caseload, sync_caseload, upload_draft
from backoffice.services.offline.reading import read_caseload, read_chart, read_note
from backoffice.services.offline.snapshot import DEFAULT_MAX_DAYS, MAX_DAYS_KEY
from backoffice.services.offline.store import open_encrypted
from backoffice.services.offline.types import (
    CheckoutResult,
    CopyExpired,
    CopyInfo,
    Draft,
    DraftResult,
    OfflineChart,
    OfflineCopy,
    OfflineUnavailable,
    SyncResult,
    UploadResult,
)


def list_copies(login: str | None = None) -> tuple[CopyInfo, ...]:
    """The offline copies on this computer (of `login` only, if given), by login and server.

    No key needed: their manifests say logins, servers, dates and counts; no client, no note.
    """
    return tuple(m.info for m in all_copies() if login is None or m.info.login == login)


__all__ = [
    "DEFAULT_MAX_DAYS",
    "MAX_DAYS_KEY",
    "OFFLINE_SERVICE",
    "CheckoutResult",
    "CopyExpired",
    "CopyInfo",
    "DeviceSecrets",
    "Draft",
    "DraftResult",
    "OfflineChart",
    "OfflineCopy",
    "OfflineUnavailable",
    "SyncResult",
    "UploadResult",
    "checkout_caseload",
    "discard_draft",
    "keep_as_new_draft",
    "list_copies",
    "list_drafts",
    "open_copy",
    "open_encrypted",
    "read_caseload",
    "read_chart",
    "read_note",
    "save_draft",
    "sync_caseload",
    "upload_draft",
    "wipe_copy",
]
