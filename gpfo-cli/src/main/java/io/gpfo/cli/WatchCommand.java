package io.gpfo.cli;

import picocli.CommandLine.Command;

@Command(name = "watch", mixinStandardHelpOptions = true, description = "Runs the failover agent in the foreground.")
final class WatchCommand extends NotBuiltYet {
}
