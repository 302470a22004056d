"""The one exception hierarchy of ingest, and the coded, bilingual messages.

Every problem reading a file becomes an :class:`IngestError` carrying a stable ``code``
(the review queue and tests key on it) and a message in Chinese and English that names the
file and the reason. Backends raise; :func:`ingest.read_document` turns the exception into
an error item on a ``failed`` (or ``partial``) :class:`~ingest.document.Document`.
"""

from __future__ import annotations

from dataclasses import dataclass

# code -> (Chinese template, English template). Templates may use {name} (file name) and
# {detail} (the offending value or the library's own words).
MESSAGES: dict[str, tuple[str, str]] = {
    "file_not_found": ("找不到文件「{name}」", "file not found: {name}"),
    "unreadable": ("无法读取文件「{name}」：{detail}", "cannot read {name}: {detail}"),
    "empty_file": ("文件「{name}」为空（0 字节）", "{name} is empty (0 bytes)"),
    "unsupported_format": (
        "文件「{name}」的格式无法识别或不受支持（{detail}），请提交 PDF、Word(.docx)、图片或文本文件",
        "{name} is not a supported format ({detail}); submit PDF, Word (.docx), image or text files",
    ),
    "corrupt_pdf": ("PDF 文件「{name}」已损坏或被截断：{detail}", "PDF {name} is corrupt or truncated: {detail}"),
    "encrypted_pdf": (
        "PDF 文件「{name}」已加密，需要密码才能打开，请提交未加密的文件",
        "PDF {name} is encrypted and needs a password; submit an unencrypted copy",
    ),
    "corrupt_docx": (
        "Word 文件「{name}」已损坏或不是有效的 .docx 文档：{detail}",
        "Word file {name} is corrupt or not a valid .docx document: {detail}",
    ),
    "encrypted_docx": (
        "Word 文件「{name}」已加密，需要密码才能打开，请提交未加密的文件",
        "Word file {name} is password-protected; submit an unprotected copy",
    ),
    "legacy_doc": (
        "文件「{name}」是旧版 Word(.doc) 或 WPS 格式，{detail}，请用 Word 或 WPS 另存为 .docx 或 PDF 后再提交",
        "{name} is a legacy Word (.doc) / WPS file that could not be converted ({detail}); save it as .docx or PDF and submit again",
    ),
    "corrupt_image": ("图片「{name}」已损坏或无法解码：{detail}", "image {name} is corrupt or cannot be decoded: {detail}"),
    "file_too_large": (
        "文件「{name}」过大（{detail}），超出处理上限，未处理",
        "{name} is too large ({detail}) and was not read",
    ),
    "too_many_frames": (
        "图片「{name}」的帧数过多（{detail}），超出处理上限，未处理",
        "image {name} has too many frames ({detail}) and was not read",
    ),
    "image_too_large": (
        "图片「{name}」尺寸过大（{detail}），超出处理上限，请缩小后再提交",
        "image {name} is too large ({detail}); reduce its size and submit again",
    ),
    "too_many_pages": (
        "文件「{name}」页数过多（{detail}），只处理了前面的页",
        "{name} has too many pages ({detail}); only the first pages were read",
    ),
    "text_decode_failed": (
        "文本文件「{name}」的字符编码无法识别：{detail}",
        "cannot decode text file {name}: {detail}",
    ),
    "page_failed": ("文件「{name}」第 {detail} 页无法读取", "{name}: page {detail} could not be read"),
    "ocr_failed": ("文件「{name}」文字识别(OCR)失败：{detail}", "OCR failed on {name}: {detail}"),
    "ocr_unavailable": (
        "文字识别引擎不可用（{detail}），文件「{name}」的扫描页未能识别",
        "OCR engine unavailable ({detail}); scanned pages of {name} were not read",
    ),
    "no_text": (
        "文件「{name}」中没有识别出任何文字（空白页或图片不清晰）",
        "no text could be read from {name} (blank pages or an unreadable image)",
    ),
    "timeout": (
        "文件「{name}」处理超时（超过 {detail} 秒），已跳过",
        "{name} took longer than {detail} s to read and was stopped",
    ),
    "memory_exceeded": (
        "文件「{name}」处理时内存超出上限（{detail}），已跳过",
        "{name} exceeded the memory limit ({detail}) while being read",
    ),
    "internal_error": (
        "处理文件「{name}」时发生内部错误：{detail}",
        "internal error while reading {name}: {detail}",
    ),
}


def format_bytes(size: int | float) -> str:
    """A byte count as people read it: ``300 MiB``, ``2.5 GiB``, ``812 KiB``."""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            text = f"{value:.1f}".rstrip("0").rstrip(".") if unit != "B" else f"{int(value)}"
            return f"{text} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def format_message(code: str, name: str, detail: object = "") -> str:
    """Chinese and English message for ``code``: ``"中文说明 (English explanation)"``."""
    zh, en = MESSAGES.get(code, MESSAGES["internal_error"])
    detail_text = str(detail).strip() if detail is not None else ""
    if len(detail_text) > 300:
        detail_text = detail_text[:297] + "..."
    values = {"name": name, "detail": detail_text or "-"}
    return f"{zh.format(**values)} ({en.format(**values)})"


STAGE_MESSAGES: dict[str, tuple[str, str]] = {
    "extractor_failed": ("「{name}」的字段提取步骤「{component}」出错，相关字段未能提取：{detail}",
                         "extractor {component} failed on {name}: {detail}"),
    "check_failed": ("「{name}」的审查项「{component}」出错，该项未能完成：{detail}",
                     "check {component} failed on {name}: {detail}"),
}
"""Codes of failures after ingest (a bug in one extractor or check): the file was read, the
other extractors and checks still ran, the result is ``partial``."""


@dataclass
class StageError:
    """One error item on a pipeline result: which stage (``ingest``, ``extract``, ``checks``),
    a stable ``code``, the component that failed (extractor or check id) and a message in
    Chinese and English naming the file."""

    stage: str
    code: str
    message: str
    component: str | None = None
    page: int | None = None

    @classmethod
    def of(cls, stage: str, code: str, component: str, name: str, exc: BaseException) -> StageError:
        zh, en = STAGE_MESSAGES[code]
        values = {"name": name or "-", "component": component, "detail": f"{type(exc).__name__}: {exc}"[:300]}
        return cls(stage, code, f"{zh.format(**values)} ({en.format(**values)})", component)

    def to_dict(self) -> dict[str, object]:
        return {"stage": self.stage, "code": self.code, "message": self.message, "component": self.component,
                "page": self.page}


class IngestError(Exception):
    """A file (or one page of it) could not be read. ``code`` is one of :data:`MESSAGES`."""

    def __init__(self, code: str, detail: object = "", page: int | None = None):
        if code not in MESSAGES:
            raise ValueError(f"unknown ingest error code {code!r}; known: {sorted(MESSAGES)}")
        self.code = code
        self.detail = "" if detail is None else str(detail)
        self.page = page
        super().__init__(f"{code}: {self.detail}" if self.detail else code)


class UnknownEngineError(KeyError):
    """An OCR engine name that is not registered; the message lists the known ones."""

    def __init__(self, name: str, known: list[str]):
        self.name = name
        self.known = known
        super().__init__(f"unknown OCR engine {name!r}; known engines: {', '.join(known)}")

    def __str__(self) -> str:  # KeyError would quote the whole message
        return self.args[0]
