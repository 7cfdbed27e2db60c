# Build stage: the Swift toolchain image, with libpq and libxcrypt headers.
FROM swift:6.3-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq-dev libcrypt-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product integrations \
    && cp "$(swift build -c release --static-swift-stdlib --show-bin-path)/integrations" /integrations

# Runtime stage: slim Debian with libpq only; the service runs as an unprivileged user.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 libcrypt1 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /app integrations
WORKDIR /app
COPY --from=build /integrations /usr/local/bin/integrations
COPY sql ./sql
COPY config ./config
USER integrations
EXPOSE 3000
ENTRYPOINT ["/usr/local/bin/integrations"]
CMD ["serve"]
