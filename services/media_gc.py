"""Cleaning up photos: uploads nobody attached, originals past their keeping time, and files no
row uses (left behind by a crash between writing a file and committing its row).

Rows go first and are committed batch by batch; files go after, and only once no row uses them
any more (files are shared by content). A crash at any point loses nothing that is still needed:
the next run finds what is left as orphan files.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from services.db import utcnow
from services.models.media import MediaFile
from services.policies import MediaPolicy
from services.ports import MediaStore
from services.queries.media import referenced_keys

logger = logging.getLogger(__name__)

# A file may sit in the store without its row for as long as an upload takes to commit.
ORPHAN_GRACE = dt.timedelta(hours=1)
# The store's areas that belong to photos; anything else in the bucket is not ours to remove.
MEDIA_PREFIXES = ("originals/", "display/", "thumbs/")
BATCH = 200

Progress = Callable[[str, int, int], None]  # (phase, done, total)


@dataclass
class GcResult:
    unattached_rows: int = 0  # uploads nobody attached within policy.unattached_after
    expired_originals: int = 0  # rows whose original was past original_expires_at
    orphan_files: int = 0  # files no row used, older than ORPHAN_GRACE
    files_deleted: int = 0  # every file removed, whatever the reason
    dry_run: bool = False

    @property
    def counts(self) -> dict[str, int]:
        return {
            "unattached_rows": self.unattached_rows,
            "expired_originals": self.expired_originals,
            "orphan_files": self.orphan_files,
            "files_deleted": self.files_deleted,
        }


def collect_garbage(
    session: Session,
    *,
    store: MediaStore,
    policy: MediaPolicy,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> GcResult:
    """Remove what is no longer needed; with ``dry_run`` only count it. Commits per batch."""
    now = now or utcnow()
    result = GcResult(dry_run=dry_run)
    report = progress or (lambda phase, done, total: None)
    gc = _Collector(session, store, result, dry_run)
    gc.unattached(now - policy.unattached_after, report)
    gc.expired_originals(now, report)
    gc.orphans(now - ORPHAN_GRACE, report)
    logger.info("media gc%s: %s", " (dry run)" if dry_run else "", result.counts)
    return result


@dataclass
class _Collector:
    session: Session
    store: MediaStore
    result: GcResult
    dry_run: bool

    def unattached(self, cutoff: dt.datetime, report: Progress) -> None:
        stale = (MediaFile.report_id.is_(None), MediaFile.created_at < cutoff)
        total = self._count(*stale)
        done = 0
        report("unattached", 0, total)
        for rows in self._batches(*stale):
            ids = [row.id for row in rows]
            keys = {
                k for row in rows for k in (row.original_key, row.display_key, row.thumbnail_key)
            }
            if self.dry_run:
                self.result.unattached_rows += len(ids)
                self._count_files(keys, excluding=ids)
            else:
                # Checked again as it is deleted: a report may have attached it meanwhile.
                gone = self.session.execute(delete(MediaFile).where(MediaFile.id.in_(ids), *stale))
                self.session.commit()
                self.result.unattached_rows += gone.rowcount
                self._delete_unused(keys)
            done += len(ids)
            report("unattached", min(done, total), total)

    def expired_originals(self, now: dt.datetime, report: Progress) -> None:
        expired = (MediaFile.original_key.is_not(None), MediaFile.original_expires_at < now)
        total = self._count(*expired)
        done = 0
        report("originals", 0, total)
        for rows in self._batches(*expired):
            ids = [row.id for row in rows]
            keys = {row.original_key for row in rows}
            if self.dry_run:
                self.result.expired_originals += len(ids)
                self._count_files(keys, excluding=ids)
            else:
                changed = self.session.execute(
                    update(MediaFile)
                    .where(MediaFile.id.in_(ids), *expired)
                    .values(original_key=None)
                    .execution_options(synchronize_session=False)
                )
                self.session.commit()
                self.result.expired_originals += changed.rowcount
                self._delete_unused(keys)
            done += len(ids)
            report("originals", min(done, total), total)

    def orphans(self, cutoff: dt.datetime, report: Progress) -> None:
        old = [
            stored.key
            for prefix in MEDIA_PREFIXES
            for stored in self.store.keys(prefix)
            if stored.modified_at < cutoff
        ]
        report("orphans", 0, len(old))
        for start in range(0, len(old), BATCH):
            keys = set(old[start : start + BATCH])
            unused = keys - referenced_keys(self.session, keys)
            self.session.rollback()  # end the read; nothing to keep
            self.result.orphan_files += len(unused)
            if not self.dry_run:
                self._delete_files(unused)
            report("orphans", min(start + BATCH, len(old)), len(old))

    # -- helpers ---------------------------------------------------------------------------

    def _count(self, *where) -> int:
        return self.session.scalar(select(func.count()).select_from(MediaFile).where(*where)) or 0

    def _batches(self, *where):
        """Rows in id order, BATCH at a time; the next batch starts after the last id seen, so
        rows this run changed (or left alone, in a dry run) are not read twice."""
        last: uuid.UUID | None = None
        while True:
            stmt = select(
                MediaFile.id, MediaFile.original_key, MediaFile.display_key, MediaFile.thumbnail_key
            ).where(*where)
            if last is not None:
                stmt = stmt.where(MediaFile.id > last)
            rows = list(self.session.execute(stmt.order_by(MediaFile.id).limit(BATCH)))
            if not rows:
                return
            yield rows
            last = rows[-1].id

    def _count_files(self, keys: set[str | None], *, excluding: list[uuid.UUID]) -> None:
        keys = {k for k in keys if k}
        in_use = referenced_keys(self.session, keys, excluding=excluding)
        self.result.files_deleted += len(keys - in_use)

    def _delete_unused(self, keys: set[str | None]) -> None:
        keys = {k for k in keys if k}
        unused = keys - referenced_keys(self.session, keys)
        self.session.rollback()
        self._delete_files(unused)

    def _delete_files(self, keys: set[str]) -> None:
        for key in sorted(keys):
            self.store.delete(key)
            self.result.files_deleted += 1
