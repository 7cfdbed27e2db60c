# The Rocket.Chat Integrations API as a container image.
#
# Build stage: the Swift toolchain image (Debian bookworm) with the headers of libpq and libxcrypt.
FROM swift:6.3-bookworm AS build
# Debian's security updates should reach the image at every build, so versions are not pinned.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq-dev libcrypt-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
# The EmbedMigrations build plugin compiles sql/ into the binary: the runtime image needs no migration files.
COPY Plugins ./Plugins
COPY sql ./sql
RUN swift build -c release --static-swift-stdlib --product integrations \
    && cp "$(swift build -c release --static-swift-stdlib --show-bin-path)/integrations" /integrations

# Runtime stage: slim Debian with the PostgreSQL client library only. No PostgreSQL server inside: set
# DATABASE_URL (docker-compose.yml runs PostgreSQL as a service of its own).
FROM debian:bookworm-slim
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 libcrypt1 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /app integrations
WORKDIR /app
COPY --from=build /integrations /usr/local/bin/integrations
COPY config/integrations.conf ./config/integrations.conf
ENV PORT=3000 \
    BIND_IP=0.0.0.0 \
    LOG_FORMAT=json
# A numeric user, so that Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
EXPOSE 3000 9458
# The supervisor runs as PID 1: it handles SIGTERM (drain) and SIGHUP (reload) and reaps every child.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["/usr/local/bin/integrations", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/integrations"]
CMD ["serve"]
