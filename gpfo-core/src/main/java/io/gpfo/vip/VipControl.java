package io.gpfo.vip;

import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner;
import io.gpfo.port.CommandRunner.Command;
import io.gpfo.port.Scheduler;
import io.gpfo.ssh.RemoteShell;
import io.gpfo.ssh.SshException;
import io.gpfo.ssh.SshFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Carries out VIP commands on this host and on the peer. Locally {@code ip} runs directly (root,
 * or the agent's CAP_NET_ADMIN) and falls back to {@code sudo -n} when the kernel says no; on
 * the peer it always goes through {@code sudo -n}, which the installer's sudoers rule allows
 * for exactly these argv. Gratuitous ARPs sent in the background are cancelled by dropping the VIP
 * here: none goes out for an address this host gave up.
 */
public final class VipControl {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    /** arping's own interval between the ARPs of one announcement. */
    private static final Duration ARP_INTERVAL = Duration.ofSeconds(1);

    private final VipCommands commands;
    private final CommandRunner runner;
    private final RemoteShell remote;
    private final HostAddresses addresses;
    private final Scheduler scheduler;
    /** Held while a background ARP is sent and while the VIP is dropped here, so that the two never cross. */
    private final Object announcing = new Object();
    /** Background ARPs not sent yet; guarded by {@link #announcing}. */
    private final List<Future<?>> repeats = new ArrayList<>();
    /** Moves on each drop of the VIP here: an ARP scheduled before a drop never goes out after it; guarded by {@link #announcing}. */
    private long drops;

    public VipControl(VipCommands commands, CommandRunner runner, RemoteShell remote, HostAddresses addresses) {
        this(commands, runner, remote, addresses, Scheduler.daemon("gpfo-arp"));
    }

    /** @param scheduler when background ARPs are sent (by hand in unit tests) */
    public VipControl(VipCommands commands, CommandRunner runner, RemoteShell remote, HostAddresses addresses,
            Scheduler scheduler) {
        this.commands = commands;
        this.runner = runner;
        this.remote = remote;
        this.addresses = addresses;
        this.scheduler = scheduler;
    }

    public VipCommands commands() {
        return commands;
    }

    public boolean heldLocally() {
        try {
            return commands.holds(addresses.list());
        } catch (IllegalStateException e) {
            throw new VipException(e.getMessage());
        }
    }

    /** Whether a host holds the VIP, or why it could not be asked (exactly one of the two is present). */
    public record Holding(Optional<Boolean> holds, Optional<SshFailure> failure) {
        public static Holding unasked(SshFailure why) {
            return new Holding(Optional.empty(), Optional.of(why));
        }
    }

    /** Whether {@code host} holds the VIP; empty when it cannot be asked. */
    public Optional<Boolean> heldBy(String host) {
        return askHolder(host).holds();
    }

    /** Asks {@code host} over SSH whether it holds the VIP, keeping why when it cannot be asked. */
    public Holding askHolder(String host) {
        try {
            CommandResult result = remote.run(host, commands.show(), COMMAND_TIMEOUT);
            return result.ok() ? new Holding(Optional.of(commands.holds(result.stdout())), Optional.empty())
                    : Holding.unasked(SshFailure.noAnswer("'" + String.join(" ", commands.show()) + "' failed on " + host + ": "
                            + result.failureSummary()));
        } catch (SshException e) {
            return Holding.unasked(SshFailure.of(e));
        }
    }

    /** Adds the VIP here (if missing) and announces it with gratuitous ARP either way. */
    public void upLocally() {
        addLocally();
        announce();
    }

    /** Adds the VIP to this host's interface; idempotent. From here on it answers ARP. */
    public void addLocally() {
        if (!heldLocally()) {
            CommandResult added = privileged(commands.add());
            if (!added.ok() && !heldLocally()) {
                throw new VipException("ip addr add failed: " + added.failureSummary());
            }
        }
    }

    /** Whether an announcement waits for its ARPs (a command that exits next) or sends them in the background (the agent). */
    public enum Repeats {
        WAIT, IN_BACKGROUND
    }

    /** Gratuitous ARP for the VIP, so neighbours drop the old holder's MAC at once: all of them, waiting for the last. */
    public void announce() {
        announce(commands.announce());
    }

    /**
     * The {@code vip.arp_count} gratuitous ARPs in the background, the first at once, then one a second:
     * arping waits a second after its last ARP, and the agent's promotion (and what /primary says) need
     * not wait for that. Each goes out only while this host holds the VIP and has not dropped it since
     * they were scheduled ({@link #downLocally} cancels them).
     *
     * @param failed told why, when an ARP could not be sent (the next one tries again)
     */
    public void announceInBackground(Consumer<String> failed) {
        synchronized (announcing) {
            repeats.removeIf(Future::isDone);
            long dropsNow = drops;
            for (int each = 0; each < commands.arpCount(); each++) {
                repeats.add(scheduler.after(ARP_INTERVAL.multipliedBy(each), () -> announceUnlessDropped(dropsNow, failed)));
            }
        }
    }

    private void announceUnlessDropped(long dropsWhenScheduled, Consumer<String> failed) {
        synchronized (announcing) {
            if (drops != dropsWhenScheduled || !heldLocallyOrFalse()) {
                return;
            }
            try {
                announce(commands.announceOnce());
            } catch (VipException e) {
                failed.accept(e.getMessage());
            }
        }
    }

    /** A background ARP is sent only when the VIP is known to be here (another process may have removed it). */
    private boolean heldLocallyOrFalse() {
        try {
            return heldLocally();
        } catch (VipException e) {
            return false;
        }
    }

    private void announce(List<String> argv) {
        CommandResult announced = privileged(argv);
        if (!announced.ok()) {
            throw new VipException("the VIP is up but the gratuitous ARP failed (" + announced.failureSummary()
                    + "); neighbours may keep the old MAC until their ARP cache expires");
        }
    }

    /** Removes the VIP here; idempotent. Cancels the background ARPs not sent yet, whether or not it was here. */
    public void downLocally() {
        synchronized (announcing) {
            drops++;
            repeats.forEach(pending -> pending.cancel(false));
            repeats.clear();
            if (!heldLocally()) {
                return;
            }
            CommandResult removed = privileged(commands.delete());
            if (!removed.ok() && heldLocally()) {
                throw new VipException("ip addr del failed: " + removed.failureSummary());
            }
        }
    }

    /** Removes the VIP from {@code host} over SSH; idempotent. */
    public void downOn(String host) throws SshException {
        CommandResult shown = remote.run(host, commands.show(), COMMAND_TIMEOUT);
        if (shown.ok() && !commands.holds(shown.stdout())) {
            return;
        }
        CommandResult removed = remote.run(host, sudo(commands.delete()), COMMAND_TIMEOUT);
        if (!removed.ok()) {
            throw new VipException("removing the VIP on " + host + " failed: " + removed.failureSummary()
                    + " (the sudoers rule /etc/sudoers.d/gpfo on " + host + " must allow: " + String.join(" ", commands.delete()) + ")");
        }
    }

    /** Duplicate address detection before taking the VIP. */
    public DuplicateProbe duplicateCheck() {
        CommandResult result = privileged(commands.duplicateCheck());
        if (result.timedOut() || result.exitCode() < 0 || result.exitCode() > 1) {
            throw new VipException("arping -D failed: " + result.failureSummary());
        }
        return DuplicateProbe.parse(result.exitCode(), result.stdout());
    }

    private CommandResult privileged(List<String> argv) {
        CommandResult direct = runner.run(Command.of(COMMAND_TIMEOUT, argv.toArray(String[]::new)));
        if (direct.ok() || !deniedPermission(direct)) {
            return direct;
        }
        return runner.run(Command.of(COMMAND_TIMEOUT, sudo(argv).toArray(String[]::new)));
    }

    private static boolean deniedPermission(CommandResult result) {
        String text = result.stderr() + result.stdout();
        return text.contains("Operation not permitted") || text.contains("Permission denied")
                || text.contains("You don't have enough privileges");
    }

    private static List<String> sudo(List<String> argv) {
        List<String> withSudo = new ArrayList<>(List.of("sudo", "-n"));
        withSudo.addAll(argv);
        return withSudo;
    }

    /** A VIP command failed; the message says what and why. */
    public static final class VipException extends RuntimeException {
        public VipException(String message) {
            super(message);
        }
    }
}
