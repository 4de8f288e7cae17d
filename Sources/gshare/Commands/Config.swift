//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser

extension GShare {
    struct Config: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "config",
            abstract: "Check gshare's configuration file, gshare.toml.",
            discussion: """
                gshare reads gshare.toml from --config FILE, else the file $GSHARE_CONFIG names, \
                else ./gshare.toml, else /etc/gshare/gshare.toml. docs/gshare.example.toml \
                documents every key.

                The volume keys keep Manila's names, so a Manila GlusterFS driver configuration \
                carries over: glusterfs_targets, or glusterfs_servers with \
                glusterfs_volume_pattern; glusterfs_path_to_private_key; \
                glusterfs_server_password (better { env = "VAR" } or { file = "PATH" } than the \
                password itself); glusterfs_mount_point_base is accepted but unused, since gshare \
                wipes volumes through libgfapi without mounting them. gshare's own keys: \
                manager_cert, manager_key, manager_ca, system_cns, tenant_ca, state_dir, \
                gluster_cli, command_timeout_seconds.
                """,
            subcommands: [Check.self]
        )
    }
}
