"""Speed and memory of the photos of the treated area (issue 16), figures for docs/benchmarks.md.

1. A 12-megapixel phone photo (4000 x 3000 JPEG with EXIF make, GPS position and orientation 6) re-encoded,
   thumbnailed and stored through Django's storage (files on disk): the time of each step, 7 runs.
2. The photo page (the real view, middleware and form, through Django's test client) taking 20 such photos
   one after the other: the process's resident memory (VmRSS) and tracemalloc's count of Python memory after
   the first upload and after each 5 more. Flat means the 20th upload leaves what the 1st left.

Run: .venv/bin/python scripts/benchmark_photos.py   (a throwaway SQLite database and media folder)
"""

import gc
import io
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="meso-photo-bench-"))
os.environ.update({"DATABASE_URL": f"sqlite:///{WORK / 'bench.sqlite3'}", "MEDIA_ROOT": str(WORK / "media")})
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meso_clinic.settings")

import django  # noqa: E402

django.setup()

from PIL import ExifTags, Image  # noqa: E402


def phone_photo() -> bytes:
    """Like a phone camera's: textured pixels (a plain picture would compress to nothing), EXIF as a phone's."""
    noise = Image.effect_noise((4000, 3000), 48)
    picture = Image.merge("RGB", (noise, Image.linear_gradient("L").resize((4000, 3000)), noise.transpose(0)))
    exif = picture.getexif()
    exif[ExifTags.Base.Make], exif[ExifTags.Base.Model] = "Apple", "iPhone 15 Pro"
    exif[ExifTags.Base.Orientation] = 6
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (41.0, 2.0, 3.5),
         ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (28.0, 58.0, 47.25)})
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", exif=exif, quality=92)
    return buffer.getvalue()


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def speed(data: bytes) -> None:
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from meso_clinic.core.images import clean_image

    cleans, stores = [], []
    for _ in range(7):
        started = time.perf_counter()
        picture = clean_image(io.BytesIO(data), max_pixels=settings.PHOTO_MAX_PIXELS,
                              thumbnail_side=settings.AREA_PHOTO_THUMBNAIL_PX)
        cleaned = time.perf_counter()
        default_storage.save("bench/photo.jpg", ContentFile(picture.content))
        default_storage.save("bench/thumb.jpg", ContentFile(picture.thumbnail or b""))
        stores.append(time.perf_counter() - cleaned)
        cleans.append(cleaned - started)
    total = [a + b for a, b in zip(cleans, stores, strict=True)]
    print(f"12-MP photo: {len(data) / 1e6:.1f} MB in, {len(picture.content) / 1e6:.1f} MB stored "
          f"({picture.size[0]}x{picture.size[1]}), thumbnail {picture.thumbnail_size} "
          f"{len(picture.thumbnail or b'') / 1e3:.0f} KB")
    print(f"  re-encode + thumbnail: median {statistics.median(cleans) * 1000:.0f} ms, max {max(cleans) * 1000:.0f} ms")
    print(f"  storage (2 files):     median {statistics.median(stores) * 1000:.0f} ms, max {max(stores) * 1000:.0f} ms")
    print(f"  total:                 median {statistics.median(total) * 1000:.0f} ms, max {max(total) * 1000:.0f} ms")


def memory(data: bytes) -> None:
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from meso_clinic.core.roles import NURSE, PHYSICIAN, RECEPTION
    from patients.models import Patient
    from tests.fixtures.aftercare import performed_session
    from tests.fixtures.staff import make_staff
    from treatments.models import AreaPhoto, AreaView, PhotoConsent

    reception, nurse = make_staff("selin", RECEPTION), make_staff("ayse", NURSE)
    physician = make_staff("dr", PHYSICIAN)
    patient = Patient.objects.create(given_name="Zeynep", family_name="Arslan", date_of_birth=dt.date(1988, 4, 12),
                                     sex="female", email="z@example.com", email_consent=True)
    session = performed_session(patient, reception=reception, nurse=nurse, physician=physician,
                                now=timezone.now() - dt.timedelta(hours=1))
    PhotoConsent.objects.create(patient=patient, scope="record", given_at=timezone.now(), recorded_by=reception)
    view = AreaView.objects.filter(category=session.area.category).first()
    client = Client(SERVER_NAME="localhost")
    client.force_login(nurse)
    url = f"/treatments/sessions/{session.pk}/photos/"

    def upload(n: int) -> float:
        started = time.perf_counter()
        response = client.post(url, {"stage": "before",
                                     f"view_{view.pk}": SimpleUploadedFile(f"IMG_{n}.JPG", data, "image/jpeg")})
        assert response.status_code == 302, response.status_code
        return time.perf_counter() - started

    tracemalloc.start()
    times = [upload(1)]
    gc.collect()  # what stays, not what a reference cycle holds until the collector's next round
    base_rss, (base_py, _) = rss_mb(), tracemalloc.get_traced_memory()
    print(f"20 uploads through the photo page (request {len(data) / 1e6:.1f} MB each):")
    print(f"  after  1: RSS {base_rss:6.1f} MB, Python objects {base_py / 1e6:5.1f} MB")
    for n in range(2, 21):
        times.append(upload(n))
        if n % 5 == 0:
            gc.collect()
            current, peak = tracemalloc.get_traced_memory()
            print(f"  after {n:2}: RSS {rss_mb():6.1f} MB, Python objects {current / 1e6:5.1f} MB "
                  f"(peak during a request {peak / 1e6:.0f} MB)")
    print(f"  request time: median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms; "
          f"{AreaPhoto.objects.count()} photos stored")


if __name__ == "__main__":
    photo = phone_photo()
    speed(photo)
    memory(photo)
