//===----------------------------------------------------------------------===//
// gshare — GShareProcess
//===----------------------------------------------------------------------===//

internal import SystemPackage
#if canImport(Glibc)
internal import Glibc
#endif

/// The descriptor a child reads as its stdin.
///
/// Bytes go into a file, never a pipe: written before the child exists, the child reads
/// them at its own pace, and a child that exits without reading them cannot make gshare
/// write to a pipe with no reader, which raises `SIGPIPE` (fatal by default) — swift-
/// subprocess leaves `SIGPIPE` alone, and gshare does not change process-wide signal
/// dispositions. The file is created with `O_EXCL | O_CLOEXEC`, mode 0600, in `/dev/shm`
/// (memory) or the temporary directory, and unlinked before the bytes are written, so no
/// other process can open it and nothing is left behind.
enum StandardInput {
    /// A new descriptor (close it after the run): `/dev/null` for nil, else a file holding `bytes`.
    static func open(_ bytes: [UInt8]?, for command: ChildProcess) throws -> FileDescriptor {
        guard let bytes else {
            do {
                return try FileDescriptor.open("/dev/null", .readOnly, options: [.closeOnExec])
            } catch {
                throw failure(command, "cannot open /dev/null for its stdin: \(error)", errno: (error as? Errno)?.rawValue ?? 0)
            }
        }
        var lastError: Errno?
        for directory in directories() {
            let name = FilePath(directory).appending(".gshare-stdin-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))")
            let file: FileDescriptor
            do {
                file = try FileDescriptor.open(
                    name, .readWrite, options: [.create, .exclusiveCreate, .noFollow, .closeOnExec], permissions: .ownerReadWrite)
            } catch {
                lastError = error as? Errno
                continue
            }
            _ = name.withPlatformString { unlink($0) }
            do {
                _ = try file.writeAll(bytes)
                _ = try file.seek(offset: 0, from: .start)
                return file
            } catch {
                try? file.close()
                lastError = error as? Errno
            }
        }
        throw failure(
            command, "cannot store its \(bytes.count) bytes of stdin in \(directories().joined(separator: " or ")): \(lastError.map { "\($0)" } ?? "no directory")",
            errno: lastError?.rawValue ?? 0)
    }

    private static func directories() -> [String] {
        var candidates = ["/dev/shm"]
        if let temporary = getenv("TMPDIR").map({ String(cString: $0) }), !temporary.isEmpty { candidates.append(temporary) }
        candidates.append("/tmp")
        return candidates
    }

    private static func failure(_ command: ChildProcess, _ message: String, errno: Int32) -> ChildProcessError {
        ChildProcessError(
            .inputFailed, command: command, message: message,
            fix: "make /dev/shm or the temporary directory (TMPDIR, /tmp) writable, with space to spare", errno: errno)
    }
}
