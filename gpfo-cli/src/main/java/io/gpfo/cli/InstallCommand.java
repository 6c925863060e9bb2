package io.gpfo.cli;

import picocli.CommandLine.Command;

@Command(name = "install", mixinStandardHelpOptions = true, description = "Installs gpfo on both coordinator hosts over SSH (run as root on the coordinator).")
final class InstallCommand extends NotBuiltYet {
}
