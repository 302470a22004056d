"""How much one upload may put on disk, checked before anything is written.

* per file: ``max_file_bytes`` (the same setting reading uses: ``CONTRACT_REVIEW_MAX_FILE_BYTES``);
* per archive: ``max_archive_members`` files and ``max_archive_bytes`` inflated in all — what the
  zip headers declare, and again while unpacking, counting the bytes that really come out;
* per upload (one ``ingest`` run or one upload in the app): ``max_upload_files`` files and
  ``max_upload_bytes`` stored;
* per unit: ``unit_quota_bytes`` of files handed in, over all its batches.

Every limit is a field of :class:`UploadLimits`, overridable by ``CONTRACT_REVIEW_<FIELD>``.
A file over a limit is refused with :class:`LimitExceeded` — code ``file_too_large`` (the file
itself is too big) or ``upload_too_large`` (the archive, the upload or the unit's quota would
be) — and nothing of it is kept; the other files go on.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.errors import format_bytes
from ingest.settings import MAX_FILE_BYTES, EnvSettings

from .store import StoreError

GiB = 1024**3


@dataclass(frozen=True)
class UploadLimits(EnvSettings):
    max_file_bytes: int = MAX_FILE_BYTES
    max_archive_members: int = 5000
    max_archive_bytes: int = 1 * GiB  # inflated, all members of one zip together
    max_upload_files: int = 5000
    max_upload_bytes: int = 2 * GiB
    unit_quota_bytes: int = 20 * GiB


class LimitExceeded(StoreError):
    """A file refused by a size limit: ``code`` is ``file_too_large`` or ``upload_too_large``;
    ``str()`` reads ``中文说明 (code: English)``, the Chinese naming the file and the limit."""

    def __init__(self, code: str, zh: str, en: str):
        self.code, self.zh, self.en = code, zh, en
        super().__init__(f"{zh} ({code}: {en})")


def file_too_large(name: str, size: int, limit: int) -> LimitExceeded:
    return LimitExceeded(
        "file_too_large",
        f"文件「{name}」大小 {format_bytes(size)}，超过单个文件上限 {format_bytes(limit)}，未接收",
        f"{name} is {format_bytes(size)}, over the per-file limit of {format_bytes(limit)}; not stored",
    )


def archive_too_large(name: str, size: int, limit: int) -> LimitExceeded:
    return LimitExceeded(
        "upload_too_large",
        f"压缩包「{name}」解压后共 {format_bytes(size)}，超过压缩包上限 {format_bytes(limit)}，未接收",
        f"archive {name} inflates to {format_bytes(size)}, over the per-archive limit of "
        f"{format_bytes(limit)}; not stored",
    )


def too_many_members(name: str, count: int, limit: int) -> LimitExceeded:
    return LimitExceeded(
        "upload_too_large",
        f"压缩包「{name}」含 {count} 个文件，超过上限 {limit} 个，未接收",
        f"archive {name} holds {count} files, over the limit of {limit}; not stored",
    )


def quota_exceeded(name: str, size: int, used: int, quota: int) -> LimitExceeded:
    return LimitExceeded(
        "upload_too_large",
        f"文件「{name}」（{format_bytes(size)}）超出本单位的存储配额 {format_bytes(quota)}"
        f"（已用 {format_bytes(used)}），未接收",
        f"{name} ({format_bytes(size)}) would exceed the unit's storage quota of {format_bytes(quota)} "
        f"({format_bytes(used)} used); not stored",
    )


class UploadBudget:
    """What is left of one upload's file count and bytes; :meth:`take` books a file or raises."""

    def __init__(self, limits: UploadLimits):
        self.limits = limits
        self.files = 0
        self.bytes = 0

    def check(self, name: str, size: int) -> None:
        """Raise :class:`LimitExceeded` unless a file of ``size`` bytes fits (books nothing)."""
        lim = self.limits
        if size > lim.max_file_bytes:
            raise file_too_large(name, size, lim.max_file_bytes)
        if self.files + 1 > lim.max_upload_files:
            raise LimitExceeded(
                "upload_too_large",
                f"本次上传已达文件数上限 {lim.max_upload_files} 个，「{name}」未接收",
                f"the upload already holds the maximum of {lim.max_upload_files} files; {name} not stored",
            )
        if self.bytes + size > lim.max_upload_bytes:
            raise LimitExceeded(
                "upload_too_large",
                f"本次上传总大小将超过上限 {format_bytes(lim.max_upload_bytes)}，"
                f"「{name}」（{format_bytes(size)}）未接收",
                f"the upload would exceed its limit of {format_bytes(lim.max_upload_bytes)}; "
                f"{name} ({format_bytes(size)}) not stored",
            )

    def take(self, name: str, size: int) -> None:
        self.check(name, size)
        self.files += 1
        self.bytes += size
