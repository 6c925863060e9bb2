package io.gpfo.lifecycle;

import io.gpfo.node.Inspection;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pure judgement of a rejoin: its preconditions, each one OK/FAILED line with its fix, and the
 * steps that follow from the facts. A re-run resumes: a target already streaming needs only the
 * agents re-armed, one still catching up only the wait.
 */
public record RejoinPlan(Verdict verdict, List<Check> checks, List<Step> steps) {

    /** Room for the copy beyond the databases' size: WAL written meanwhile, and files outside the databases. */
    static final double SPACE_MARGIN = 1.2;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    public enum Verdict {
        /** Every precondition holds: run the steps. */
        READY,
        /** The target is a standby already: only what is left (wait, re-arm). */
        RESUME,
        /** A precondition fails: nothing is changed. */
        REFUSED
    }

    /** One step of a rejoin, carried out in order. */
    public sealed interface Step {
        <R> R accept(Visitor<R> visitor);

        interface Visitor<R> {
            R moveAside(MoveAside step);

            R initStandby(InitStandby step);

            R awaitStreaming(AwaitStreaming step);

            R rearm(Rearm step);
        }
    }

    /** The target's old data directory goes aside, never away: it may hold the only copy of late commits. */
    public record MoveAside(Path from, Path to) implements Step {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.moveAside(this);
        }
    }

    /** gpinitstandby on the acting primary: a full copy to the target, started as a standby. */
    public record InitStandby(String targetHost, Path dataDirectory) implements Step {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.initStandby(this);
        }
    }

    /** Until the acting primary streams to the new standby (bounded). */
    public record AwaitStreaming(String targetHost) implements Step {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.awaitStreaming(this);
        }
    }

    /** Both agents watch again: the standby's journal leaves its old phase, the primary's sees the pair whole. */
    public record Rearm() implements Step {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.rearm(this);
        }
    }

    public static RejoinPlan judge(RejoinFacts facts, Instant now) {
        String target = facts.targetHost();
        List<Check> checks = new ArrayList<>();
        checks.add(facts.actingPrimary().isPresent()
                ? Check.ok("the acting primary answers SQL", "")
                : Check.failed("the acting primary answers SQL", facts.primaryProblem()));
        Optional<Inspection> seen = facts.targetPostmaster().inspection();
        checks.add(seen.isPresent() ? Check.ok(target + " answers SSH", "")
                : Check.failed(target + " answers SSH", facts.targetPostmaster().sshError() + "; fix SSH to " + target
                        + " ('gpfo check' names the cause) and run 'gpfo rejoin' again"));
        if (facts.actingPrimary().isPresent() && seen.isPresent() && seen.get().running() && facts.targetIsStandby()) {
            // a re-run after gpinitstandby: what is left is to see it stream and re-arm the agents
            checks.add(Check.ok(target + " is a standby already", facts.standbyStreaming() ? "streaming" : "not streaming yet"));
            return new RejoinPlan(Verdict.RESUME, checks, List.of(new AwaitStreaming(target), new Rearm()));
        }
        seen.ifPresent(inspection -> checks.add(inspection.running()
                ? Check.failed("no postmaster runs on " + target, "its " + inspection.describe() + "; gpfo never touches"
                        + " a running coordinator: stop it (pg_ctl stop -m fast on " + target + ") and run 'gpfo rejoin' again")
                : Check.ok("no postmaster runs on " + target, inspection.describe())));
        checks.add(facts.standbyConfigured()
                ? Check.failed("no standby is configured yet", "the acting primary already sends WAL to a standby; remove it"
                        + " first (gpinitstandby -r) if it is gone for good")
                : Check.ok("no standby is configured yet", ""));
        checks.add(space(facts));
        if (checks.stream().anyMatch(check -> !check.ok())) {
            return new RejoinPlan(Verdict.REFUSED, checks, List.of());
        }
        List<Step> steps = new ArrayList<>();
        if (seen.get().postmaster() != Inspection.Postmaster.NO_DATA_DIRECTORY) {
            Path directory = facts.dataDirectory();
            steps.add(new MoveAside(directory, directory.resolveSibling(directory.getFileName() + ".gpfo-" + STAMP.format(now))));
        }
        steps.add(new InitStandby(target, facts.dataDirectory()));
        steps.add(new AwaitStreaming(target));
        steps.add(new Rearm());
        return new RejoinPlan(Verdict.READY, checks, List.copyOf(steps));
    }

    private static Check space(RejoinFacts facts) {
        String what = "room for a full copy on " + facts.targetHost();
        if (facts.databaseBytes().isEmpty()) {
            return Check.failed(what, "the acting primary's size is unknown: " + facts.sizeProblem());
        }
        if (facts.targetFreeBytes().isEmpty()) {
            return Check.failed(what, "free space on " + facts.targetHost() + " is unknown: " + facts.freeProblem());
        }
        long needed = (long) (facts.databaseBytes().getAsLong() * SPACE_MARGIN);
        long free = facts.targetFreeBytes().getAsLong();
        String detail = mebibytes(free) + " free, " + mebibytes(needed) + " needed (the databases' "
                + mebibytes(facts.databaseBytes().getAsLong()) + " and a margin)";
        return free >= needed ? Check.ok(what, detail) : Check.failed(what, detail + "; free space under "
                + facts.dataDirectory().getParent() + " on " + facts.targetHost());
    }

    static String mebibytes(long bytes) {
        return (bytes + (1 << 20) - 1) / (1 << 20) + " MiB";
    }
}
