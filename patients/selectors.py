"""Reads of the patient registry."""

from django.db.models import Q, QuerySet

from .models import Patient


def patient_search(*, query: str) -> QuerySet[Patient]:
    """Patients whose name, phone or email contains every word of `query` (case-insensitive)."""
    patients = Patient.objects.all()
    for word in query.split():
        patients = patients.filter(
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(email__icontains=word)
            | Q(phone__icontains=word)
        )
    return patients
