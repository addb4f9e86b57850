# The Posko Bersama duty bot in a container (README.md, "Running in production").
#
#   docker build -t posko-bot .
#   docker run -d --name posko-bot --env-file .env -v posko-data:/data posko-bot
#   docker exec posko-bot posko-bot invite --desk 31.73.01 --role supervisor
#
# or `docker compose up -d` with compose.yaml. The database lives on the volume /data.

# -- build: the project installed from its own files into a virtualenv --
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# What the package is made of (pyproject.toml's wheel packages, and the README it names).
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY scheduler ./scheduler
COPY storage ./storage
RUN python -m venv /opt/venv && /opt/venv/bin/pip install .

# -- run: the virtualenv only, as a user of its own --
FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH \
    POSKO_DB_PATH=/data/posko.db
# A fixed uid, so a bind mount can be given to it: chown 10001:10001 DIR.
RUN groupadd --system --gid 10001 posko \
    && useradd --system --uid 10001 --gid posko --create-home --home-dir /home/posko \
       --shell /usr/sbin/nologin posko \
    && mkdir /data && chown posko:posko /data
COPY --from=build /opt/venv /opt/venv
USER posko
# Matplotlib (the digest chart) builds its font cache once, here, not at the first digest.
RUN python -c "import matplotlib.font_manager"
# The database, its -wal and -shm files: SQLite needs the directory writable. A new named
# volume takes the owner of /data above.
VOLUME ["/data"]
# Relative paths (posko-bot export, digest --out, backup) land on the volume too.
WORKDIR /data

# SIGTERM: the bot finishes the updates it fetched, confirms them, lets the sends in flight
# end and closes the database; give it time (docker stop -t 30, compose's stop_grace_period).
STOPSIGNAL SIGTERM
# The health check asks the running bot itself (posko-bot health: its /readyz on this
# container's loopback, POSKO_STATUS_PORT): the store can be written, updates arrive, the
# sweep runs, the outbox moves. A bot whose event loop hangs does not answer within the
# command's 10 s and turns unhealthy too.
HEALTHCHECK --interval=60s --timeout=20s --start-period=30s --retries=3 \
    CMD ["posko-bot", "health"]
ENTRYPOINT ["posko-bot"]
CMD ["run"]
