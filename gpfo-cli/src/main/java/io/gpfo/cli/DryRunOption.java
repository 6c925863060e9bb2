package io.gpfo.cli;

import picocli.CommandLine.Option;

/**
 * {@code --dry-run}, mixed into every command that can show what it would do without doing it.
 * What that means is said per command in OptionDescriptions.properties (key COMMAND.dry-run).
 */
final class DryRunOption {

    @Option(names = "--dry-run", descriptionKey = "dry-run", description = "Change nothing.")
    boolean dryRun;
}
