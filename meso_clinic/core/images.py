"""Uploaded pictures, re-encoded so that nothing but their pixels is kept (issue 12).

A phone's photo carries EXIF (the GPS position where it was taken, the phone's make and model, the time),
XMP, comments and an ICC profile that names the device. None of that belongs in a clinical record, so a
picture is decoded and saved afresh: its EXIF orientation applied first (the picture keeps looking as it
did on the phone), colours converted to sRGB when it came with a profile, transparency laid on white,
and then written from the pixels alone. JPEG stays JPEG, PNG stays PNG (WebP stays WebP).

A picture is refused before it is decoded when its header gives more than `max_pixels`: a PNG of
20000 x 20000 pixels fits in 48 KB and would need 1.2 GB to decode. Pillow's own limit (DecompressionBomb
Warning above `Image.MAX_IMAGE_PIXELS`, Error above twice that) counts the same way, so its warning and
error are refused alike.

Pure: no Django models, no settings (the caller passes the limit), so the side-effect reports and the
before/after photos of treatment areas share it.
"""

import io
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

# Detected format -> (file extension, content type) of the picture as stored and served.
FORMATS: dict[str, tuple[str, str]] = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
JPEG_QUALITY = 90  # a re-encode costs a little: 90 keeps what a clinician needs to see, at a phone photo's size
BACKGROUND = (255, 255, 255)  # transparent parts of a picture are shown on white, as on the page

# What Pillow raises for a file it cannot read to the end (truncated, corrupt, not a picture).
_UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError)


class ImageRefused(ValueError):
    """The upload is not a picture we keep. `reason` says why, for the caller's message."""

    NOT_A_PICTURE = "not_a_picture"
    FORMAT = "format"
    TOO_MANY_PIXELS = "too_many_pixels"

    def __init__(self, reason: str, *, size: tuple[int, int] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.size = size


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    format: str  # "JPEG", "PNG" or "WEBP"
    size: tuple[int, int]  # width, height after the orientation was applied
    # A smaller copy (same format, made from the same decoded pixels) when asked for with thumbnail_side.
    thumbnail: bytes | None = None
    thumbnail_size: tuple[int, int] | None = None

    @property
    def extension(self) -> str:
        return FORMATS[self.format][0]

    @property
    def content_type(self) -> str:
        return FORMATS[self.format][1]


def clean_image(
    file: BinaryIO,
    *,
    max_pixels: int,
    formats: tuple[str, ...] = ("JPEG", "PNG", "WEBP"),
    thumbnail_side: int | None = None,
) -> CleanImage:
    """The picture in `file` as fresh bytes of the same format, or ImageRefused.

    With `thumbnail_side`, also a copy whose longer side is at most that many pixels (issue 16's thumbnails),
    made from the pixels already decoded: a 12-megapixel photo is decoded once, not twice.
    """
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that: here the warning refuses as well.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return _clean(file, max_pixels=max_pixels, formats=formats, thumbnail_side=thumbnail_side)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRefused(ImageRefused.TOO_MANY_PIXELS) from None


def _clean(file: BinaryIO, *, max_pixels: int, formats: tuple[str, ...], thumbnail_side: int | None) -> CleanImage:
    file.seek(0)
    try:
        with Image.open(file) as probe:  # reads the header only: format and size, no pixels yet
            kind, (width, height) = probe.format, probe.size
            if kind not in formats:
                raise ImageRefused(ImageRefused.FORMAT)
            if width * height > max_pixels:
                raise ImageRefused(ImageRefused.TOO_MANY_PIXELS, size=(width, height))
            probe.verify()  # checksums and structure, still without decoding the pixels
        file.seek(0)
        with Image.open(file) as image:
            image.load()  # a truncated or corrupt picture fails here, before anything is stored
            picture = _pixels_only(image)
    except ImageRefused:
        raise
    except _UNREADABLE:
        raise ImageRefused(ImageRefused.NOT_A_PICTURE) from None
    content = _encode(picture, kind)
    if thumbnail_side is None:
        return CleanImage(content=content, format=kind, size=picture.size)
    small = picture.copy()
    small.thumbnail((thumbnail_side, thumbnail_side), Image.Resampling.LANCZOS)  # never enlarged
    small.info = {}
    return CleanImage(
        content=content, format=kind, size=picture.size, thumbnail=_encode(small, kind), thumbnail_size=small.size
    )


def _encode(picture: Image.Image, kind: str) -> bytes:
    buffer = io.BytesIO()
    if kind == "JPEG":
        picture.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    elif kind == "WEBP":
        picture.save(buffer, format="WEBP", quality=JPEG_QUALITY)
    else:
        picture.save(buffer, format=kind, optimize=True)
    return buffer.getvalue()


def _pixels_only(image: Image.Image) -> Image.Image:
    """The decoded picture upright, in sRGB (or grey), without transparency, and with no metadata at all."""
    try:
        upright = ImageOps.exif_transpose(image)
    except _UNREADABLE:  # a broken EXIF block: keep the picture as it was drawn rather than refuse it
        upright = image.copy()
    upright = _to_srgb(upright, image.info.get("icc_profile"))
    if upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info):
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, BACKGROUND)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        upright = flat
    elif upright.mode == "1" or upright.mode.startswith("I"):
        upright = upright.convert("L")
    elif upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")  # palette, CMYK, YCbCr...
    # Whatever the decoder or the conversions left (exif, xmp, comment, icc_profile, text chunks, dpi,
    # transparency): Pillow's encoders read some of these from .info, so nothing of it is left to read.
    upright.info = {}
    return upright


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Colours converted from the picture's own profile to sRGB (what a picture without a profile means)."""
    if not icc_profile or image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # an unreadable profile: the pixels as they are
    return converted if converted is not None else image
