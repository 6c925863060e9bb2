package io.gpfo.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.gpfo.ssh.SshException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gpfo uninstall up to the point where it would change something: what it looks at and the plan. */
class UninstallFlowTest {

    @TempDir
    Path dir;

    private FlowFixture hosts;

    @BeforeEach
    void hosts() throws Exception {
        hosts = new FlowFixture(dir);
    }

    private String planText(boolean keepConfig) throws Exception {
        try (UninstallFlow.Prepared prepared = new UninstallFlow(hosts.ports()).prepare(keepConfig)) {
            return String.join("\n", prepared.plan().lines()) + "\n";
        }
    }

    @Test
    void thePlanShowsWhatItRemovesAndKeepsTheJournalAndTheVip() throws Exception {
        String plan = planText(false);

        assertThat(hosts.log.lines()).containsExactly("OK      ssh gpadmin@smdw (host key verified against"
                + " /home/gpadmin/.ssh/known_hosts)", "OK      sudo -n on smdw as gpadmin", "OK      looked at mdw: init sysv",
                "OK      looked at smdw: init sysv");
        assertThat(plan).startsWith("gpfo uninstall plan:\n").contains("  on smdw (over SSH as gpadmin, as root through sudo -n):",
                "    remove     /opt/gpfo", "    remove     /etc/gpfo\n", "    keep /var/lib/gpfo on both hosts (the agents'"
                        + " journal: whether this pair was promoted or has a fence pending)",
                "    leave the VIP 10.77.0.100/24 where it is");
        assertThat(plan).doesNotContain("remove     /var/lib/gpfo");
    }

    @Test
    void keepConfigLeavesEtcGpfo() throws Exception {
        assertThat(planText(true)).doesNotContain("remove     /etc/gpfo\n").contains("    remove     /opt/gpfo");
    }

    @Test
    void aChangedHostKeyIsUnsafe() {
        hosts.sshFailure = new SshException(SshException.Kind.HOST_KEY, "smdw", "the host key of smdw has CHANGED", null);

        InstallStopped stopped = catchThrowableOfType(() -> planText(false), InstallStopped.class);

        assertThat(stopped.reason()).isEqualTo(InstallStopped.Reason.UNSAFE);
        assertThat(stopped).hasMessage("1 precondition(s) of uninstall not met (ssh gpadmin@smdw); nothing was changed");
        assertThat(hosts.log.lines()).contains("FAILED  ssh gpadmin@smdw: the host key of smdw has CHANGED — gpfo uninstall"
                + " refuses to touch a host whose key is not verified");
    }
}
