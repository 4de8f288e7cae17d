//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI
//===----------------------------------------------------------------------===//

import Foundation

extension GlusterVolumeAddress {
    /// Parses `host:/volume`, `host:port:/volume` or `[ipv6]:/volume` strictly.
    ///
    /// Hosts are DNS names, IPv4 addresses or bracketed IPv6 addresses; volume names are
    /// what GlusterFS allows (letters, digits, `-`, `_`, at most 64). Anything else —
    /// spaces, shell characters, a missing `:/` — is refused with the reason.
    public init(parsing text: String) throws {
        func refuse(_ why: String) -> GlusterFSError {
            GlusterFSError(
                .invalidArgument, operation: "address",
                message: "\"\(text)\" is not HOST:/VOLUME: \(why) (write it like 127.0.0.2:/gshare-pool-01-1G)")
        }
        guard let separator = text.range(of: ":/", options: .backwards) else { throw refuse("there is no ':/' before the volume") }
        let volume = String(text[separator.upperBound...])
        var hostPart = Substring(text[..<separator.lowerBound])
        var port = 24007
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { throw refuse("an IPv6 address lacks its ']'") }
            let rest = hostPart[hostPart.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let number = Int(rest.dropFirst()), (1...65535).contains(number) else {
                    throw refuse("the port after ']' is not a number from 1 to 65535")
                }
                port = number
            }
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
            guard !hostPart.isEmpty, hostPart.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw refuse("\"\(hostPart)\" is not an IPv6 address")
            }
        } else {
            if let colon = hostPart.lastIndex(of: ":") {
                guard let number = Int(hostPart[hostPart.index(after: colon)...]), (1...65535).contains(number) else {
                    throw refuse("the port is not a number from 1 to 65535")
                }
                port = number
                hostPart = hostPart[..<colon]
            }
            let labels = hostPart.split(separator: ".", omittingEmptySubsequences: false)
            guard !hostPart.isEmpty, hostPart.count <= 253, labels.allSatisfy({ label in
                !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                    && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            }) else {
                throw refuse("\"\(hostPart)\" is not a host name or address")
            }
        }
        guard !volume.isEmpty, volume.count <= 64,
            volume.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else {
            throw refuse("\"\(volume)\" is not a volume name (letters, digits, '-' and '_', at most 64)")
        }
        self.init(host: String(hostPart), port: port, volume: volume)
    }
}
