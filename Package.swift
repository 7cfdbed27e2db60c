// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "integrations",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "integrations", targets: ["integrations"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // C system libraries.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        .systemLibrary(
            name: "CXCrypt",
            pkgConfig: "libxcrypt",
            providers: [.apt(["libcrypt-dev"])]
        ),

        // glibc functions Swift cannot see (declared under _GNU_SOURCE): spawn's closefrom, chdir and setsid, accept4.
        .target(name: "CGlibcExtensions"),

        // Our PostgreSQL client: connections, prepared statements, results, pool. Knows nothing of integrations.
        .target(
            name: "LibPQ",
            dependencies: [
                "CLibPQ",
                .product(name: "Logging", package: "swift-log"),
                // Metrics, not only CoreMetrics: its `Timer.record(duration:)` converts a `Duration` without overflow.
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // The domain: documents, ids, tokens, passwords, permission rules, error messages. No HTTP, no SQL.
        .target(
            name: "IntegrationsCore",
            dependencies: [
                "CXCrypt",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The SQL of each use case, and the migrations runner. No HTTP.
        .target(
            name: "IntegrationsStore",
            dependencies: [
                "LibPQ",
                "IntegrationsCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // HTTP: routes, authentication, Rocket.Chat envelopes and errors. No SQL text, no libpq.
        .target(
            name: "IntegrationsAPI",
            dependencies: [
                "IntegrationsCore",
                "IntegrationsStore",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Outgoing webhooks: claims due deliveries from the store, calls them over HTTP, writes the results. No routes.
        .target(
            name: "IntegrationsDelivery",
            dependencies: [
                "LibPQ",
                "IntegrationsCore",
                "IntegrationsStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Process model: configuration, embedded PostgreSQL, start-up, the HTTP listener, supervisor and workers.
        .target(
            name: "IntegrationsServer",
            dependencies: [
                "CGlibcExtensions",
                "LibPQ",
                "IntegrationsCore",
                "IntegrationsStore",
                "IntegrationsAPI",
                "IntegrationsDelivery",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings,
            // sql/'s migrations, compiled in (an installed binary needs no files beside it); the target sees them
            // through the link Migrations/sql, so that adding or removing one rebuilds.
            plugins: ["EmbedMigrations"]
        ),
        // The bundled load test: seeds a known data set, drives integrations.get, verifies samples. Knows the API
        // only from the outside (HTTP), and the database only to seed it.
        .target(
            name: "LoadTest",
            dependencies: [
                "IntegrationsCore",
                "LibPQ",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Turns sql/NNN_name.sql into Swift source at build time (the plugin and the tool it runs on the build machine).
        .plugin(
            name: "EmbedMigrations",
            capability: .buildTool(),
            dependencies: ["EmbedMigrationsTool"]
        ),
        .executableTarget(
            name: "EmbedMigrationsTool",
            swiftSettings: swiftSettings
        ),

        // The command line.
        .executableTarget(
            name: "integrations",
            dependencies: [
                "IntegrationsServer",
                "IntegrationsStore",
                "LoadTest",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        // Unit tests: no database, no socket.
        .testTarget(
            name: "LibPQTests",
            dependencies: ["LibPQ"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IntegrationsAPITests",
            dependencies: [
                "IntegrationsAPI",
                "IntegrationsCore",
                "IntegrationsStore",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IntegrationsServerTests",
            dependencies: [
                "IntegrationsServer",
                "IntegrationsStore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IntegrationsStoreTests",
            dependencies: ["IntegrationsStore", "LibPQ"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IntegrationsDeliveryTests",
            dependencies: ["IntegrationsDelivery", "IntegrationsCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IntegrationsCoreTests",
            dependencies: ["IntegrationsCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LoadTestTests",
            dependencies: ["LoadTest"],
            swiftSettings: swiftSettings
        ),
        // Integration tests: a real PostgreSQL (a throw-away cluster unless DATABASE_URL is set) and a real socket.
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "CGlibcExtensions",
                "LibPQ",
                "IntegrationsCore",
                "IntegrationsStore",
                "IntegrationsAPI",
                "IntegrationsServer",
                "IntegrationsDelivery",
                "LoadTest",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
