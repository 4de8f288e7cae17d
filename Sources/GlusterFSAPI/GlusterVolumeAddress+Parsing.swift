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
                guard rest.hasPrefix(":"), let number = Self.port(rest.dropFirst()) else {
                    throw refuse("the port after ']' is not a number from 1 to 65535")
                }
                port = number
            }
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
            // The characters first (ASCII only: Character.isHexDigit also takes fullwidth
            // digits), then the address itself: "[.]" or "[127.0.0.]" is no IPv6 address.
            var address = in6_addr()
            guard !hostPart.isEmpty, hostPart.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit || $0 == ":" || $0 == "." }),
                inet_pton(AF_INET6, String(hostPart), &address) == 1
            else {
                throw refuse("\"\(hostPart)\" is not an IPv6 address")
            }
        } else {
            if let colon = hostPart.lastIndex(of: ":") {
                guard let number = Self.port(hostPart[hostPart.index(after: colon)...]) else {
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
            // Digits and dots only is meant as an IPv4 address, and must be one ("999.1.1.1" is not).
            var address = in_addr()
            if hostPart.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), inet_pton(AF_INET, String(hostPart), &address) != 1 {
                throw refuse("\"\(hostPart)\" is not an IPv4 address")
            }
        }
        // GlusterFS's rule (cli_validate_volname): no name starts with '-'.
        guard !volume.isEmpty, volume.count <= 64, volume.first != "-",
            volume.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else {
            throw refuse("\"\(volume)\" is not a volume name (letters, digits, '-' and '_', not starting with '-', at most 64)")
        }
        self.init(host: String(hostPart), port: port, volume: volume)
    }

    /// A port written in decimal digits only (no sign, at most 5 digits), from 1 to 65535.
    private static func port(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 5, text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }), let number = Int(text),
            (1...65535).contains(number)
        else { return nil }
        return number
    }
}
