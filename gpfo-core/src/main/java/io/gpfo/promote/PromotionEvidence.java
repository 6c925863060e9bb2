package io.gpfo.promote;

import io.gpfo.config.GpfoConfig;
import io.gpfo.node.Inspection;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.vip.DuplicateProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What was observed before a manual promotion, and the pure judgement over it: which
 * observations forbid promoting this host's standby (docs/design.md §4). No I/O here.
 *
 * @param local        this host's database, or empty when it did not answer ({@code localError} says why)
 * @param peerSql      the old coordinator's database, or empty when it did not answer SQL
 * @param peerInspection the old coordinator's postmaster seen over SSH, or empty when SSH failed
 * @param vipProbe     duplicate-address probe of the VIP from this host, or empty when not taken
 */
public record PromotionEvidence(
        String peerHost,
        Optional<DatabaseStatus> local,
        String localError,
        Optional<DatabaseStatus> peerSql,
        Optional<Inspection> peerInspection,
        String peerSshError,
        Optional<DuplicateProbe> vipProbe,
        OptionalLong lagBytes) {

    /** Reasons that forbid promotion even with --force. */
    public List<String> hardRefusals() {
        List<String> reasons = new ArrayList<>();
        if (local.isPresent() && !local.get().inRecovery()) {
            reasons.add("this host's database is already a primary (not in recovery): there is nothing to promote");
        }
        return reasons;
    }

    /** Reasons that forbid promotion unless the operator forces it. */
    public List<String> refusals(GpfoConfig config) {
        List<String> reasons = new ArrayList<>(hardRefusals());
        if (local.isEmpty()) {
            reasons.add("this host's database does not answer SQL (" + localError + "); start it, or use --force");
        } else if (local.get().inRecovery() && local.get().receiver().flatMap(DatabaseStatus.Receiver::walHeld).isEmpty()) {
            reasons.add("this host is not a streaming standby: it has received no WAL from a primary");
        }
        if (peerSql.isPresent() && !peerSql.get().inRecovery()) {
            reasons.add("the coordinator " + peerHost + " still answers SQL as primary; stop it first, or use --force to fence it");
        }
        peerInspection.filter(inspection -> peerSql.isEmpty() && inspection.running()).ifPresent(inspection -> reasons.add("the coordinator " + peerHost + " has a "
                + inspection.describe() + " that does not answer SQL (hung?); use --force to fence it (SIGKILL) and promote"));
        peerInspection.filter(Inspection::cleanlyStopped).ifPresent(inspection -> reasons.add("the coordinator " + peerHost
                + " was shut down cleanly (a planned gpstop, not a failure); start it again, or use --force"));
        if (peerInspection.isEmpty() && vipProbe.map(DuplicateProbe::answered).orElse(false)) {
            reasons.add("the VIP still answers ARP from " + vipProbe.get().replierMac().orElse("another host")
                    + " while " + peerHost + " cannot be reached over SSH to remove it: the coordinator may be alive behind a"
                    + " network cut; use --force only when you know it is down");
        }
        if (config.promotion().maxLagBytes().isPresent() && lagBytes.isPresent()
                && lagBytes.getAsLong() > config.promotion().maxLagBytes().getAsLong()) {
            reasons.add("replication lag " + lagBytes.getAsLong() + " bytes exceeds promotion.max_lag_bytes "
                    + config.promotion().maxLagBytes().getAsLong() + "; use --force to accept losing those changes");
        }
        return reasons;
    }

    /** The observations in words, for the log: what the decision was based on. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("local database: " + local.map(status -> status.inRecovery() ? "standby in recovery" + receiverText(status)
                : "primary").orElse("no answer (" + localError + ")"));
        lines.add(peerHost + " SQL: " + peerSql.map(status -> status.inRecovery() ? "answers, in recovery" : "answers as primary")
                .orElse("no answer"));
        lines.add(peerHost + " over SSH: " + peerInspection.map(Inspection::describe).orElse("unreachable (" + peerSshError + ")"));
        vipProbe.ifPresent(probe -> lines.add("VIP ARP probe: " + (probe.answered()
                ? "answered by " + probe.replierMac().orElse("someone") : "no answer")));
        lagBytes.ifPresent(lag -> lines.add("replication lag: " + lag + " bytes"));
        return lines;
    }

    /** Whether SSH to the old coordinator works, so it can be fenced now rather than later. */
    public boolean peerReachable() {
        return peerInspection.isPresent();
    }

    private static String receiverText(DatabaseStatus status) {
        return status.receiver().map(receiver -> ", received " + receiver.received().orElse("unknown") + ", replayed "
                + receiver.replayed().orElse("nothing") + receiver.status().map(s -> ", receiver " + s).orElse(", receiver stopped"))
                .orElse("");
    }
}
