package io.gpfo.dist;

import io.gpfo.cli.CompletionCommand;
import io.gpfo.cli.Gpfo;
import io.gpfo.cli.Services;
import io.gpfo.config.ConfigKeys;
import io.gpfo.config.ConfigLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * The build's documentation generator (prepare-package, see gpfo-cli/pom.xml): the man pages' AsciiDoc
 * from the command model, and the bash completion script that {@code gpfo completion bash} prints.
 * Arguments: the AsciiDoc directory, the completion script's path, the directory of hand-written
 * sections (src/docs/man: {@code <page>.adoc} is appended to that page, e.g. FILES and EXAMPLES), and
 * the AsciiDoc directory of section 5 (gpfo.yaml(5), from the config model).
 *
 * <p>Man pages follow man(7): NAME is one line, so a command without a {@code header} gets the first
 * sentence of its description there; the exit statuses are the section "EXIT STATUS".
 */
public final class Docs {

    private static final String END = "// end::picocli-generated-full-manpage[]";

    private Docs() {
    }

    public static void main(String[] args) throws IOException {
        Path adoc = Path.of(args[0]);
        Path completion = Path.of(args[1]);
        Path sections = Path.of(args[2]);
        PrintWriter discard = new PrintWriter(Writer.nullWriter());
        CommandLine root = Gpfo.commandLine(discard, discard, Services.real());

        Files.createDirectories(completion.getParent());
        Files.writeString(completion, CompletionCommand.bashScript(root));

        for (CommandSpec spec : all(root.getCommandSpec())) {
            forManPage(spec);
        }
        Files.createDirectories(adoc);
        int status = ManPageGenerator.generateManPage(adoc.toFile(), null, new boolean[0], true, root.getCommandSpec());
        if (status != 0) {
            throw new IOException("ManPageGenerator failed: " + status);
        }
        try (Stream<Path> extra = Files.list(sections)) {
            for (Path section : extra.filter(path -> path.toString().endsWith(".adoc")).toList()) {
                append(adoc.resolve(section.getFileName()), Files.readString(section));
            }
        }
        Path configPage = Path.of(args[3]);
        Files.createDirectories(configPage);
        Files.writeString(configPage.resolve("gpfo.yaml.adoc"), configPage());
    }

    /** gpfo.yaml(5): every section and key with its default and rule, from {@link ConfigKeys}. */
    static String configPage() {
        StringBuilder page = new StringBuilder("""
                = gpfo.yaml(5)
                :doctype: manpage

                == Name

                gpfo.yaml - the configuration of gpfo(1), the Greenplum coordinator failover agent

                == Synopsis

                */etc/gpfo/gpfo.yaml*, or the file named by *--config* _FILE_ or *$GPFO_CONFIG*

                == Description

                One YAML document (a second one, after *---*, is refused), in UTF-8, at most %d bytes, nested at most
                %d levels. Only *coordinator*, *standby* and *vip* are required. Unknown keys are errors, and every
                error in the file is reported at once with its line and column; *gpfo check* shows them. Durations are
                written as *500ms*, *2s*, *1m*, *1h*, *1d* or compounds from the largest unit down, such as *1h30m*.
                A path may start with *~* (the home of the user the key names) or *~user*.

                As root, gpfo refuses the file if it is not owned by root or is writable by group or others, because
                root runs the commands it names (*alerts.command*). The same file belongs on both coordinator hosts;
                *gpfo install* copies it.

                """.formatted(ConfigLoader.MAX_BYTES, ConfigLoader.MAX_DEPTH));
        for (ConfigKeys.Section section : ConfigKeys.SECTIONS) {
            page.append("== ").append(section.name().toUpperCase(java.util.Locale.ROOT)).append("\n\n")
                    .append(section.about()).append(section.required() ? " This section is required." : "")
                    .append("\n\n");
            for (ConfigKeys.Key key : ConfigKeys.KEYS) {
                if (key.section().equals(section.name())) {
                    page.append("*").append(key.path()).append("*::\n  ")
                            .append(key.defaultValue() == null ? "" : "Default *" + key.defaultValue() + "*. ")
                            .append(Character.toUpperCase(key.rule().charAt(0))).append(key.rule().substring(1))
                            .append(".\n\n");
                }
            }
        }
        page.append("""
                == Files

                */etc/gpfo/gpfo.yaml*::
                  The configuration, mode 0640, owner root, group of *greenplum.admin_user*.
                */opt/gpfo/current/etc/gpfo.yaml.example*::
                  Every key with its default, commented.

                == See also

                *gpfo*(1), *gpfo-check*(1), *gpfo-install*(1)
                """);
        return page.toString();
    }

    private static List<CommandSpec> all(CommandSpec spec) {
        List<CommandSpec> specs = new ArrayList<>(List.of(spec));
        spec.subcommands().values().forEach(sub -> specs.addAll(all(sub.getCommandSpec())));
        return specs;
    }

    private static void forManPage(CommandSpec spec) {
        var usage = spec.usageMessage();
        if (usage.header().length == 0 && usage.description().length > 0) {
            usage.header(firstSentence(usage.description()[0]));
        }
        if (!usage.exitCodeList().isEmpty()) {
            usage.exitCodeListHeading("Exit status%n");
        }
    }

    /** Up to the first ". " or ":" — a NAME line, not a paragraph. */
    static String firstSentence(String text) {
        int end = text.length();
        for (String stop : new String[] {". ", ": ", "; "}) {
            int at = text.indexOf(stop);
            if (at > 0 && at < end) {
                end = at;
            }
        }
        String sentence = text.substring(0, end);
        return sentence.endsWith(".") ? sentence.substring(0, sentence.length() - 1) : sentence;
    }

    /** The hand-written sections go before the generated page's end marker; a page must exist for each. */
    private static void append(Path page, String sections) throws IOException {
        if (!Files.isRegularFile(page)) {
            throw new IOException("src/docs/man has sections for " + page.getFileName() + ", but there is no such page");
        }
        String text = Files.readString(page);
        int end = text.lastIndexOf(END);
        Files.writeString(page, text.substring(0, end) + sections.strip() + "\n\n" + text.substring(end));
    }
}
