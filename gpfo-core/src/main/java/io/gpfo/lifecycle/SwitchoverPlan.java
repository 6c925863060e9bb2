package io.gpfo.lifecycle;

import io.gpfo.state.Journal;
import io.gpfo.state.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The pure judgement of a planned switchover: run on the standby host, it swaps roles only when both
 * hosts answer SSH and SQL, the standby streams within the lag bound, and neither agent is in a
 * failed or fence-pending phase. Each precondition is one OK/FAILED line with its fix.
 */
public record SwitchoverPlan(boolean ready, List<Check> checks) {

    /** Without promotion.max_lag_bytes: lag the catch-up after the clean stop can absorb in seconds. */
    public static final long DEFAULT_MAX_LAG_BYTES = 16L << 20;

    public static SwitchoverPlan judge(SwitchoverFacts facts, OptionalLong maxLagBytes) {
        List<Check> checks = new ArrayList<>();
        String here = facts.localHost();
        String peer = facts.peerHost();
        checks.add(facts.local().map(status -> status.inRecovery()
                ? Check.ok(here + " is the standby", "")
                : Check.failed(here + " is the standby", here + " is the primary: run 'gpfo switchover' on the standby "
                        + peer + ", which it promotes")).orElse(Check.failed(here + " answers SQL", facts.localError())));
        checks.add(facts.peer().map(status -> status.primary()
                ? Check.ok(peer + " answers SQL as the primary", "")
                : Check.failed(peer + " answers SQL as the primary", peer + " is in recovery: there is no coordinator to"
                        + " switch from")).orElse(Check.failed(peer + " answers SQL", facts.peerError())));
        checks.add(facts.peerPostmaster().inspection().isPresent() ? Check.ok(peer + " answers SSH", "")
                : Check.failed(peer + " answers SSH", facts.peerPostmaster().sshError()));
        long bound = maxLagBytes.orElse(DEFAULT_MAX_LAG_BYTES);
        checks.add(facts.streamingSender().map(sender -> sender.lagBytes() >= 0 && sender.lagBytes() <= bound
                ? Check.ok(here + " streams from " + peer, "lag " + sender.lagBytes() + " bytes")
                : Check.failed(here + " streams within " + bound + " bytes of " + peer, "lag " + sender.lagBytes()
                        + " bytes; wait for it to catch up")).orElse(Check.failed(here + " streams from " + peer,
                                "no streaming standby on " + peer + "; 'gpfo status' shows the replication state")));
        checks.add(agent(here, facts.localJournal(), ""));
        checks.add(agent(peer, facts.peerJournal(), facts.peerJournalProblem()));
        return new SwitchoverPlan(checks.stream().allMatch(Check::ok), List.copyOf(checks));
    }

    /** An agent that failed a promotion, owes a fence, or is promoting must be dealt with first. */
    private static Check agent(String host, Optional<Journal> journal, String problem) {
        String what = "the agent on " + host + " is not failed, promoting or owing a fence";
        if (journal.isEmpty()) {
            return problem.isEmpty() ? Check.ok(what, "no agent has run there") : Check.failed(what, "its journal could not be"
                    + " read: " + problem);
        }
        Phase phase = journal.get().phase();
        return switch (phase) {
            case FAILED, FENCE_PENDING, PROMOTING -> Check.failed(what, "phase " + phase.label() + "; resolve it first"
                    + " ('gpfo status', 'gpfo history'), then 'gpfo resume'");
            case WATCHING, SUSPECT, PAUSED, PROMOTED, SERVING, STEPPED_DOWN, DOWN -> Check.ok(what, "phase " + phase.label());
        };
    }
}
