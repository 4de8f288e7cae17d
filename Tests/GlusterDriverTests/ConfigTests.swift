//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import GlusterDriver
import TenantPKI
import Testing

@Suite("gshare.toml: every key, defaults, paths, secrets and where the file is found")
struct ConfigTests {
    @Test func theSmallestConfigurationGetsEveryDefault() throws {
        let config = try parseConfig(minimalConfig(), environment: ["HOME": "/home/op", "XDG_STATE_HOME": "/state"])
        #expect(config.source == "/etc/gshare/gshare.toml")
        #expect(config.targets == [GlusterTarget(server: GlusterServer(user: "root", host: "gluster1", port: nil), volume: "share-1")])
        #expect(config.servers.isEmpty && config.volumePattern == nil)
        #expect(config.privateKeyPath == nil && config.serverPassword == nil && config.mountPointBase == nil)
        #expect(config.manager == nil && config.tenantCA == nil)
        #expect(config.systemCNs.map(\.value) == ["gluster1", "gshare-manager"])
        #expect(config.glusterCommand == "/usr/sbin/gluster")
        #expect(config.commandTimeout == .seconds(120))
        #expect(config.tenantCRLDirectory == nil && config.expiryWarningDays == 30)
        #expect(config.stateDirectory == GShareConfig.defaultStateDirectory(environment: ["HOME": "/home/op", "XDG_STATE_HOME": "/state"]))
    }

    @Test func everyKeyIsRead() throws {
        let config = try parseConfig(
            """
            glusterfs_targets = [
                "root@gluster1:/share-1",   # a comment between elements
                'admin@[fd00::5]:2222:/share-2',
            ]
            glusterfs_servers = ["root@gluster2", "gluster3"]
            glusterfs_volume_pattern = 'manila-share-volume-#{size}G-\\d+'
            glusterfs_path_to_private_key = "/etc/gshare/ssh/id_ed25519"
            glusterfs_server_password = { env = "GSHARE_SSH_PASSWORD" }
            glusterfs_mount_point_base = "/mnt/gshare"
            manager_cert = "/etc/gshare/tls/m.pem"
            manager_key = "/etc/gshare/tls/m.key"
            manager_ca = "/etc/gshare/tls/ca.pem"
            system_cns = ["gluster1", "gluster2", "gshare-manager"]
            tenant_ca = "/etc/gshare/tls/tenant-root.pem"
            state_dir = "/srv/gshare"
            gluster_cli = "/opt/gluster/bin/gluster"
            command_timeout_seconds = 300
            tenant_crl_dir = "/etc/gshare/tls/tenant-crl"
            expiry_warning_days = 14
            """)
        #expect(config.targets.map(\.description) == ["root@gluster1:/share-1", "admin@[fd00::5]:2222:/share-2"])
        #expect(config.servers.map(\.description) == ["root@gluster2", "gluster3"])
        #expect(config.volumePattern?.match("manila-share-volume-5G-1") == VolumePatternMatch(sizeGB: 5))
        #expect(config.privateKeyPath == "/etc/gshare/ssh/id_ed25519")
        #expect(config.serverPassword == .environment("GSHARE_SSH_PASSWORD"))
        #expect(config.mountPointBase == "/mnt/gshare")
        #expect(config.manager == ManagerIdentity(certificate: "/etc/gshare/tls/m.pem", privateKey: "/etc/gshare/tls/m.key", certificateAuthorities: "/etc/gshare/tls/ca.pem"))
        #expect(config.systemCNs.map(\.value) == ["gluster1", "gluster2", "gshare-manager"])
        #expect(config.tenantCA == "/etc/gshare/tls/tenant-root.pem")
        #expect(config.stateDirectory == "/srv/gshare")
        #expect(config.glusterCommand == "/opt/gluster/bin/gluster")
        #expect(config.commandTimeout == .seconds(300))
        #expect(config.tenantCRLDirectory == "/etc/gshare/tls/tenant-crl")
        #expect(config.expiryWarningDays == 14)
    }

    @Test func discoveryAloneIsEnough() throws {
        let config = try parseConfig(
            """
            glusterfs_servers = ["root@gluster2"]
            glusterfs_volume_pattern = "pool-#{size}G"
            system_cns = ["gluster2"]
            """)
        #expect(config.targets.isEmpty)
        #expect(config.allServers.map(\.description) == ["root@gluster2"])
    }

    @Test func allServersListsTargetsServersThenDiscoveryServersOnce() throws {
        let config = try parseConfig(
            """
            glusterfs_targets = ["root@g1:/a", "g0:/b", "root@g1:/c"]
            glusterfs_servers = ["root@g2", "root@g1", "g0"]
            glusterfs_volume_pattern = "p-#{size}G"
            system_cns = ["g1"]
            """)
        #expect(config.allServers.map(\.description) == ["root@g1", "g0", "root@g2"])
    }

    @Test func theExpiryWarningWindowAcceptsItsBounds() throws {
        #expect(try parseConfig(minimalConfig("expiry_warning_days = 1")).expiryWarningDays == 1)
        #expect(try parseConfig(minimalConfig("expiry_warning_days = 365")).expiryWarningDays == 365)
    }

    @Test func theTenantCRLFolderIsResolvedLikeEveryPath() throws {
        let config = try GShareConfig.parse(minimalConfig(#"tenant_crl_dir = "tls/crl""#), source: "/srv/site/gshare.toml", environment: [:])
        #expect(config.tenantCRLDirectory == "/srv/site/tls/crl")
    }

    @Test func theTimeoutAcceptsItsBounds() throws {
        #expect(try parseConfig(minimalConfig("command_timeout_seconds = 1")).commandTimeout == .seconds(1))
        #expect(try parseConfig(minimalConfig("command_timeout_seconds = 3600")).commandTimeout == .seconds(3600))
    }

    // MARK: Paths

    @Test func relativePathsAreResolvedAgainstTheConfigurationsFolder() throws {
        let config = try GShareConfig.parse(
            minimalConfig(
                """
                glusterfs_path_to_private_key = "ssh/id_ed25519"
                manager_cert = "tls/m.pem"
                manager_key = "./tls/m.key"
                manager_ca = "../shared/ca.pem"
                tenant_ca = "/abs/tenant.pem"
                state_dir = "state"
                gluster_cli = "bin/gluster"
                glusterfs_server_password = { file = "secrets/pw" }
                """), source: "/srv/site/gshare.toml", environment: [:])
        #expect(config.privateKeyPath == "/srv/site/ssh/id_ed25519")
        #expect(config.manager?.certificate == "/srv/site/tls/m.pem")
        #expect(config.manager?.privateKey == "/srv/site/tls/m.key")
        #expect(config.manager?.certificateAuthorities == "/srv/shared/ca.pem")
        #expect(config.tenantCA == "/abs/tenant.pem")
        #expect(config.stateDirectory == "/srv/site/state")
        #expect(config.glusterCommand == "/srv/site/bin/gluster")
        #expect(config.serverPassword == .file("/srv/site/secrets/pw"))
    }

    @Test func aLoadedFilesRelativePathsFollowTheFileNotTheCurrentFolder() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("gshare.toml")
        try minimalConfig(#"tenant_ca = "tenant.pem""#).write(to: file, atomically: true, encoding: .utf8)
        let config = try GShareConfig.load(fileAt: file.path, environment: [:])
        #expect(config.tenantCA == folder.appendingPathComponent("tenant.pem").standardizedFileURL.path)
        #expect(config.source == file.path)
    }

    @Test func aTildeMeansHome() throws {
        let config = try parseConfig(minimalConfig(#"glusterfs_path_to_private_key = "~/.ssh/id_rsa""#), environment: ["HOME": "/home/op"])
        #expect(config.privateKeyPath == "/home/op/.ssh/id_rsa")
        let error = try #require(configError { try parseConfig(minimalConfig(#"tenant_ca = "~/ca.pem""#), environment: [:]) })
        #expect(error.code == .invalidPath && error.key == "tenant_ca" && error.message.contains("$HOME"))
    }

    @Test func theDefaultStateDirectoryDependsOnWhoRuns() {
        #expect(GShareConfig.defaultStateDirectory(environment: ["HOME": "/home/op"], isRoot: true) == "/var/lib/gshare")
        #expect(GShareConfig.defaultStateDirectory(environment: ["HOME": "/home/op", "XDG_STATE_HOME": "/xdg"], isRoot: false) == "/xdg/gshare")
        #expect(GShareConfig.defaultStateDirectory(environment: ["HOME": "/home/op", "XDG_STATE_HOME": "rel"], isRoot: false) == "/home/op/.local/state/gshare")
        #expect(GShareConfig.defaultStateDirectory(environment: ["HOME": "/home/op"], isRoot: false) == "/home/op/.local/state/gshare")
    }

    // MARK: Secrets

    @Test func anInlinePasswordIsKeptButNeverShown() throws {
        let config = try parseConfig(minimalConfig(#"glusterfs_server_password = "s3cret-pw""#))
        #expect(config.serverPassword == .inline("s3cret-pw"))
        #expect(try config.serverPassword?.resolve(environment: [:]) == "s3cret-pw")
        #expect(config.serverPassword?.description == "***inline***")
        #expect(!"\(String(describing: config.serverPassword))".contains("s3cret"))
        #expect(config.warnings(checkingFiles: false).contains { $0.contains("inline") && $0.contains("0600") })
    }

    @Test func anEnvironmentPasswordIsReadWhenResolved() throws {
        let secret = SecretSource.environment("GSHARE_PW")
        #expect(secret.description == "env:GSHARE_PW")
        #expect(try secret.resolve(environment: ["GSHARE_PW": "from-env"]) == "from-env")
    }

    @Test func aMissingOrEmptyVariableIsAClearError() throws {
        let missing = try #require(configError { try SecretSource.environment("GSHARE_PW").resolve(environment: [:]) })
        #expect(missing.code == .secretUnavailable)
        #expect(missing.key == "glusterfs_server_password")
        #expect(missing.description == "glusterfs_server_password: the environment variable GSHARE_PW is not set; export GSHARE_PW in gshare's environment")
        let empty = try #require(configError { try SecretSource.environment("GSHARE_PW").resolve(environment: ["GSHARE_PW": ""]) })
        #expect(empty.code == .secretUnavailable && empty.message.contains("empty"))
    }

    @Test func aPasswordFileIsReadWithoutItsTrailingLineBreak() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("pw")
        try "file-pw\n".write(to: file, atomically: true, encoding: .utf8)
        let secret = SecretSource.file(file.path)
        #expect(secret.description == "file:\(file.path)")
        #expect(try secret.resolve() == "file-pw")

        let missing = try #require(configError { try SecretSource.file(folder.appendingPathComponent("none").path).resolve() })
        #expect(missing.code == .secretUnavailable && missing.message.contains("cannot read the password file"))
        try "".write(to: file, atomically: true, encoding: .utf8)
        #expect(configError { try secret.resolve() }?.message.contains("is empty") == true)
    }

    @Test func passwordReferencesAreParsedFromInlineTables() throws {
        #expect(try parseConfig(minimalConfig(#"glusterfs_server_password = { env = "PW_1" }"#)).serverPassword == .environment("PW_1"))
        #expect(try parseConfig(minimalConfig(#"glusterfs_server_password = { file = "/run/pw" }"#)).serverPassword == .file("/run/pw"))
    }

    // MARK: Validation beyond the corpus

    @Test func aMissingManagerKeyNamesItAndTheLineOfTheGivenOnes() throws {
        let error = try #require(
            configError { try parseConfig(minimalConfig("manager_cert = \"a.pem\"\nmanager_ca = \"ca.pem\"")) })
        #expect(error.code == .incompleteManagerIdentity)
        #expect(error.key == "manager_key")
        #expect(error.line == 3)
    }

    @Test func errorsPointAtTheElementInAMultiLineArray() throws {
        let error = try #require(
            configError {
                try parseConfig(
                    """
                    system_cns = ["g1"]
                    glusterfs_targets = [
                        "g1:/a",  # fine
                        # "commented:/out",
                        'g1:/b', "g1:/c;x",
                    ]
                    """)
            })
        #expect(error.code == .invalidTarget)
        #expect(error.line == 5 && error.column == 14)
        #expect(error.description.hasPrefix("/etc/gshare/gshare.toml:5:14: glusterfs_targets: \"g1:/c;x\""))
    }

    @Test func unknownKeysAreReportedBeforeAnythingElse() throws {
        let error = try #require(configError { try parseConfig("glusterfs_targets = [\"bad\"]\nsystem_cn = [\"x\"]") })
        #expect(error.code == .unknownKey && error.key == "system_cn" && error.line == 2)
        #expect(error.message.contains("did you mean \"system_cns\""))
    }

    @Test func anUnreadableFileIsSaidSo() throws {
        let error = try #require(configError { try GShareConfig.load(fileAt: "/nonexistent/gshare.toml") })
        #expect(error.code == .fileUnreadable)
        #expect(error.description.hasPrefix("/nonexistent/gshare.toml: "))
    }

    // MARK: Locating the file

    @Test func theFlagWinsOverEverything() throws {
        let location = try GShareConfig.locate(
            explicit: "site.toml", environment: ["GSHARE_CONFIG": "/env/gshare.toml"], currentDirectory: "/work", systemPath: "/etc/gshare/gshare.toml")
        #expect(location == ConfigLocation(path: "/work/site.toml", reason: .flag))
    }

    @Test func theEnvironmentComesNextWhetherOrNotTheFileExists() throws {
        let location = try GShareConfig.locate(explicit: nil, environment: ["GSHARE_CONFIG": "/env/gshare.toml"], currentDirectory: "/work")
        #expect(location == ConfigLocation(path: "/env/gshare.toml", reason: .environment))
        #expect(location.description == "/env/gshare.toml (named by $GSHARE_CONFIG)")
    }

    @Test func thenTheCurrentFolderThenTheSystemFile() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let system = folder.appendingPathComponent("etc.toml").path
        let work = folder.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)

        let nothing = try #require(configError { try GShareConfig.locate(explicit: nil, environment: ["GSHARE_CONFIG": ""], currentDirectory: work.path, systemPath: system) })
        #expect(nothing.code == .notFound)
        #expect(nothing.message.contains(system) && nothing.message.contains(work.appendingPathComponent("gshare.toml").path))

        try "".write(toFile: system, atomically: true, encoding: .utf8)
        #expect(try GShareConfig.locate(explicit: nil, environment: [:], currentDirectory: work.path, systemPath: system) == ConfigLocation(path: system, reason: .system))

        let local = work.appendingPathComponent("gshare.toml").path
        try "".write(toFile: local, atomically: true, encoding: .utf8)
        #expect(try GShareConfig.locate(explicit: nil, environment: [:], currentDirectory: work.path, systemPath: system) == ConfigLocation(path: local, reason: .currentDirectory))
    }

    // MARK: The example

    @Test func theDocumentedExampleParsesAndUsesEveryKey() throws {
        let path = repositoryRoot.appendingPathComponent("docs/gshare.example.toml").path
        let config = try GShareConfig.load(fileAt: path, environment: ["HOME": "/home/op"])
        #expect(!config.targets.isEmpty && !config.servers.isEmpty && config.volumePattern != nil)
        #expect(config.privateKeyPath != nil && config.serverPassword != nil && config.mountPointBase != nil)
        #expect(config.manager != nil && config.tenantCA != nil && config.tenantCRLDirectory != nil)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for key in GShareConfig.knownKeys {
            #expect(text.contains("\n\(key) = "), "the example does not set \(key)")
        }
        #expect(text.contains("UNUSED") && text.contains("libgfapi"))
    }
}

/// The keys of share sizes: the soft limit and the (lab-only) unit.
extension ConfigTests {
    @Test func theSoftLimitAndTheSizeUnitHaveDefaultsAndTheirBounds() throws {
        let plain = try parseConfig(minimalConfig())
        #expect(plain.softLimitPercent == 80 && plain.sizeUnit == .gibibyte)
        #expect(try parseConfig(minimalConfig("soft_limit_percent = 1")).softLimitPercent == 1)
        #expect(try parseConfig(minimalConfig("soft_limit_percent = 100")).softLimitPercent == 100)
        let lab = try parseConfig(minimalConfig(#"share_size_unit = "MiB""#))
        #expect(lab.sizeUnit == .mebibyte && lab.sizeUnit.bytes == 1 << 20)
        // A volume's pattern size stays in GiB, counted in the share unit.
        #expect(lab.sizeUnit.units(ofGiB: 2) == 2048 && plain.sizeUnit.units(ofGiB: 2) == 2)
    }
}
