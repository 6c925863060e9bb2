package io.gpfo.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs gpfo's command line with the real ports, for what needs no host or config (help, version, completion). */
record RealCommandLine(int status, String out, String err) {

    static RealCommandLine run(String... args) {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int status = Gpfo.commandLine(new PrintWriter(stdout, true), new PrintWriter(stderr, true), Services.real())
                .execute(args);
        return new RealCommandLine(status, stdout.toString(), stderr.toString());
    }
}
