package io.gpfo.cli;

import picocli.CommandLine.Command;

@Command(name = "uninstall", mixinStandardHelpOptions = true, description = "Removes gpfo from both coordinator hosts.")
final class UninstallCommand extends NotBuiltYet {
}
