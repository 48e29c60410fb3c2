# Redis 7 from Debian on the same base as the judge images. REDIS_PORT [6379]; data in /data.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update -q \
 && apt-get install -y -q --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && mkdir -p /data && chown redis:redis /data
ENV REDIS_PORT=6379
VOLUME /data
HEALTHCHECK --interval=2s --timeout=3s --retries=30 \
  CMD redis-cli -p "$REDIS_PORT" ping | grep -q PONG || exit 1
# appendonly: the judge queue survives a restart of the container.
CMD ["sh", "-c", "exec runuser -u redis -- redis-server --bind 0.0.0.0 --port \"$REDIS_PORT\" --protected-mode no --dir /data --appendonly yes"]
