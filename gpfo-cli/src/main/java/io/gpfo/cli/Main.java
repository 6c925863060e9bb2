package io.gpfo.cli;

import java.io.PrintWriter;

/** The process entry point; the only place that calls {@code System.exit}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int status = Gpfo.commandLine(out, err, Services.real()).execute(args);
        out.flush();
        err.flush();
        System.exit(status);
    }
}
