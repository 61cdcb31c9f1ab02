"""Images that are also something else (HTML, script, PHP, PDF, ZIP/JAR) are refused with 415,
while real phone photos (EXIF, XMP, ICC, MPF gain maps, motion photos, maker notes) pass."""

from __future__ import annotations

import io
import random

import pytest
from PIL import ImageCms

from services.errors import UnsupportedMedia
from tests.media_images import (
    bmff_box,
    encode,
    heic_bytes,
    insert_jpeg_segment,
    jpeg_bytes,
    jpeg_segment,
    make_exif,
    mp4_bytes,
    photo,
    picture,
    png_bytes,
    webp_bytes,
    zip_bytes,
)

XMP = (
    b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:GCamera="http://ns.google.com/photos/1.0/camera/" GCamera:MotionPhoto="1" '
    b'xmlns:hdrgm="http://ns.adobe.com/hdr-gain-map/1.0/" hdrgm:Version="1.0"/>'
    b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def _refused(processor, data: bytes) -> str:
    with pytest.raises(UnsupportedMedia) as refused:
        processor.process(data)
    assert refused.value.key == "image_polyglot"
    return refused.value.params["found"]


def phone_photo(seed: int = 0) -> bytes:
    """A JPEG as a modern phone writes it: EXIF with GPS and a maker note of binary noise,
    XMP, an ICC profile, and an MPF secondary image (a gain map) after the primary's end."""
    exif = make_exif(gps=(31.23, 121.47), orientation=6)
    exif.get_ifd(0x8769)[0x927C] = random.Random(seed).randbytes(8000)  # MakerNote
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    photo(800, 600, seed=seed).save(
        out,
        "MPO",
        save_all=True,
        append_images=[photo(400, 300, seed=seed).convert("L")],
        exif=exif.tobytes(),
        xmp=XMP,
        icc_profile=icc,
        quality=92,
    )
    return out.getvalue()


@pytest.mark.parametrize("seed", range(4))
def test_a_phone_photo_with_exif_xmp_icc_maker_note_and_gain_map_is_accepted(processor, seed):
    data = phone_photo(seed)
    assert data.count(b"\xff\xd8\xff") >= 2  # the gain map really follows the primary image

    result = processor.process(data)

    assert (result.width, result.height) == (600, 800)
    assert result.exif.lat == pytest.approx(31.23, abs=1e-4)


def test_a_motion_photo_with_its_video_appended_is_accepted(processor):
    data = jpeg_bytes(320, 240) + mp4_bytes(200_000)
    assert processor.process(data).width == 320


def test_a_samsung_trailer_is_accepted(processor):
    trailer = random.Random(3).randbytes(50_000) + b"SEFH\x6b\x00\x00\x00" + b"\x00" * 64
    assert processor.process(jpeg_bytes() + trailer + b"SEFT").width == 64


def test_padding_after_the_image_is_accepted(processor):
    assert processor.process(jpeg_bytes() + b"\x00" * 4096).width == 64
    assert processor.process(jpeg_bytes() + b"\x00" * 99 + mp4_bytes()).width == 64
    assert processor.process(png_bytes() + b"\r\n").width == 64


def test_a_few_stray_bytes_after_the_image_are_tolerated(processor):
    assert processor.process(jpeg_bytes() + b"stray bytes").width == 64


@pytest.mark.parametrize(
    "payload",
    [
        b"<script>alert(document.cookie)</script>",
        b"<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        b"<html><body onload=alert(1)>",
        b"<!DOCTYPE html><title>x</title>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b"<?php system($_GET['cmd']); ?>",
        b'<iframe src="https://evil.example">',
        b"%PDF-1.4 1 0 obj",
    ],
)
def test_markup_in_a_jpeg_comment_is_a_polyglot(processor, payload):
    data = insert_jpeg_segment(jpeg_bytes(), jpeg_segment(0xFE, payload))
    _refused(processor, data)


def test_script_hidden_in_an_exif_field_is_a_polyglot(processor):
    exif = make_exif()
    exif[0x010E] = "<script>alert(1)</script>"  # ImageDescription
    _refused(processor, encode(picture(), "JPEG", exif))


def test_a_jpeg_with_a_zip_appended_is_a_polyglot(processor):
    found = _refused(processor, jpeg_bytes() + zip_bytes())
    assert found in ("ZIP", "trailing data")


def test_a_jpeg_with_a_large_zip_appended_is_a_polyglot_even_past_the_tolerance(processor):
    archive = zip_bytes({f"f{i}.txt": random.Random(i).randbytes(5000) for i in range(10)})
    _refused(processor, jpeg_bytes() + archive)


def test_a_jar_hidden_in_an_app_segment_is_a_polyglot(processor):
    archive = zip_bytes({"Main.class": b"\xca\xfe\xba\xbe\x00\x00\x00\x34"})
    data = insert_jpeg_segment(jpeg_bytes(), jpeg_segment(0xEB, archive))
    assert _refused(processor, data) == "ZIP"


def test_a_zip_directory_end_in_a_jpeg_comment_is_a_polyglot(processor):
    eocd = b"PK\x05\x06" + b"\x00" * 18
    _refused(processor, insert_jpeg_segment(jpeg_bytes(), jpeg_segment(0xFE, eocd)))


def test_html_appended_after_the_jpeg_end_is_a_polyglot(processor):
    _refused(processor, jpeg_bytes() + b"<html><script>alert(1)</script></html>")


def test_large_unexplained_trailing_data_is_a_polyglot(processor):
    assert _refused(processor, jpeg_bytes() + b"A" * 1000) == "trailing data"


def test_script_after_an_appended_second_image_is_a_polyglot(processor):
    data = phone_photo() + b"<script>alert(1)</script>"
    _refused(processor, data)


def test_script_inside_a_motion_photo_box_is_a_polyglot(processor):
    video = mp4_bytes(1000) + bmff_box(b"free", b"<script>alert(1)</script>")
    _refused(processor, jpeg_bytes() + video)


def test_markup_in_a_png_text_chunk_is_a_polyglot(processor):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", '<svg onload="alert(1)">')
    _refused(processor, encode(picture(), "PNG", pnginfo=info))


def test_a_png_with_a_zip_appended_is_a_polyglot(processor):
    _refused(processor, png_bytes() + zip_bytes())


def test_markup_in_webp_metadata_is_a_polyglot(processor):
    img = picture()
    out = io.BytesIO()
    img.save(out, "WEBP", xmp=b"<x:xmpmeta><html><script>alert(1)</script></html></x:xmpmeta>")
    _refused(processor, out.getvalue())


def test_a_webp_with_html_after_its_riff_container_is_a_polyglot(processor):
    _refused(processor, webp_bytes() + b"<html><script>alert(1)</script></html>")


def test_a_heic_with_html_in_a_free_box_is_a_polyglot(processor):
    data = heic_bytes() + bmff_box(b"free", b"<html><script>alert(1)</script></html>")
    _refused(processor, data)


def test_a_heic_with_a_zip_appended_is_a_polyglot(processor):
    _refused(processor, heic_bytes() + zip_bytes())


def test_a_zip_local_header_hidden_in_compressed_pixel_data_is_found(processor):
    # Markers inside the entropy-coded data are checked only in their strong form: a local
    # header whose fields make sense.
    data = bytearray(jpeg_bytes(200, 200))
    sos = data.index(b"\xff\xda")
    header = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 16 + b"\x05\x00\x00\x00evil1"
    data[sos + 40 : sos + 40 + len(header)] = header
    assert _refused(processor, bytes(data)) == "ZIP"


def test_a_short_marker_by_chance_in_pixel_data_is_not_a_polyglot(processor):
    # "PK\x03\x04" or "<svg" can occur by chance in compressed data; alone they prove nothing.
    data = bytearray(jpeg_bytes(200, 200))
    sos = data.index(b"\xff\xda")
    data[sos + 40 : sos + 48] = b"PK\x03\x04<svg"
    assert processor.process(bytes(data)).width == 200


def test_a_bare_zip_signature_by_chance_in_a_maker_note_is_not_a_polyglot(processor):
    exif = make_exif()
    exif.get_ifd(0x8769)[0x927C] = b"\x01\x02PK\x03\x04\xff\xff\xff\xff<svgz" + b"\x00" * 64
    assert processor.process(encode(picture(), "JPEG", exif)).width == 64
