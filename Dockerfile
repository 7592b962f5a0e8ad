# The gxschema image: the command line that migrates, seeds, verifies, backs up and
# restores the GX Protocol database, run by the Jobs in k8s/jobs/.
#
#   docker build -t gxschema:0.1.0 .
#   docker run --rm --read-only --tmpfs /tmp gxschema:0.1.0 --help
#
# Everything is installed at build time: the container needs no network but the
# database's, and writes only to /tmp and the volumes mounted for it.

# Both stages start from one tag of the official image: Python 3.11 on Debian 12
# "bookworm", whose own repositories carry postgresql-client-15. Keep the two FROM
# lines equal; to pin a digest as well, append @sha256:... to both.

# --- build: a wheel of the project, installed with its dependencies into a venv -----
FROM python:3.11.14-slim-bookworm AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /src
# Only what the wheel is built from (see .dockerignore): the migrations in alembic/
# and the seed files in seeds/ ship inside the wheel as gxschema/migrations and
# gxschema/seeds (setup.py copies them, as [tool.gxschema.ship] says).
COPY pyproject.toml setup.py README.md ./
# The exact version of every package installed below (requirements/lock.py writes it
# from pyproject.toml's ranges), so two builds of one commit install the same versions.
COPY requirements/image.txt requirements/
COPY gxschema/ gxschema/
COPY alembic/ alembic/
COPY seeds/ seeds/

# The "demo" extra (Faker) is what devnet's demo seed data needs; one image serves
# every environment, and the --env argument decides what is seeded. PIP_CONSTRAINT
# reaches the isolated environment that builds the wheel too (setuptools, wheel).
RUN python -m venv /opt/venv \
 && PIP_CONSTRAINT=/src/requirements/image.txt \
    python -m pip wheel --no-deps --wheel-dir /wheels . \
 && /opt/venv/bin/python -m pip install -c requirements/image.txt \
    "$(find /wheels -name 'gxschema-*.whl')[demo]" \
 && /opt/venv/bin/gxschema --help > /dev/null

# --- runtime -------------------------------------------------------------------------
FROM python:3.11.14-slim-bookworm AS runtime

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="gxschema" \
      org.opencontainers.image.description="PostgreSQL schema of the GX Protocol backend: migrations, seed data, verification, backup and restore" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.vendor="GX Protocol" \
      org.opencontainers.image.base.name="docker.io/library/python:3.11.14-slim-bookworm"

# pg_dump, pg_restore and psql of PostgreSQL 15 (the server's major version: pg_dump
# refuses a newer server). Debian's security updates move the exact version, so it is
# not pinned: the base image tag pins the Debian release, and bookworm ships only 15.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/* \
 && pg_dump --version | grep -q ' 15\.' \
 && groupadd --system --gid 10001 gxschema \
 && useradd --system --uid 10001 --gid 10001 --home-dir /tmp --no-create-home \
            --shell /usr/sbin/nologin gxschema

COPY --from=build /opt/venv /opt/venv
# The reference data, also as plain files: GXSCHEMA_SEEDS_DIR points the command line
# at them (rather than at the wheel's copy), so a Job can mount other seed files over
# /app/seeds without rebuilding the image.
COPY seeds/ /app/seeds/

# A read-only root filesystem: no bytecode written at run time (pip compiled it at
# build time), HOME and TMPDIR on the /tmp volume, output unbuffered for the logs.
ENV PATH="/opt/venv/bin:${PATH}" \
    GXSCHEMA_SEEDS_DIR=/app/seeds \
    HOME=/tmp \
    TMPDIR=/tmp \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
USER 10001:10001

# The container runs one command and exits (Kubernetes Jobs and CronJobs); there is
# no long-lived process to probe, and Kubernetes ignores image health checks anyway.
HEALTHCHECK NONE

ENTRYPOINT ["gxschema"]
CMD ["--help"]
