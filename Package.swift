// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "gshare",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gshare", targets: ["gshare"]),
        .library(name: "TenantPKI", targets: ["TenantPKI"]),
        .library(name: "GlusterFSAPI", targets: ["GlusterFSAPI"]),
        .library(name: "GShareSSH", targets: ["GShareSSH"]),
        .library(name: "TenantRegistry", targets: ["TenantRegistry"]),
        .library(name: "GShareWorkflows", targets: ["GShareWorkflows"]),
        .executable(name: "gshare-gfapi-worker", targets: ["gshare-gfapi-worker"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        // swift-subprocess's own dependency; GShareProcess names its FileDescriptor and FilePath.
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
        // gshare serve: the share API (HTTP), graceful shutdown, Prometheus metrics.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Hummingbird's own dependencies, named by the share API (HTTP field names, the channel).
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(
            name: "TenantPKI",
            dependencies: ["COpenSSL", "GShareTOML"],
            swiftSettings: swiftSettings
        ),
        // libgfapi. No pkgConfig: SwiftPM cannot parse glusterfs-api.pc (a C comment on its
        // Version line); the header defines what its Cflags would.
        .systemLibrary(
            name: "CGlusterFSAPI",
            providers: [.apt(["libglusterfs-dev"])]
        ),
        // Every child process gshare starts (the gluster CLI, the gfapi worker): swift-subprocess
        // behind a small API with deadlines, bounded output and a watchdog thread.
        .target(
            name: "GShareProcess",
            dependencies: [
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GlusterFSAPI",
            dependencies: ["CGlusterFSAPI", "GShareProcess"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "gshare-gfapi-worker",
            dependencies: ["GlusterFSAPI"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GShareTOML",
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CLibSSH2",
            pkgConfig: "libssh2",
            providers: [.apt(["libssh2-1-dev"])]
        ),
        .target(
            name: "GShareSSH",
            // COpenSSL: HMAC-SHA1 for hashed known_hosts entries (libssh2 links OpenSSL but exports no HMAC).
            dependencies: ["CLibSSH2", "COpenSSL", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GlusterDriver",
            dependencies: [
                "GShareTOML", "TenantPKI", "GlusterFSAPI", "GShareSSH", "GShareProcess", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The tenant registry and audit log: SQLite (libsqlite3-dev) through GRDB.
        .target(
            name: "TenantRegistry",
            dependencies: ["TenantPKI", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GShareDoctor",
            dependencies: ["GlusterDriver", "TenantPKI"],
            swiftSettings: swiftSettings
        ),
        // The workflows: every rule and every audit entry, below every front end (the CLI,
        // later the HTTP server). Front ends parse, call one workflow, render.
        .target(
            name: "GShareWorkflows",
            dependencies: [
                "TenantPKI", "TenantRegistry", "GlusterFSAPI", "GlusterDriver", "GShareDoctor", "GShareSSH",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The share API (OpenStack Manila v2 subset) over the workflows: routes parse, call one
        // workflow and render Manila's views; no rule lives here.
        .target(
            name: "GShareService",
            dependencies: [
                "GShareWorkflows", "GlusterDriver", "TenantPKI", "TenantRegistry",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "gshare",
            dependencies: [
                "GShareService",
                "GShareWorkflows",
                "TenantPKI",
                "TenantRegistry",
                "GlusterFSAPI",
                "GlusterDriver",
                "GShareDoctor",
                "GShareSSH",
                "gshare-gfapi-worker",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GShareTestSupport",
            path: "Tests/GShareTestSupport",
            swiftSettings: swiftSettings
        ),
        // The workflows over an in-memory pool (unit tests of the workflows and the share API).
        .target(
            name: "WorkflowTestbed",
            dependencies: [
                "GShareWorkflows", "GlusterDriver", "TenantPKI", "TenantRegistry", "GShareTestSupport",
                .product(name: "Logging", package: "swift-log"), .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            path: "Tests/WorkflowTestbed",
            swiftSettings: swiftSettings
        ),
        // A test helper: threads inside OpenSSL while the main thread exits (OpenSSLLifetimeTests).
        .executableTarget(
            name: "OpenSSLExitProbe",
            dependencies: ["TenantPKI"],
            path: "Tests/OpenSSLExitProbe",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TenantPKITests",
            dependencies: ["TenantPKI", "OpenSSLExitProbe", "GShareTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GShareProcessTests",
            dependencies: ["GShareProcess", "GlusterDriver", "GlusterFSAPI", "GShareTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GlusterFSAPITests",
            dependencies: ["GlusterFSAPI", "gshare-gfapi-worker", "TenantPKI", "GShareTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GlusterDriverTests",
            dependencies: ["GlusterDriver", "TenantPKI", "GlusterFSAPI", "GShareSSH", "gshare-gfapi-worker", "GShareTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GShareDoctorTests",
            dependencies: ["GShareDoctor", "GlusterDriver", "TenantPKI", "GShareTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GShareSSHTests",
            dependencies: ["GShareSSH", "GShareTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TenantRegistryTests",
            dependencies: ["TenantRegistry", "TenantPKI", "GShareTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GShareTOMLTests",
            dependencies: ["GShareTOML", "GShareTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GShareWorkflowsTests",
            dependencies: [
                "GShareWorkflows", "GlusterDriver", "TenantPKI", "TenantRegistry", "GShareDoctor", "GShareTestSupport", "WorkflowTestbed",
                .product(name: "Logging", package: "swift-log"), .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Replays every fuzz corpus (fixtures/fuzz) through the entry functions the libFuzzer
        // targets call (Fuzz/, which only scripts/fuzz builds), plus the round-trip property tests.
        .testTarget(
            name: "FuzzCorpusTests",
            dependencies: ["GShareTOML", "GlusterDriver", "GShareSSH", "GlusterFSAPI", "TenantPKI", "GShareTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GShareServiceTests",
            dependencies: [
                "GShareService", "GShareWorkflows", "GlusterDriver", "TenantPKI", "TenantRegistry", "GShareTestSupport", "WorkflowTestbed",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "gshareTests",
            dependencies: [
                "gshare",
                "GShareWorkflows",
                "TenantPKI",
                "GlusterFSAPI",
                "GlusterDriver",
                "GShareTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
