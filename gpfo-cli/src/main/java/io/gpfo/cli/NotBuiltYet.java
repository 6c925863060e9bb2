package io.gpfo.cli;

import java.util.concurrent.Callable;

/**
 * A command whose contract is fixed (design.md §10) but that is not built yet: it says so and
 * fails, rather than pretending to succeed.
 */
abstract class NotBuiltYet implements Callable<Integer> {

    @Override
    public Integer call() {
        String name = getClass().getAnnotation(picocli.CommandLine.Command.class).name();
        throw new GpfoException(ExitCode.FAILED, "'gpfo " + name + "' is not built yet in this version; nothing was done");
    }
}
