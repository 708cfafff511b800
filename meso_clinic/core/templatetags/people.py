"""`{{ user|person }}`: a member of staff as pages name her (meso_clinic.core.people.display_name)."""

from django import template

from meso_clinic.core.people import display_name

register = template.Library()


@register.filter
def person(user) -> str:
    return display_name(user)
