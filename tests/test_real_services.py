"""The settings switch: DATABASE_URL and REDIS_URL select the real services (as in production)."""

import os

import pytest
import redis

from meso_clinic.core.tasks import healthcheck


def test_database_url_selects_postgresql(postgres):
    assert postgres.vendor == "postgresql"
    with postgres.cursor() as cursor:
        cursor.execute("select current_setting('server_version_num')::int")
        assert cursor.fetchone()[0] >= 130000


def test_redis_url_selects_the_redis_broker_and_cache(redis_url):
    from django.core.cache import cache

    from meso_clinic.celery import app

    assert app.conf.broker_url == os.environ["REDIS_URL"]
    cache.set("meso-test", 42, 5)
    assert cache.get("meso-test") == 42
    # The cache really is that Redis: what Django stored is there under its key, read by a plain client.
    raw = redis.Redis.from_url(redis_url)
    assert raw.get(cache.make_key("meso-test")) == b"42"
    assert 0 < raw.ttl(cache.make_key("meso-test")) <= 5


@pytest.mark.integration
def test_a_real_worker_runs_a_task_through_redis(celery_worker_process, reception, physician):
    result = healthcheck.delay()
    # The worker is a separate process on the same PostgreSQL test database: it counts our two users.
    assert result.get(timeout=60) == {"database": "postgresql", "staff_accounts": 2}
    assert celery_worker_process.poll() is None
