package io.gpfo.decision;

import io.gpfo.decision.Alert.Severity;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Every event the agent can raise: the one list an {@code alerts.command} hook receives as
 * {@code GPFO_EVENT}, and which the README's hook section lists (a test keeps the two equal).
 * A persisting condition is repeated every {@code alerts.repeat} while it lasts and forgotten the
 * first round it is no longer raised; a one-off event is sent once.
 */
public enum Event {
    // ---------------------------------------------------------------- the standby watching the coordinator
    COORDINATOR_SUSPECT(Severity.WARNING, false, "the coordinator did not answer SQL this round (the first failed round)",
            "nothing yet; gpfo counts rounds up to heartbeat.failure_threshold"),
    COORDINATOR_BACK(Severity.INFO, false, "the coordinator answers SQL again after failed rounds", "nothing"),
    COORDINATOR_NOT_ACCEPTING(Severity.CRITICAL, true,
            "the coordinator does not answer SQL but still streams WAL to the standby: alive, not promoted",
            "check its connections (max_connections) and load"),
    COORDINATOR_STOPPED(Severity.WARNING, true, "the coordinator was shut down cleanly (a planned gpstop): not promoted",
            "start it again, or 'gpfo promote' if the switch is intended"),
    COORDINATOR_UNREACHABLE_NETWORK(Severity.CRITICAL, true,
            "the coordinator answers on its own host but not from the standby: a network problem, not promoted",
            "fix the network between the coordinator hosts"),
    COORDINATOR_UNCLEAR(Severity.CRITICAL, true, "the coordinator's postmaster state is neither running, crashed nor stopped"
            + " cleanly: not promoted", "look at the coordinator host by hand"),
    COORDINATOR_UNRESPONSIVE(Severity.CRITICAL, true,
            "the coordinator host answers some heartbeat paths but neither SQL nor SSH: not promoted on partial evidence",
            "look at the coordinator host; 'gpfo promote --force' if it is dead"),
    ISOLATED(Severity.CRITICAL, true, "the standby reaches neither the gateway nor the coordinator: it is the isolated host,"
            + " not promoted", "fix the standby's network"),
    COORDINATOR_BEHIND_CUT(Severity.CRITICAL, true,
            "the VIP still answers ARP although the coordinator does not: alive behind a network cut, not promoted",
            "find who answers for the VIP; fix the network"),
    NO_QUORUM(Severity.CRITICAL, true, "the witnesses do not agree that the coordinator host is down: not promoted",
            "check the network between the coordinator hosts and the witnesses"),
    STANDBY_NOT_READY(Severity.CRITICAL, true, "the coordinator is gone but the standby never received WAL: not promoted",
            "check the standby's replication; 'gpfo promote --force' accepts the risk"),
    LAG_TOO_HIGH(Severity.CRITICAL, true, "the coordinator is gone but the standby lagged more than promotion.max_lag_bytes:"
            + " not promoted", "'gpfo promote --force' accepts losing the lagging changes"),
    PAUSED_COORDINATOR_DOWN(Severity.CRITICAL, true, "gpfo is paused and the coordinator does not answer: not promoted",
            "'gpfo resume' to let gpfo act, or 'gpfo promote'"),
    PROMOTING(Severity.EMERGENCY, false, "the standby promotes itself: the coordinator is gone", "watch it; afterwards re-add"
            + " the old coordinator as a standby"),
    PROMOTION_FAILED(Severity.CRITICAL, true, "an automatic promotion failed; gpfo does not try again",
            "fix the cause (gpactivatestandby's log), then 'gpfo resume' or 'gpfo promote'"),
    RESUMED(Severity.INFO, false, "'gpfo resume' cleared a failed promotion: the standby watches again", "nothing"),
    ROLE_CHANGE(Severity.INFO, false, "this host became a standby again (re-added with gpinitstandby): watching afresh", "nothing"),
    // ---------------------------------------------------------------- the primary side
    STANDBY_BACK(Severity.INFO, false, "after a promotion, the peer streams as a standby again: the pair is whole", "nothing"),
    FENCE_PENDING(Severity.CRITICAL, true, "the old coordinator could not be fenced yet; gpfo fences it the moment it is"
            + " reachable", "do not start it by hand; if this persists, stop its postmaster and remove its VIP"),
    OLD_COORDINATOR_FENCED(Severity.CRITICAL, false, "the old coordinator came back and was fenced (VIP removed, postmaster"
            + " stopped)", "re-add it as the standby with 'gpfo rejoin'"),
    STEPPING_DOWN(Severity.EMERGENCY, false, "this host is an old coordinator: a primary on a newer timeline exists; it drops"
            + " the VIP and stops its postmaster", "re-add this host as the standby with 'gpfo rejoin'"),
    SPLIT_BRAIN(Severity.EMERGENCY, true, "both hosts are primaries on the same timeline; gpfo touches nothing",
            "stop one of them now"),
    VIP_CLAIMED(Severity.WARNING, false, "the acting primary claimed the VIP that no host held", "nothing"),
    VIP_BOTH(Severity.EMERGENCY, true, "the VIP is up on both hosts", "'gpfo vip down' on the one that is not the primary"),
    VIP_NONE(Severity.CRITICAL, true, "no host holds the VIP: clients cannot connect", "'gpfo vip up' on the primary"),
    VIP_WRONG_HOLDER(Severity.CRITICAL, true, "the VIP is on the host that is not the primary",
            "'gpfo vip down' there, 'gpfo vip up' on the primary"),
    HOST_KEY_UNVERIFIED(Severity.CRITICAL, true, "the SSH host key of the peer or of a witness is not in known_hosts or"
            + " has changed (a reinstalled host, or someone in the middle): gpfo cannot look at or fence the peer over SSH,"
            + " or the witness casts no vote",
            "verify the new key with that host's administrator, then replace it in ssh.known_hosts as 'gpfo check' says"),
    // ---------------------------------------------------------------- the arbiter (etcd), when configured
    ARBITER_UNREACHABLE(Severity.CRITICAL, true, "this host reaches no etcd member of the arbiter: a standby cannot promote,"
            + " a primary keeps serving only until its lease would expire", "check the etcd members and the network to them;"
            + " 'gpfo promote --force' promotes without the lease"),
    ARBITER_NO_QUORUM(Severity.CRITICAL, true, "etcd members answer but have no quorum: a standby cannot promote, a primary"
            + " keeps serving only until its lease would expire", "bring a majority of the etcd members back (etcdctl endpoint"
            + " status); 'gpfo promote --force' promotes without the lease"),
    LEASE_HELD(Severity.WARNING, true, "the coordinator looks gone but its lease on the leader key is alive: the standby waits"
            + " until it expires", "nothing: it promotes once the lease expires, unless the coordinator renews it"),
    LEADER_ELSEWHERE(Severity.CRITICAL, true, "this primary does not hold the leader key, which names the other host (for up"
            + " to the lease ttl after a switchover or a manual promotion)", "if it lasts, 'gpfo status' on both hosts: which"
            + " one serves?"),
    ARBITER_FAILSAFE(Severity.CRITICAL, true, "the primary could not renew its lease, but its standby reaches no etcd either:"
            + " it keeps serving (failsafe)", "bring etcd back; meanwhile the standby cannot promote"),
    LEASE_LOST(Severity.EMERGENCY, false, "the primary could not renew its lease before it would expire and its standby does"
            + " not vouch that etcd is down for both: it stops serving (VIP dropped, postmaster stopped)",
            "find why it lost etcd; once the standby has promoted, re-add this host with 'gpfo rejoin'"),
    SELF_FENCED(Severity.EMERGENCY, false, "this host fenced itself after losing its lease: VIP dropped, postmaster stopped",
            "never start it by hand; re-add it as a standby with 'gpfo rejoin' once the other host serves"),
    // ---------------------------------------------------------------- this host's database
    LOCAL_DATABASE_DOWN(Severity.WARNING, true, "no postmaster runs on this host", "start it, or re-add it as a standby"),
    LOCAL_DATABASE_UNKNOWN(Severity.CRITICAL, true, "this host's postmaster runs but its database does not answer",
            "look at this host's database");

    private final Severity severity;
    private final boolean persisting;
    private final String meaning;
    private final String remedy;

    Event(Severity severity, boolean persisting, String meaning, String remedy) {
        this.severity = severity;
        this.persisting = persisting;
        this.meaning = meaning;
        this.remedy = remedy;
    }

    /** The name hooks and logs see: {@code vip-both}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public Severity severity() {
        return severity;
    }

    /** Repeated every alerts.repeat while it lasts (a condition), or sent once. */
    public boolean persisting() {
        return persisting;
    }

    public String meaning() {
        return meaning;
    }

    /** What an operator should do. */
    public String remedy() {
        return remedy;
    }

    public static Optional<Event> ofKey(String key) {
        return Arrays.stream(values()).filter(event -> event.key().equals(key)).findFirst();
    }
}
