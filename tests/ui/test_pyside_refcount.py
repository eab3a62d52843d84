"""Guards the PySide6 pin: ordinary Qt calls must not leak references to None/True/False.

PySide6 6.12.0 on Python 3.11 drops a reference per call on these immortal-in-3.12 singletons;
after enough calls the count hits zero and the process aborts. 6.9.x is clean.
"""
from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QModelIndex, QObject, Signal
from PySide6.QtWidgets import QLabel


class _Emitter(QObject):
    fired = Signal(object)


def test_no_reference_drift_on_none_true_false(qapp):
    label = QLabel()
    emitter = _Emitter()
    got = []
    emitter.fired.connect(got.append)
    gc.collect()
    before = {name: sys.getrefcount(obj) for name, obj in (("None", None), ("True", True), ("False", False))}
    for i in range(7000):
        QModelIndex().data()  # returns None
        emitter.fired.emit(i % 2 == 0)  # passes True/False
        label.setText(f"第{i}条")
    got.clear()
    gc.collect()
    after = {name: sys.getrefcount(obj) for name, obj in (("None", None), ("True", True), ("False", False))}
    drift = {k: before[k] - after[k] for k in before}
    assert all(d < 1000 for d in drift.values()), f"references lost per ~20,000 Qt calls: {drift}"
