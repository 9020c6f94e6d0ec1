"""gunicorn's settings in production (the Dockerfile and docker-compose.yml use this file).

Threaded workers (gthread): an idle or slow connection waits in the worker's poller, not in
a worker, so two idle TCP connections no longer take the site down as they did with sync
workers; a request gets a thread only once it has sent data. The access log names the path
without the query string, because personal Atom addresses carry a token there.
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "8"))
# Connections that send nothing are closed after this long; keep-alive too.
keepalive = 5
timeout = 60
graceful_timeout = 30
# Requests are bounded before they reach Django.
limit_request_line = 8190
limit_request_fields = 100
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'
