"""Request bodies refused from their declared length, before anything reads them (issue 12).

Django's DATA_UPLOAD_MAX_MEMORY_SIZE counts only a form's text fields: the file parts of a multipart body
are read to the end (to memory, then to a temporary file) before any form can say the photo is too large,
and CsrfViewMiddleware reads the body for every POST. So a public page that takes a photo could be sent a
body of any size. This middleware, above CsrfViewMiddleware, reads only the Content-Length header:

- a page's view may declare `max_request_bytes()` (a classmethod: the most its form can need) and
  `request_too_large(request, declared_bytes, **url_kwargs)` (its own page for a refused request, e.g. the
  form with the message at the photo field);
- every other page takes at most DATA_UPLOAD_MAX_MEMORY_SIZE (none of them uploads files).

A body without a Content-Length (chunked) is read by Django as empty, so it needs no check here.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _


def declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # what Django reads for an unreadable Content-Length: an empty body


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = declared_length(request)
        default = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if default is not None and declared > default:  # small bodies (nearly all) are not even resolved
            refused = self._refuse(request, declared, default)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _refuse(self, request: HttpRequest, declared: int, default: int) -> HttpResponse | None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return HttpResponse(_("This request is too large."), status=413, content_type="text/plain")
        view_class = getattr(match.func, "view_class", None)
        limit = view_class.max_request_bytes() if view_class and hasattr(view_class, "max_request_bytes") else default
        if declared <= limit:
            return None
        if view_class and hasattr(view_class, "request_too_large"):
            return view_class.request_too_large(request, declared, **match.kwargs)
        return HttpResponse(_("This request is too large."), status=413, content_type="text/plain")
