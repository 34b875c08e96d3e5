# One image, three roles (issue 15): `boot.sh web` (gunicorn, the default), `boot.sh worker`,
# `boot.sh beat`, and the one-off `boot.sh migrate`; see compose.yaml and README "Operations".
# Settings come from the environment (.env.example): SECRET_KEY, DATABASE_URL (PostgreSQL),
# REDIS_URL, GOVFLOW_PROFILE, ...

# The front-end bundles (bpmn-js viewer and editor, the charts) are built, not committed: npm ci
# and esbuild as `make viewer` does, in a stage of their own so node stays out of the final image.
FROM node:20-bookworm-slim AS bundles
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tools ./tools
RUN mkdir -p service/web/static/build && npm run build

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    GOVFLOW_FILES=/data/files \
    GOVFLOW_BACKUP_DIR=/data/backups

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY workflows ./workflows
COPY service ./service
COPY bpmn ./bpmn
COPY boot.sh ./
COPY --from=bundles /build/service/web/static/build ./service/web/static/build

# A user of its own; the folders it writes are its own, so named volumes mounted on /data/files,
# /data/backups and /data/anchors start out owned by it.
RUN useradd --create-home --uid 10001 govflow \
    && mkdir -p /app/instance /data/files /data/backups /data/anchors \
    && chown govflow:govflow /app/instance /data/files /data/backups /data/anchors
USER govflow

EXPOSE 8000
ENTRYPOINT ["./boot.sh"]
CMD ["web"]
