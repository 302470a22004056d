"""Legacy Word files (.doc, the OLE container Word 97–2003 and WPS write): converted to .docx by
LibreOffice headless — Debian's ``libreoffice-writer-nogui`` (or ``libreoffice-core`` with the
writer) — when ``soffice`` / ``libreoffice`` is on PATH, then read as Word. Without it, or when the
conversion fails, the file fails with ``legacy_doc`` and a Chinese message naming the file and
saying what to do.

Each conversion runs in a private LibreOffice profile under a temporary directory (two workers
converting at once do not share a profile lock), in its own process group (killed as a whole on
a time-out), on a copy of the file under a plain name (names with spaces, quotes or a leading
dash are not an issue)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..document import Document
from ..errors import IngestError
from ..settings import IngestSettings
from . import docx

CONVERT_TIMEOUT_S = 120.0
NOT_INSTALLED = "本服务器未安装 LibreOffice，无法自动转换"


def office_binary() -> str | None:
    """The LibreOffice executable on PATH (``soffice``, else ``libreoffice``), or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(path: Path, workdir: Path, timeout_s: float = CONVERT_TIMEOUT_S) -> Path:
    """``path`` converted to ``workdir/input.docx``; raises IngestError(legacy_doc) saying why not."""
    binary = office_binary()
    if binary is None:
        raise IngestError("legacy_doc", NOT_INSTALLED)
    src = workdir / "input.doc"
    shutil.copyfile(path, src)
    out = workdir / "out"
    cmd = [binary, f"-env:UserInstallation={(workdir / 'profile').as_uri()}", "--headless", "--invisible",
           "--norestore", "--nologo", "--nodefault", "--nolockcheck",
           "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(src)]
    env = dict(os.environ, HOME=str(workdir), TMPDIR=str(workdir))
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=env, cwd=str(workdir), start_new_session=True)
    try:
        proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise IngestError("legacy_doc", f"自动转换超时（{timeout_s:g} 秒）") from None
    result = out / "input.docx"
    if proc.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
        raise IngestError("legacy_doc", "自动转换失败，文件可能已损坏")
    return result


def read(path: Path, settings: IngestSettings, doc: Document) -> None:
    with tempfile.TemporaryDirectory(prefix="contract-review-doc-") as tmp:
        converted = convert_to_docx(path, Path(tmp), min(CONVERT_TIMEOUT_S, settings.timeout_s / 2))
        docx.read(converted, settings, doc)
