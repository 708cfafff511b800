"""Types for the type checker (mypy with django-stubs) where Django's own cannot know what the clinic knows.

The clinic uses Django's `User` (no AUTH_USER_MODEL of its own), so staff are annotated as that model.
Every page but the sign-in steps requires a signed-in user (LoginRequiredMiddleware, PAGE_ACCESS), yet
`HttpRequest.user` is `User | AnonymousUser` to django-stubs: views behind sign-in declare
`request: AuthenticatedHttpRequest` (the pattern django-stubs documents) and their services take a `User`.
Nothing here runs: at runtime the request is Django's own.
"""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request of a signed-in user (a page behind LoginRequiredMiddleware)."""

    user: "User"
