from django.apps import AppConfig


class OverviewConfig(AppConfig):
    """The top layer: pages and commands that put the clinic apps together.

    The dashboard, the patient's page, her whole record (export), the history of records and the
    access log, and the demo and load data. It may import every app; no app imports it.
    """

    name = "meso_clinic.overview"
    label = "overview"
    verbose_name = "MesoClinic overview"
