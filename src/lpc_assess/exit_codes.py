"""The exit codes of every command (docs/commands.md lists them for users)."""

EXIT_OK = 0  # everything worked
EXIT_FAILED = 1  # some input was rejected or invalid; whatever was valid was still processed
EXIT_USAGE = 2  # the options cannot work
EXIT_INTERRUPTED = 130  # Ctrl-C
