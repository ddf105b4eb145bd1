# Production image: web (gunicorn), worker and beat share it.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# libpq + gcc build psycopg2; pango/harfbuzz and fonts are what WeasyPrint needs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libpq-dev libpango-1.0-0 \
    libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core postgresql-client \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install -r requirements/base.txt
COPY . .
# collectstatic needs settings to import; these values exist only during the build.
RUN DEBUG=false SECRET_KEY=build-only ALLOWED_HOSTS=build \
    EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend python manage.py collectstatic --no-input
# The French (and any other) translations: locale/*.po compiled to .mo, no gettext needed.
RUN DEBUG=false SECRET_KEY=build-only ALLOWED_HOSTS=build \
    EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend python manage.py compile_translations

RUN useradd --system --uid 1000 app && mkdir -p /app/media && chown app /app/media
USER app
EXPOSE 8000
CMD ["gunicorn", "peacekeeping.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
