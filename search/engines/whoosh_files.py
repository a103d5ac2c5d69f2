"""Index files read in place from Whoosh's memory map, not copied.

Whoosh maps each segment file and hands out its parts as ``BufferFile``
objects, which wrap the mapped bytes in ``io.BytesIO``; BytesIO copies them.
Opening a searcher therefore copied most of the index into the process's own
memory (about 105 MB at 10,000 articles), once per searcher: once per thread
of every gunicorn worker, and again after each index change. Reading through
a view of the map instead keeps that memory in the page cache, shared by every
process and reclaimable by the kernel.

`install()` makes Whoosh's compound storage hand out `MappedFile`s; it is
called when the search backend is imported, before any index is opened.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile


class MemoryViewReader:
    """A read-only, seekable file over a memoryview (what BytesIO does, without
    the copy)."""

    __slots__ = ("_view", "_pos")

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._pos = 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = len(self._view) if size is None or size < 0 else min(start + size, len(self._view))
        self._pos = max(start, end)
        return self._view[start:end].tobytes()

    def readinto(self, buffer: bytearray | memoryview) -> int:
        data = self.read(len(memoryview(buffer)))
        memoryview(buffer)[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        limit = len(self._view) if size is None or size < 0 else self._pos + size
        end = self._pos
        while end < min(limit, len(self._view)):
            end += 1
            if self._view[end - 1] == 0x0A:  # b"\n"
                break
        return self.read(end - self._pos)

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._pos, len(self._view))[whence]
        if base + offset < 0:
            raise ValueError(f"negative seek position {base + offset}")
        self._pos = base + offset
        return self._pos

    def tell(self) -> int:
        return self._pos

    def getvalue(self) -> bytes:
        return self._view.tobytes()

    def close(self) -> None:
        """Nothing to release: the view belongs to the storage's map."""


class MappedFile(BufferFile):
    """Whoosh's BufferFile, reading from the mapped bytes in place."""

    def __init__(
        self, buf: memoryview, name: str | None = None, onclose: Callable | None = None
    ) -> None:
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = MemoryViewReader(memoryview(buf))

    def subset(self, position: int, length: int, name: str | None = None) -> MappedFile:
        return MappedFile(self._buf[position : position + length], name=name or self._name)


def install() -> None:
    compound.BufferFile = MappedFile
