package io.gpfo.install;

import io.gpfo.install.Step.Directory;
import io.gpfo.install.Step.File;
import io.gpfo.install.Step.Remove;
import io.gpfo.install.Step.Run;
import io.gpfo.install.Step.Symlink;
import io.gpfo.install.Step.Tree;
import io.gpfo.install.Step.When;
import io.gpfo.port.CommandResult;
import io.gpfo.port.StepLog;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * Carries out a {@link HostPlan} on a {@link Target}: for each step it looks at what is there,
 * acts only on a difference, and prints one line ({@code OK      created …}, {@code OK
 * unchanged …}, or {@code FAILED  …: why}). The first failure stops the host's plan.
 */
public final class Installer {

    /** Service commands may wait for the agent to stop (up to the stop timeout), then start it. */
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(Layout.STOP_TIMEOUT_SECONDS + 60);

    private final StepLog log;
    private final Optional<Distribution> distribution;

    /** @param distribution what {@link Tree} steps install; empty for plans without one (uninstall) */
    public Installer(StepLog log, Optional<Distribution> distribution) {
        this.log = log;
        this.distribution = distribution;
    }

    /** What a host's plan did. */
    public record HostOutcome(String host, int changed, int unchanged) {
    }

    /** One step's result: its line is "VERB SUBJECT on HOST" then the detail (" (…)" or ": …"). */
    private record Outcome(boolean changed, String verb, String subject, String detail) {
        static Outcome unchanged(String subject, String detail) {
            return new Outcome(false, "unchanged", subject, detail);
        }

        static Outcome changed(String verb, String subject, String detail) {
            return new Outcome(true, verb, subject, detail);
        }

        String line(String host) {
            return verb + " " + subject + " on " + host + detail;
        }
    }

    public HostOutcome apply(HostPlan plan, Target target) throws InstallFailure {
        Set<String> changedPaths = new HashSet<>();
        boolean anyChange = false;
        int changed = 0;
        int unchanged = 0;
        for (Step step : plan.steps()) {
            Outcome outcome;
            try {
                outcome = perform(step, target, changedPaths, anyChange);
            } catch (TargetException e) {
                log.failed(step.subject() + " on " + plan.host(), e.getMessage());
                throw new InstallFailure(plan.host(), step, changed + unchanged, changed, e.getMessage());
            }
            if (outcome.changed()) {
                changed++;
                anyChange = true;
                step.managedPath().ifPresent(changedPaths::add);
            } else {
                unchanged++;
            }
            log.ok(outcome.line(plan.host()));
        }
        return new HostOutcome(plan.host(), changed, unchanged);
    }

    private Outcome perform(Step step, Target target, Set<String> changedPaths, boolean anyChange) throws TargetException {
        return step.accept(new Step.Visitor<Outcome, TargetException>() {
            @Override
            public Outcome directory(Directory directory) throws TargetException {
                return Installer.directory(directory, target);
            }

            @Override
            public Outcome file(File file) throws TargetException {
                return Installer.file(file, target);
            }

            @Override
            public Outcome tree(Tree tree) throws TargetException {
                return Installer.this.tree(tree, target);
            }

            @Override
            public Outcome symlink(Symlink symlink) throws TargetException {
                return Installer.symlink(symlink, target);
            }

            @Override
            public Outcome run(Run run) throws TargetException {
                return Installer.run(run, target, changedPaths, anyChange);
            }

            @Override
            public Outcome remove(Remove remove) throws TargetException {
                return Installer.remove(remove, target);
            }
        });
    }

    private static Outcome directory(Directory step, Target target) throws TargetException {
        String subject = step.subject();
        FileState state = target.state(step.path());
        if (state.kind() == FileState.Kind.MISSING) {
            Attributes attributes = step.attributes().orElse(Attributes.root(0755));
            target.makeDirectory(step.path(), attributes);
            return Outcome.changed("created", subject, " (" + attributes + ")");
        }
        if (state.kind() != FileState.Kind.DIRECTORY) {
            throw new TargetException(step.path() + " is " + state.describe() + ", not a directory; move it away and run"
                    + " gpfo install again");
        }
        if (step.attributes().isEmpty() || step.attributes().equals(state.attributes())) {
            return Outcome.unchanged(subject, "");
        }
        target.setAttributes(step.path(), step.attributes().get());
        return Outcome.changed("fixed", subject, ": now " + step.attributes().get() + ", was "
                + state.attributes().map(Attributes::toString).orElse("?"));
    }

    private static Outcome file(File step, Target target) throws TargetException {
        String subject = step.subject();
        FileState state = target.state(step.path());
        if (state.kind() != FileState.Kind.MISSING && state.kind() != FileState.Kind.FILE) {
            throw new TargetException(step.path() + " is " + state.describe() + ", not a regular file; move it away and run"
                    + " gpfo install again");
        }
        if (state.kind() == FileState.Kind.FILE && state.sha256().equals(Optional.of(sha256(step.content())))) {
            if (state.attributes().equals(Optional.of(step.attributes()))) {
                return Outcome.unchanged(subject, "");
            }
            target.setAttributes(step.path(), step.attributes());
            return Outcome.changed("fixed", subject, ": now " + step.attributes() + ", was "
                    + state.attributes().map(Attributes::toString).orElse("?"));
        }
        target.putFile(step.path(), step.content(), step.attributes(), step.check());
        return Outcome.changed(state.exists() ? "replaced" : "created", subject, " (" + step.attributes()
                + (step.check() == Step.Check.SUDOERS ? ", checked by visudo" : "") + ")");
    }

    private Outcome tree(Tree step, Target target) throws TargetException {
        Distribution source = distribution.orElseThrow(() -> new IllegalStateException("a tree step needs a distribution"));
        String subject = step.subject();
        TreeManifest installed = target.treeManifest(step.path());
        TreeManifest wanted = source.manifest();
        if (installed.exists() && installed.differences(wanted) == 0 && installed.unsafe().isEmpty()) {
            return Outcome.unchanged(subject, "");
        }
        target.putTree(step.path(), source);
        if (!installed.exists()) {
            return Outcome.changed("created", subject, " (" + wanted.entries().size() + " entries, root:root, go-w)");
        }
        int differences = installed.differences(wanted);
        return Outcome.changed("replaced", subject, " (" + (differences > 0 ? differences + " entries differed"
                : "was not all root-owned and go-w, e.g. " + installed.unsafe().get(0)) + ")");
    }

    private static Outcome symlink(Symlink step, Target target) throws TargetException {
        String subject = step.subject();
        FileState state = target.state(step.path());
        if (state.kind() == FileState.Kind.SYMLINK && state.linkTarget().equals(Optional.of(step.target()))) {
            return Outcome.unchanged(subject, "");
        }
        if (state.kind() != FileState.Kind.MISSING && state.kind() != FileState.Kind.SYMLINK) {
            throw new TargetException(step.path() + " is " + state.describe() + ", not a symbolic link; move it away and"
                    + " run gpfo install again");
        }
        target.symlink(step.path(), step.target());
        return Outcome.changed(state.exists() ? "replaced" : "created", subject,
                state.linkTarget().map(old -> " (was -> " + old + ")").orElse(""));
    }

    private static Outcome run(Run step, Target target, Set<String> changedPaths, boolean anyChange) throws TargetException {
        String subject = step.subject();
        Optional<String> skipped = step.when().accept(new When.Visitor<Optional<String>, TargetException>() {
            @Override
            public Optional<String> always(When.Always always) {
                return Optional.empty();
            }

            @Override
            public Optional<String> ifChanged(When.IfChanged ifChanged) {
                boolean due = ifChanged.paths().isEmpty() ? anyChange : ifChanged.paths().stream().anyMatch(changedPaths::contains);
                return due ? Optional.empty() : Optional.of(": not needed, " + (ifChanged.paths().isEmpty() ? "nothing above"
                        : String.join(" and ", ifChanged.paths()) + " did not") + " changed");
            }

            @Override
            public Optional<String> unless(When.Unless unless) throws TargetException {
                return target.run(unless.probe(), ShellTarget.COMMAND_TIMEOUT).ok() ? Optional.of(": " + unless.already())
                        : Optional.empty();
            }
        });
        if (skipped.isPresent()) {
            return Outcome.unchanged(subject, skipped.get());
        }
        CommandResult result = target.run(step.argv(), RUN_TIMEOUT);
        if (!result.ok()) {
            throw new TargetException(result.failureSummary());
        }
        return Outcome.changed("ran", subject, "");
    }

    private static Outcome remove(Remove step, Target target) throws TargetException {
        String subject = step.subject();
        FileState state = target.state(step.path());
        if (!state.exists()) {
            return Outcome.unchanged(subject, ": not there");
        }
        if (step.onlyLinkTo().isPresent() && !state.linkTarget().equals(step.onlyLinkTo())) {
            return Outcome.unchanged(subject, ": left alone, it is " + state.describe() + ", not gpfo's link");
        }
        target.remove(step.path());
        return Outcome.changed("removed", subject, "");
    }

    static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
