# 绿色制造名单动态管理台账 Green List Ledger — the API image.
# Configured entirely by GREENLEDGER_* variables (README.md); without GREENLEDGER_DATABASE_URL it keeps
# a SQLite ledger in /app/var (mount a volume there to keep it).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY domain ./domain
COPY readside ./readside
COPY seal ./seal
COPY api ./api
RUN pip install . \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin greenledger \
    && mkdir -p /app/var \
    && chown greenledger /app/var

USER greenledger
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]
CMD ["greenledger", "serve", "--host", "0.0.0.0", "--port", "8000"]
