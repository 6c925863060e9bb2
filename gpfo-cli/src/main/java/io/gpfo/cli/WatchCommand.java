package io.gpfo.cli;

import io.gpfo.agent.Agent;
import io.gpfo.api.ApiServer;
import io.gpfo.config.GpfoConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "watch", mixinStandardHelpOptions = true,
        exitCodeListHeading = ExitCode.LIST_HEADING,
        exitCodeList = {ExitCode.OK_ENTRY, ExitCode.FAILED_ENTRY, ExitCode.USAGE_ENTRY, ExitCode.INTERRUPTED_ENTRY},
        description = {"Runs the failover agent in the foreground (the service runs this on both coordinator hosts).",
            "Each round it probes both hosts, decides, and acts: promotes the standby when the coordinator is really gone,"
                    + " claims the VIP, fences an old coordinator, steps down on a newer primary. One log line per event."})
final class WatchCommand extends ConfiguredCommand implements Callable<Integer> {

    @Option(names = "--once", description = "Run one round, then exit.")
    boolean once;

    @Mixin
    DryRunOption dryRun;

    WatchCommand(Services services) {
        super(services);
    }

    @Override
    public Integer call() throws Exception {
        GpfoConfig config = loadConfig();
        // SSH in a heartbeat round must fail within the round: heartbeat.timeout (at least 1 s, ssh's
        // own granularity), unless ssh.connect_timeout is shorter still
        Duration probeTimeout = config.heartbeat().timeout().compareTo(Duration.ofSeconds(1)) < 0
                ? Duration.ofSeconds(1) : config.heartbeat().timeout();
        if (probeTimeout.compareTo(config.ssh().connectTimeout()) < 0) {
            config = config.withSshConnectTimeout(probeTimeout);
        }
        Wiring wiring = Wiring.of(config, services);
        LiveView live = Confirmation.interactive() && !once ? LiveView.open(wiring) : null;
        PrintWriter log = live == null ? out() : live.log();
        Agent agent = new Agent(wiring.access, wiring.sql, wiring.vip, services.clock(), wiring.wrappers(), log, dryRun.dryRun);
        // the HTTP endpoint (api: in gpfo.yaml) for a running agent, not for one round
        ApiServer api = null;
        if (wiring.config.api().isPresent() && !once) {
            try {
                api = ApiServer.start(wiring.config, wiring.access.local(), services.clock(), log);
            } catch (ApiServer.StartFailure e) {
                if (live != null) {
                    live.close();
                }
                throw new GpfoException(ExitCode.FAILED, e.getMessage());
            }
            log.println(services.clock().now() + " api: serving /metrics, /primary, /standby, /health, /status on "
                    + api.addresses());
            log.flush();
            agent.onEvent(api::record);
        }
        Consumer<Agent.Snapshot> view = snapshot -> { };
        if (live != null) {
            view = view.andThen(live::show);
        }
        if (api != null) {
            view = view.andThen(api::publish);
        }
        agent.onRound(view);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            agent.stop();
            try {
                // let the current round (and any action in it, a promotion too) finish, so the journal says
                // what happened: no limit of our own, the service manager's stop timeout is the bound
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "gpfo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (!agent.run(once)) {
                throw new GpfoException(ExitCode.FAILED, "another gpfo agent is running on this host (it holds "
                        + wiring.config.state().directory().resolve("agent.lock") + "); stop it first");
            }
        } finally {
            if (api != null) {
                api.close();
            }
            if (live != null) {
                live.close();
            }
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already stopping: the hook is running
            }
        }
        return ExitCode.OK;
    }
}
