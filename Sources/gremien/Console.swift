import Foundation

/// Where a command writes: standard output and standard error, or, for a command run in process
/// (the tests), buffers of its own. Every command writes through `printOut` and `printError`.
struct Console: Sendable {
    let out: @Sendable (Data) -> Void
    let err: @Sendable (Data) -> Void

    static let standard = Console(
        out: { FileHandle.standardOutput.write($0) }, err: { FileHandle.standardError.write($0) })

    /// The console of the running command.
    @TaskLocal static var current = Console.standard
}

func printError(_ line: String) {
    Console.current.err(Data((line + "\n").utf8))
}

func printOut(_ text: String) {
    Console.current.out(Data(text.utf8))
}

func printOut(_ data: Data) {
    Console.current.out(data)
}
