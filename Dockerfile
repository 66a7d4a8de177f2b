# Inspection Ready service image: `inspection-ready serve` on port 3978.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 inspection
WORKDIR /app

COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cards ./cards
COPY teams ./teams
COPY dialogs ./dialogs
COPY knowledge ./knowledge
COPY notifications ./notifications
COPY store ./store
COPY demo ./demo
COPY manifest ./manifest
RUN pip install . && mkdir -p /app/var && chown inspection: /app/var

USER inspection
# The default SQLite file lives here; set DATABASE_URL to PostgreSQL for replicas.
VOLUME ["/app/var"]
EXPOSE 3978

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3978'), timeout=4)"

CMD ["inspection-ready", "serve"]
