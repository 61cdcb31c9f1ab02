"""The media store fakes other tests rely on behave as documented."""

from __future__ import annotations

import pytest

from services.errors import NotFound, ServiceUnavailable, ValidationFailed
from tests.fakes_media import FailingMediaStore, RecordingMediaStore


def test_recording_store_keeps_files_and_records_calls():
    store = RecordingMediaStore()
    store.put("display/ab/a.jpg", b"a", content_type="image/jpeg")
    store.delete("display/ab/a.jpg")
    store.delete("display/ab/never.jpg")
    assert store.puts == ["display/ab/a.jpg"]
    assert store.deletes == ["display/ab/a.jpg", "display/ab/never.jpg"]
    with pytest.raises(NotFound):
        store.get("display/ab/a.jpg")


def test_recording_store_refuses_the_keys_real_stores_refuse():
    with pytest.raises(ValidationFailed):
        RecordingMediaStore().put("../x.jpg", b"a", content_type="image/jpeg")


def test_failing_store_fails_after_the_given_number_of_puts():
    store = FailingMediaStore(fail_after=1)
    store.put("display/ab/a.jpg", b"a", content_type="image/jpeg")
    with pytest.raises(ServiceUnavailable):
        store.put("thumbs/ab/a.jpg", b"a", content_type="image/jpeg")
    assert [f.key for f in store.keys("")] == ["display/ab/a.jpg"]
    assert store.failed_puts == ["thumbs/ab/a.jpg"]
