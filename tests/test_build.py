"""build.py: outputs are written atomically and dates come from the document, never the clock."""

from __future__ import annotations

import pytest

from kzpress.build import write_atomic
from kzpress.errors import InputError
from kzpress.seeds import timestamp


def test_write_atomic_replaces_whole_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "book" / "out.pdf"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert [path.name for path in target.parent.iterdir()] == ["out.pdf"]


def test_write_atomic_keeps_previous_output_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "out.pdf"
    write_atomic(target, b"good")

    def failing_replace(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr("kzpress.build.os.replace", failing_replace)
    with pytest.raises(OSError):
        write_atomic(target, b"half")
    assert target.read_bytes() == b"good"
    assert [path.name for path in tmp_path.iterdir()] == ["out.pdf"]


@pytest.mark.parametrize("date, stamp", [("2022", "2022-01-01T00:00:00Z"), ("2022-01-31", "2022-01-31T00:00:00Z")])
def test_timestamp_comes_from_the_document_date(date, stamp):
    assert timestamp(date, source_date_epoch=None, source="x.yaml") == stamp


def test_source_date_epoch_wins_over_the_document_date():
    assert timestamp("2022", source_date_epoch="1700000000", source="x.yaml") == "2023-11-14T22:13:20Z"


def test_a_missing_date_is_the_users_error_not_the_clock():
    with pytest.raises(InputError, match="needs a date"):
        timestamp(None, source_date_epoch=None, source="x.yaml")
