# One image for web, worker and beat (docker-compose.yml changes only the command).
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic needs settings to import; these values exist only during the build.
RUN DJANGO_SECRET_KEY=build-only-secret-key-never-used-at-run-time-0123456789 \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput \
 && useradd --system --home /app --shell /usr/sbin/nologin ceasefire \
 && mkdir -p /app/var && chown ceasefire /app/var
USER ceasefire

EXPOSE 8000
# Threaded workers and a log without query strings: config/gunicorn.conf.py.
CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"]
