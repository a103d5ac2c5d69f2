"""gunicorn settings for `make run`; override with GUNICORN_* environment variables."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
# Threaded workers: a sync worker is killed when one response takes longer
# than `timeout`, which cut off large exports mid-file (a 100,000-row CSV
# streams for about 20 s). gthread workers keep reporting to the arbiter while
# a thread streams. Each thread has its own haystack backend and searcher.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = "-"
errorlog = "-"
wsgi_app = "archive.wsgi:application"
