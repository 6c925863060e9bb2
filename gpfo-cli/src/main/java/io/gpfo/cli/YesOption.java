package io.gpfo.cli;

import picocli.CommandLine.Option;

/** {@code --yes}, mixed into every command that asks before it changes something. */
final class YesOption {

    @Option(names = "--yes", description = "Do not ask for confirmation (required when not on a terminal).")
    boolean yes;
}
