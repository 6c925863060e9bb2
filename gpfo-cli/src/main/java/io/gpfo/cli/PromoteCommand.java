package io.gpfo.cli;

import picocli.CommandLine.Command;

@Command(name = "promote", mixinStandardHelpOptions = true, description = "Promotes the local standby to coordinator (manual failover).")
final class PromoteCommand extends NotBuiltYet {
}
