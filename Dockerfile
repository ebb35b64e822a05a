# The image of the scaled form (compose.yaml): `switchboard web`, `worker` and `lmtp` from one image.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SWITCHBOARD_DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=8000

WORKDIR /app
# The pinned versions with their hashes first: this layer is rebuilt only when they change.
COPY requirements/main.txt requirements/main.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/main.txt
COPY . .
RUN pip install --no-cache-dir --no-deps . \
    && useradd --system --home-dir /data --shell /usr/sbin/nologin switchboard \
    && mkdir -p /data && chown switchboard:switchboard /data

USER switchboard
VOLUME ["/data"]
EXPOSE 8000 2424
CMD ["switchboard", "web"]
