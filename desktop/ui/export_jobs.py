"""The worker threads of one 导出公文 dialog: at most one current job — a preview or an export.

``ExportJobs.start`` runs an ``ExportWorker``; ``progressed(done, total)`` and ``finished(worker, kind)``
are emitted for the current job only. A job that was replaced or cancelled still runs to its end in the
background (a thread cannot be killed mid-write); its result is dropped and a preview PDF it left in the
dialog's scratch folder deleted. ``stop_all`` (the dialog closes) cancels and waits for every one.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from .export_worker import ExportRequest, ExportWorker

PREVIEW, EXPORT = "preview", "export"


class ExportJobs(QObject):
    """The jobs of one dialog; ``scratch`` is the folder its previews are written to."""

    progressed = Signal(int, int)  # rows laid out, all rows (the current job)
    finished = Signal(object, str)  # the current job's worker once it has ended, and its kind

    def __init__(self, scratch: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scratch = scratch
        self.current: ExportWorker | None = None
        self.kind = ""
        self._workers: set[ExportWorker] = set()

    def busy(self) -> bool:
        return self.current is not None

    def exporting(self) -> bool:
        return self.current is not None and self.kind == EXPORT

    def start(self, request: ExportRequest, kind: str) -> ExportWorker:
        worker = ExportWorker(request, self)
        worker.progressed.connect(self._progress)
        worker.done.connect(self._done)
        self.current, self.kind = worker, kind
        self._workers.add(worker)
        worker.start()
        return worker

    def cancel(self) -> None:
        """Ask the current job to stop (its ``finished`` says ``cancelled``)."""
        if self.current is not None:
            self.current.cancel()

    def stop(self) -> None:
        """Cancel the current job and wait for it; its late ``done`` is ignored."""
        worker, self.current = self.current, None
        if worker is not None:
            worker.cancel()
            worker.wait()

    def stop_all(self) -> None:
        self.stop()
        for w in list(self._workers):
            w.cancel()
            w.wait()

    @Slot(object, int, int)
    def _progress(self, worker: ExportWorker, done: int, total: int) -> None:
        if worker is self.current:
            self.progressed.emit(done, total)

    @Slot(object)
    def _done(self, worker: ExportWorker) -> None:
        worker.wait()
        self._workers.discard(worker)
        if worker is not self.current:
            if worker.outcome == "ok" and worker.request.fmt == "pdf" and worker.result is not None \
                    and worker.result.path.parent == self.scratch:
                worker.result.path.unlink(missing_ok=True)
            worker.deleteLater()
            return
        kind, self.current = self.kind, None
        self.finished.emit(worker, kind)
        worker.deleteLater()
