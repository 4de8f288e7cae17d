//===----------------------------------------------------------------------===//
// gshare — test helper (not shipped)
//===----------------------------------------------------------------------===//

// `OpenSSLExitProbe CERT.pem [--openssl-cleanup-at-exit]`: threads that parse CERT.pem
// without pause, and the main thread calling exit() while they do, as a gshare command
// ends while other threads are still inside OpenSSL. Exits 0 unless it crashes. Run by
// OpenSSLLifetimeTests, with and without ``OpenSSLLifetime/keepGlobalStateUntilExit()``.

import Foundation
import TenantPKI

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: OpenSSLExitProbe CERT.pem [--openssl-cleanup-at-exit]\n".utf8))
    exit(64)
}
if !arguments.contains("--openssl-cleanup-at-exit") { OpenSSLLifetime.keepGlobalStateUntilExit() }
let bytes = [UInt8](FileManager.default.contents(atPath: arguments[1]) ?? Data())
guard (try? Certificate.parse(fileBytes: bytes, path: arguments[1]))?.isEmpty == false else {
    FileHandle.standardError.write(Data("no certificate in \(arguments[1])\n".utf8))
    exit(65)
}
for _ in 0..<6 {
    Thread {
        while true { _ = try? Certificate.parse(fileBytes: bytes, path: "probe").first?.subject }
    }.start()
}
usleep(30_000)
exit(0)
