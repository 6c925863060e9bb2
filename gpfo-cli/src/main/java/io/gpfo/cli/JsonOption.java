package io.gpfo.cli;

import picocli.CommandLine.Option;

/**
 * {@code --json}, mixed into every command that can print its result as JSON. What the object
 * holds is said per command in OptionDescriptions.properties (key COMMAND.json).
 */
final class JsonOption {

    @Option(names = "--json", descriptionKey = "json", description = "One JSON object on stdout.")
    boolean json;
}
