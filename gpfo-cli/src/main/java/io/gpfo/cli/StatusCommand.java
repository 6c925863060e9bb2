package io.gpfo.cli;

import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Shows roles, reachability, VIP holders, replication lag and the agent phase.")
final class StatusCommand extends NotBuiltYet {
}
