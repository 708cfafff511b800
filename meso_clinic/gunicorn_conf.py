"""gunicorn's configuration for MesoClinic: `gunicorn -c python:meso_clinic.gunicorn_conf -w 2 -b 0.0.0.0:8000`.

Its access log masks the tokens of patients' links (meso_clinic/core/request_logs.py, issue 12): in the request
line, the path, the Referer and every other header or environ value a log format may name. Options on the
command line (workers, bind, --access-logfile) override the ones here.
"""

from gunicorn.glogging import Logger

from meso_clinic.core.request_logs import mask_tokens

wsgi_app = "meso_clinic.wsgi:application"
accesslog = "-"  # one line per request on stdout (12-factor); the tokens are masked


class TokenMaskingLogger(Logger):
    """gunicorn's logger, with link tokens masked in every value the access-log format can use.

    The prefixes are the ones the apps registered when Django started in this worker (the application is
    loaded before the worker serves its first request, so before any access line is written).
    """

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask_tokens(value) if isinstance(value, str) else value for key, value in atoms.items()}


logger_class = TokenMaskingLogger
