// swift-tools-version:6.1
// Benchmarks live in their own package so that the main build stays lean.
// Run: cd Benchmarks && swift package benchmark   (see ../README.md, "Benchmarks")
import PackageDescription

let package = Package(
    name: "GremienBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Gremien", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "Expansion",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Coordination", package: "Gremien"),
                .product(name: "ICalendar", package: "Gremien"),
                .product(name: "Platform", package: "Gremien"),
            ],
            path: "Benchmarks/Expansion",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Feeds",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Coordination", package: "Gremien"),
                .product(name: "ICalendar", package: "Gremien"),
                .product(name: "Definitions", package: "Gremien"),
                .product(name: "Platform", package: "Gremien"),
                .product(name: "Publishing", package: "Gremien"),
            ],
            path: "Benchmarks/Feeds",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Records",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Coordination", package: "Gremien"),
                .product(name: "ICalendar", package: "Gremien"),
                .product(name: "Definitions", package: "Gremien"),
                .product(name: "Platform", package: "Gremien"),
                .product(name: "Publishing", package: "Gremien"),
                .product(name: "Storage", package: "Gremien"),
                .product(name: "StorageSQLite", package: "Gremien"),
                .product(name: "Workflows", package: "Gremien"),
            ],
            path: "Benchmarks/Records",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Serve",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Coordination", package: "Gremien"),
                .product(name: "Definitions", package: "Gremien"),
                .product(name: "Platform", package: "Gremien"),
                .product(name: "Server", package: "Gremien"),
                .product(name: "Storage", package: "Gremien"),
                .product(name: "StorageSQLite", package: "Gremien"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Benchmarks/Serve",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Not a benchmark target: the plain SwiftNIO server Benchmarks/serve.sh measures beside
        // nginx and gremien serve.
        .executableTarget(
            name: "ServeAnchor",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Benchmarks/ServeAnchor"
        ),
    ],
    swiftLanguageModes: [.v6]
)
