//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

// Public imports: the conformances below are of public types of other modules (the
// executable exports nothing, but Swift requires it).
public import ArgumentParser
public import Logging
public import TenantPKI
public import TenantRegistry

// The value sets the commands accept: the parser lists them in help and in its error for
// an unknown value ("Please provide one of 'p256', 'p384', …").
extension KeyType: ExpressibleByArgument {}
extension CertificateProfile: ExpressibleByArgument {}
extension RevocationReason: ExpressibleByArgument {}
extension APIUserRecord.Role: ExpressibleByArgument {}
extension CertificateHierarchy: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
