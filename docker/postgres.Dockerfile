# Postgres 15 from Debian on the same base as the judge images (no other registry needed).
# Environment: POSTGRES_USER [judge], POSTGRES_DB [judge], POSTGRES_PASSWORD (required),
# PGPORT [5432]. Data in /var/lib/postgresql/data (a volume); initialised on first start.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update -q \
 && apt-get install -y -q --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
COPY docker/postgres.sh /usr/local/bin/postgres-entry
ENV PGDATA=/var/lib/postgresql/data PGPORT=5432 PATH=/usr/lib/postgresql/15/bin:$PATH
VOLUME /var/lib/postgresql/data
HEALTHCHECK --interval=2s --timeout=3s --retries=30 \
  CMD pg_isready -q -h 127.0.0.1 -p "$PGPORT" -U "${POSTGRES_USER:-judge}" || exit 1
CMD ["postgres-entry"]
