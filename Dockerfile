# govflow under gunicorn. Production settings come from the environment:
# DATABASE_URL (PostgreSQL), REDIS_URL, SECRET_KEY, GOVFLOW_PROFILE.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY workflows ./workflows
COPY service ./service
COPY bpmn ./bpmn
COPY boot.sh ./

RUN useradd --create-home --uid 10001 govflow && mkdir -p /app/instance && chown govflow /app/instance
USER govflow

EXPOSE 8000
CMD ["./boot.sh"]
