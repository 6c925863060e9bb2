package io.gpfo.dist;

import io.gpfo.cli.Gpfo;
import io.gpfo.cli.Services;
import java.io.PrintWriter;
import java.io.Writer;
import picocli.CommandLine;

/**
 * Builds gpfo's commands for picocli's build-time generators (the man pages from ManPageGenerator, the
 * bash completion from AutoComplete; see gpfo-cli/pom.xml), which create command objects through a
 * factory class named on their command line: gpfo's commands take {@link Services} in their
 * constructor, so this hands the generators the factory {@link Gpfo#commandLine} uses.
 */
public final class DocsFactory implements CommandLine.IFactory {

    private final CommandLine.IFactory factory;

    public DocsFactory() {
        PrintWriter discard = new PrintWriter(Writer.nullWriter());
        factory = Gpfo.commandLine(discard, discard, Services.real()).getFactory();
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        return factory.create(type);
    }
}
