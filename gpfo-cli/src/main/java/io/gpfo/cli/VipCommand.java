package io.gpfo.cli;

import picocli.CommandLine.Command;

@Command(name = "vip", mixinStandardHelpOptions = true, description = "Brings the VIP up or down on this host, or shows where it is.",
        subcommands = {VipCommand.Up.class, VipCommand.Down.class, VipCommand.Status.class})
final class VipCommand {

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Brings the VIP up on this host.")
    static final class Up extends NotBuiltYet {
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Takes the VIP down on this host.")
    static final class Down extends NotBuiltYet {
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Shows which hosts hold the VIP.")
    static final class Status extends NotBuiltYet {
    }
}
