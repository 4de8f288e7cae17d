// swift-tools-version:6.1
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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
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
        .target(
            name: "GShareTOML",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "gshare",
            dependencies: [
                "TenantPKI",
                "GShareTOML",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GShareTestSupport",
            path: "Tests/GShareTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TenantPKITests",
            dependencies: ["TenantPKI", "GShareTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GShareTOMLTests",
            dependencies: ["GShareTOML", "GShareTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "gshareTests",
            dependencies: [
                "gshare",
                "TenantPKI",
                "GShareTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
