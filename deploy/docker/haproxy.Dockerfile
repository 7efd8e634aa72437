# HAProxy for the compose stack: the official image, plus Conveyor's reload hook and socat (which
# the hook talks to HAProxy's sockets with). Runs in master-worker mode with a master CLI so that
# `docker compose exec haproxy haproxy-reload` reloads gracefully and keeps the runtime states the
# pool manager set (deploy/haproxy/README.md).
FROM haproxy:2.8
USER root
RUN apt-get update \
  && apt-get install -y --no-install-recommends socat \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /var/lib/haproxy \
  && chown haproxy:haproxy /var/lib/haproxy
COPY --chmod=0755 deploy/haproxy/haproxy-reload.sh /usr/local/bin/haproxy-reload
USER haproxy
# The hook's settings (see the top of haproxy-reload.sh), matching haproxy.cfg and the command below.
ENV HAPROXY_CONFIG=/usr/local/etc/haproxy/haproxy.cfg \
    HAPROXY_STATS_SOCKET=127.0.0.1:9999 \
    HAPROXY_MASTER_SOCKET=127.0.0.1:9998 \
    HAPROXY_SERVER_STATE_FILE=/var/lib/haproxy/server-state
# -W master-worker, -db in the foreground, -S the master CLI (reload, and the pool manager counting
# the sessions old workers still hold after a reload; compose network only: it has no authentication).
CMD ["haproxy", "-W", "-db", "-S", "ipv4@0.0.0.0:9998", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]
