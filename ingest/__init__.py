"""ingest: any file a township hands in → one :class:`Document`."""

from .document import BBox, Document, DocumentError, Line, Page, Seal, SourceInfo, Span, Word
from .errors import IngestError, StageError, UnknownEngineError
from .guard import read_document_guarded
from .merge import merge_documents
from .ocr import ENGINES, get_engine, register_engine
from .reader import read_document
from .settings import IngestSettings

__all__ = [
    "BBox", "Document", "DocumentError", "ENGINES", "IngestError", "IngestSettings", "Line", "Page",
    "Seal", "SourceInfo", "Span", "StageError", "UnknownEngineError", "Word", "get_engine", "merge_documents", "read_document",
    "read_document_guarded", "register_engine",
]
