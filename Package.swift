// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Gremien",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gremien", targets: ["gremien"]),
        .library(name: "Coordination", targets: ["Coordination"]),
        .library(name: "ICalendar", targets: ["ICalendar"]),
        .library(name: "Definitions", targets: ["Definitions"]),
        .library(name: "Publishing", targets: ["Publishing"]),
        .library(name: "Storage", targets: ["Storage"]),
        .library(name: "StorageSQLite", targets: ["StorageSQLite"]),
        .library(name: "StoragePostgres", targets: ["StoragePostgres"]),
        .library(name: "Platform", targets: ["Platform"]),
        .library(name: "Workflows", targets: ["Workflows"]),
        .library(name: "Server", targets: ["Server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // The pure domain: no IO, no clock; time zones and "now" are parameters.
        .target(name: "Coordination"),
        // libical 3.0 (Debian's libical-dev) as a system library; only ICalendar imports it.
        // Linked as `-lical` by the module map, without pkg-config: its Libs add libicalss and
        // libicalvcal (and through them Berkeley DB), which Gremien never calls and every
        // `gremien` command would load at start.
        .systemLibrary(name: "CLibical", providers: [.apt(["libical-dev"])]),
        .target(name: "ICalendar", dependencies: ["Coordination", "CLibical"]),
        // The machine: system time zones, the clock, atomic file writes, random secrets.
        .target(name: "Platform", dependencies: ["Coordination"]),
        // E-mail: MIME messages and an SMTP client on SwiftNIO (STARTTLS with swift-nio-ssl).
        .target(
            name: "Mail",
            dependencies: [
                "Coordination",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),
        // Reads calendars/ (YAML) into domain values, with file:line:field diagnostics.
        .target(name: "Definitions", dependencies: ["Coordination", "Yams"]),
        // The store protocol, its errors, the hash-chained event log and an in-memory store;
        // SQLite (GRDB) beside it.
        .target(
            name: "Storage", dependencies: ["Coordination", .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "StorageSQLite",
            dependencies: [
                "Storage", "Coordination", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"), "CSQLiteSettings",
            ]),
        // Process-wide settings of the system SQLite (a C header: `sqlite3_config` is variadic).
        .systemLibrary(name: "CSQLiteSettings"),
        // PostgreSQL (postgres-nio) for several instances on one database: the same rows and
        // refusals, writes serialised by an advisory lock, changes announced with NOTIFY.
        .target(
            name: "StoragePostgres",
            dependencies: [
                "Storage", "Coordination", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),
        // Domain -> feeds (ICS through ICalendar).
        .target(
            name: "Publishing",
            dependencies: [
                "Coordination", "ICalendar", .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        // Every use case once (permission, plausibility, store writes) for the CLI, the pages and the API.
        .target(
            name: "Workflows",
            dependencies: [
                "Coordination", "Platform", "Definitions", "Storage", "Publishing", "Mail",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]),
        // Hummingbird application: feeds with ETag/304/gzip, JSON API, coordinators' web pages.
        .target(
            name: "Server",
            dependencies: [
                "Coordination", "ICalendar", "Platform", "Publishing", "Storage", "Workflows",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .executableTarget(
            name: "gremien",
            dependencies: [
                "Coordination", "ICalendar", "Definitions", "Platform", "Publishing", "Storage", "StorageSQLite",
                "StoragePostgres", "Workflows", "Server", "Mail",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            exclude: ["exports.map"],
            // The static Swift runtime links with --export-dynamic, which put every public
            // symbol of every module (55,000) into the dynamic symbol table; the runtime's
            // start-up `dladdr` walks that table, and the loader maps it. The program exports
            // only `main`.
            linkerSettings: [
                .unsafeFlags(
                    ["-Xlinker", "--version-script=\(Context.packageDirectory)/Sources/gremien/exports.map"],
                    .when(platforms: [.linux], configuration: .release))
            ]
        ),
        // Development tool: libical's iterator in its own process, for the differential test.
        .executableTarget(name: "libical-oracle", dependencies: ["Coordination", "ICalendar"]),
        // What the test targets share: the fixture district, a store of each kind, the store
        // contract and the server fixture.
        .target(
            name: "GremienTestSupport",
            dependencies: [
                "Coordination", "Definitions", "Platform", "Storage", "StorageSQLite", "StoragePostgres", "Server",
                "Workflows",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
            ],
            path: "Tests/GremienTestSupport",
            exclude: ["Fixtures"]),
        .testTarget(name: "CoordinationTests", dependencies: ["Coordination"]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Storage", "StorageSQLite", "Definitions", "Coordination", "ICalendar", "GremienTestSupport",
                "Workflows", "Platform", "Publishing",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ]),
        .testTarget(
            name: "DefinitionsTests",
            dependencies: [
                "Definitions", "Coordination", "ICalendar", "Platform", "GremienTestSupport",
                .product(name: "Yams", package: "Yams"),
            ]),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage", "StorageSQLite", "StoragePostgres", "Definitions", "Coordination", "GremienTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(
            name: "WorkflowsTests",
            dependencies: [
                "Workflows", "Storage", "StorageSQLite", "Coordination", "Platform", "Publishing", "ICalendar",
                "GremienTestSupport", "Mail",
            ],
            exclude: ["Golden", "Replies"]),
        .testTarget(
            name: "PublishingTests",
            dependencies: [
                "Publishing", "Definitions", "Coordination", "ICalendar", "Platform", "GremienTestSupport",
                .product(name: "CSV", package: "CSV.swift"), .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            exclude: ["Golden"]),
        .testTarget(name: "MailTests", dependencies: ["Mail"]),
        .testTarget(
            name: "ICalendarTests",
            dependencies: ["Coordination", "ICalendar", "Platform", "libical-oracle", "GremienTestSupport"]),
        // The command line: in process where a command's workflow can be called directly, and one
        // process run of the built `gremien` per command.
        .testTarget(
            name: "CLITests",
            dependencies: [
                "gremien", "Coordination", "Platform", "Storage", "StorageSQLite", "Workflows", "GremienTestSupport",
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)

// As Hummingbird does: `any` spelled out for existentials, and members used only from modules a
// file imports itself.
for target in package.targets where target.type != .system {
    target.swiftSettings =
        (target.swiftSettings ?? []) + [
            .enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility"),
        ]
}
