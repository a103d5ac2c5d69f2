"""Where documents come from: uploaded files and zips, folders and JSONL
files on disk, a pasted text. Each becomes a `Record` (or, when it cannot be
read, the result that refuses it), in the same order every time, so that a
job interrupted midway can pass over what it already recorded.

Zip bombs (too many members, too much uncompressed data, an impossible
compression ratio) and paths outside the archive are refused here.
"""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _

from archive.ingest.documents import (
    ACCEPTED_SUFFIXES,
    DOCUMENT_SUFFIXES,
    HTML_SUFFIXES,
    max_file_bytes,
)
from archive.ingest.results import REFUSED, IngestResult

FORMATS = ("auto", "html", "txt", "jsonl")


@dataclass
class Record:
    """One document to ingest."""

    name: str
    data: bytes | str | None = None  # a file's bytes, or a pasted text
    fields: dict | None = None  # a JSONL record
    title: str = ""  # typed beside a pasted text


@dataclass
class Upload:
    """A file as uploaded (a zip holds many documents)."""

    name: str
    data: bytes


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return not path.is_absolute() and ".." not in path.parts and not name.startswith("/")


def _only_documents() -> str:
    return _("only .html, .htm and .txt files are imported")


def unpack(uploads: Iterable[Upload]) -> Iterator[Upload | IngestResult]:
    """The documents of an upload, zips opened in memory; a refused file or
    member is yielded as its IngestResult."""
    for upload in uploads:
        if not upload.name.lower().endswith(".zip"):
            if upload.name.lower().endswith(DOCUMENT_SUFFIXES):
                yield upload
            else:
                yield IngestResult(upload.name, REFUSED, reason=_only_documents())
            continue
        try:
            archive = zipfile.ZipFile(io.BytesIO(upload.data))
            members = [m for m in archive.infolist() if not m.is_dir()]
        except (zipfile.BadZipFile, OSError, ValueError):
            yield IngestResult(upload.name, REFUSED, reason=_("not a readable zip file"))
            continue
        total = sum(m.file_size for m in members)
        if (
            len(members) > settings.ARCHIVE_MAX_ZIP_MEMBERS
            or total > settings.ARCHIVE_MAX_UPLOAD_BYTES
        ):
            yield IngestResult(
                upload.name,
                REFUSED,
                reason=_("the zip file unpacks to too many or too large files"),
            )
            continue
        for member in members:
            label = f"{upload.name}/{member.filename}"
            if not _safe_member(member.filename):
                yield IngestResult(label, REFUSED, reason=_("a path outside the zip folder"))
            elif member.file_size > max_file_bytes():
                yield IngestResult(
                    label,
                    REFUSED,
                    reason=_("the file is larger than %(limit)s MB")
                    % {"limit": max_file_bytes() // 1_000_000},
                )
            elif member.compress_size and member.file_size / member.compress_size > 200:
                yield IngestResult(label, REFUSED, reason=_("suspicious compression (zip bomb)"))
            elif not member.filename.lower().endswith(DOCUMENT_SUFFIXES):
                yield IngestResult(label, REFUSED, reason=_only_documents())
            else:
                with archive.open(member) as handle:
                    data = handle.read(max_file_bytes() + 1)
                if len(data) > max_file_bytes():
                    yield IngestResult(label, REFUSED, reason=_("the file is larger than declared"))
                else:
                    yield Upload(label, data)


def document_count(uploads: Iterable[Upload]) -> int:
    """Documents in an upload, a zip counting its members (none is extracted)."""
    count = 0
    for upload in uploads:
        if upload.name.lower().endswith(".zip"):
            try:
                with zipfile.ZipFile(io.BytesIO(upload.data)) as archive:
                    count += sum(1 for member in archive.infolist() if not member.is_dir()) or 1
            except (zipfile.BadZipFile, OSError, ValueError):
                count += 1
        else:
            count += 1
    return count


def upload_records(
    uploads: Iterable[Upload], *, pasted: str = "", title: str = ""
) -> Iterator[Record | IngestResult]:
    """The records of an upload: the pasted text first, then every file."""
    if pasted.strip():
        yield Record(_("Pasted text"), data=pasted, title=title)
    for item in unpack(uploads):
        yield item if isinstance(item, IngestResult) else Record(item.name, data=item.data)


def _jsonl_records(path: Path) -> Iterator[Record | IngestResult]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            name = f"{path.name}:{number}"
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError
            except ValueError:
                yield IngestResult(name, REFUSED, reason=_("not a JSON object"))
                continue
            yield Record(name, fields=record)


def iter_records(paths: Iterable[str | Path], fmt: str = "auto") -> Iterator[Record | IngestResult]:
    """Records from files, folders (recursively), zips and JSONL(.gz) files."""
    for path in map(Path, paths):
        if path.is_dir():
            children = sorted(p for p in path.rglob("*") if p.is_file())
            yield from iter_records(children, fmt)
        elif not path.exists():
            yield IngestResult(str(path), REFUSED, reason=_("no such file"))
        elif fmt == "jsonl" or (fmt == "auto" and path.name.endswith((".jsonl", ".jsonl.gz"))):
            yield from _jsonl_records(path)
        elif not path.name.lower().endswith(ACCEPTED_SUFFIXES):
            yield IngestResult(str(path), REFUSED, reason=_only_documents())
        else:
            for item in unpack([Upload(str(path), path.read_bytes())]):
                if isinstance(item, IngestResult):
                    yield item
                elif fmt == "auto" or item.name.lower().endswith(
                    HTML_SUFFIXES if fmt == "html" else (".txt",)
                ):
                    yield Record(item.name, data=item.data)
                else:
                    yield IngestResult(
                        item.name, REFUSED, reason=_("not a %(format)s file") % {"format": fmt}
                    )
