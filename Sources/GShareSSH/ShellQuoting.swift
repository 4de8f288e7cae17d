//===----------------------------------------------------------------------===//
// gshare — GShareSSH
//===----------------------------------------------------------------------===//

/// Builds the one command line an SSH server hands to the remote user's shell (`sh -c LINE`).
///
/// SSH has no argument vector: the server runs the login shell with a single string. Every
/// argument is therefore single-quoted, so the remote shell sees exactly the bytes given —
/// no expansion, globbing, splitting or command substitution.
public enum ShellQuoting {
    /// POSIX single-quote escaping: `abc` → `'abc'`; a `'` becomes `'\''`; the empty string
    /// becomes `''`.
    /// - Throws: ``SSHError`` `.invalidArgument` when the argument contains a NUL byte, which
    ///   no shell argument can hold.
    public static func quote(_ argument: String) throws -> String {
        if argument.utf8.contains(0) {
            throw SSHError(
                .invalidArgument, host: "", step: .exec,
                message: "the argument \(String(reflecting: argument)) contains a NUL byte, which cannot be passed to a remote command")
        }
        var quoted = "'"
        for character in argument.unicodeScalars {
            if character == "'" { quoted += "'\\''" } else { quoted.unicodeScalars.append(character) }
        }
        quoted += "'"
        return quoted
    }

    /// The one command line sent to the remote shell: each argument quoted, joined by spaces.
    /// - Throws: ``SSHError`` `.invalidArgument` for a NUL byte or an empty argument list.
    public static func commandLine(_ arguments: [String]) throws -> String {
        guard !arguments.isEmpty else {
            throw SSHError(.invalidArgument, host: "", step: .exec, message: "no command to run (empty argument list)")
        }
        return try arguments.map(quote).joined(separator: " ")
    }
}
