//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare {
    struct Doctor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "doctor",
            abstract: "Find what is wrong with the pool, the tenants' certificates and CRLs, and print the fix.",
            discussion: """
                Checks: each pool volume's TLS posture (TLS off or 'maybe', an open or globbed \
                auth.ssl-allow, server.dynamic-auth off, a pending brick restart); system CNs \
                missing from a list; CNs no tenant owns; tenant certificates expired or expiring \
                (expiry_warning_days), revoked ones still let in (tenant_crl_dir); the CRL folder \
                (a CA certificate in it, a CA without a CRL, a CRL past or near nextUpdate); \
                gshare's own certificate; ssl.certificate-depth against the tenant chains; with \
                management TLS, the CN each node presents (learned by a TLS handshake with its \
                glusterd) against system_cns.

                --fix applies only the safe fixes: adding missing system CNs, and removing the CN \
                of an expired or revoked tenant from a share. Everything else is listed with its \
                command.

                Exit status: 0 no critical finding (left); 1 critical findings remain; 2 could not run.
                """
        )

        @Flag(help: "Apply the safe fixes (add missing system CNs, remove expired or revoked tenants' CNs).")
        var fix = false

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let outcome = try await cli.workflows(configuration).doctor(fix: fix)
                try cli.emit(DoctorDocument(outcome)) { DoctorText.doctor(outcome.report, fixes: outcome.fixes, fixing: fix) }
                try cli.finish(outcome.verdict)
            }
        }
    }
}
