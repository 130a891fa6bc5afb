// swift-tools-version: 6.2
import PackageDescription

// Every module compiles in Swift 6 language mode with strict concurrency (the default for
// tools-version 6) and these upcoming features.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "samtale",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "samtale", targets: ["samtale"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // The functional core: the conference-day engine. Pure: no I/O, no web, no GPIO.
        .target(name: "SamtaleCore", swiftSettings: swiftSettings),
        // The management's report in words and pictures (text, CSV, HTML with inline SVG) from the
        // core's figures; its page is the template Resources/report.html, embedded in the program.
        .target(
            name: "SamtaleReport", dependencies: ["SamtaleCore"], resources: [.embedInCode("Resources/report.html")],
            swiftSettings: swiftSettings),
        // Adapter: the school's schedule file (CSV) to bookings and back.
        .target(name: "SamtaleSchedule", dependencies: ["SamtaleCore", "CSamtaleLinux"], swiftSettings: swiftSettings),
        // A small C shim over libgpiod (1.6 or 2.x, whichever header the build finds).
        .target(name: "CGPIOD", linkerSettings: [.linkedLibrary("gpiod")]),
        // Adapter: the button and the light (libgpiod on a real board; a simulated board).
        .target(name: "SamtaleHardware", dependencies: ["SamtaleCore", "CGPIOD", "CSamtaleLinux"], swiftSettings: swiftSettings),
        // Adapter: the door page, /api/door and /events over HTTP.
        .target(
            name: "SamtaleWeb",
            dependencies: [
                "SamtaleCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The pages, their styles and scripts, and the string catalogues, compiled into the
            // binary (PackageResources.door_html, …): the installed program stays one file.
            resources: [.embedInCode("Resources")],
            swiftSettings: swiftSettings
        ),
        // A small C shim over Linux interfaces (adjtimex) that Glibc does not import.
        .target(name: "CSamtaleLinux", linkerSettings: [.linkedLibrary("crypt")]),
        // The shell: configuration, wiring, services, commands.
        .target(
            name: "SamtaleApp",
            dependencies: [
                "SamtaleCore", "SamtaleSchedule", "SamtaleHardware", "SamtaleWeb", "SamtaleReport", "CSamtaleLinux",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "samtale",
            dependencies: ["SamtaleApp", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),

        // The benchmarks: `swift run -c release samtale-bench …` (figures in Tests/Benchmarks/results.md).
        .executableTarget(
            name: "samtale-bench", dependencies: ["SamtaleSchedule"], path: "Sources/SamtaleBench",
            swiftSettings: swiftSettings),

        // What the test targets share: a seeded generator and its seed, temporary folders, waiting
        // for an event, a kiosk's configuration. A plain target under Tests/, not a test bundle.
        .target(
            name: "SamtaleTestSupport", dependencies: ["SamtaleCore"], path: "Tests/SamtaleTestSupport",
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SamtaleCoreTests",
            dependencies: [
                "SamtaleCore", "SamtaleTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SamtaleReportTests", dependencies: ["SamtaleReport", "SamtaleCore", "SamtaleTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SamtaleScheduleTests", dependencies: ["SamtaleSchedule", "SamtaleTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SamtaleHardwareTests", dependencies: ["SamtaleHardware", "SamtaleTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SamtaleWebTests",
            dependencies: [
                "SamtaleWeb",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SamtaleAppTests",
            dependencies: [
                "SamtaleApp", "SamtaleSchedule", "SamtaleTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
