FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir . \
    && DJANGO_ENV=development python manage.py compile_catalogues \
    && DJANGO_ENV=development python manage.py collectstatic --noinput -v0
RUN useradd --system --uid 1000 asn && chown -R asn /app
USER asn
EXPOSE 8000
CMD ["gunicorn", "asnportal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
