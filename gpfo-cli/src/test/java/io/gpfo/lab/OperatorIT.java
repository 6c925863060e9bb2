package io.gpfo.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpfo.history.EventRecord;
import io.gpfo.port.CommandResult;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operator's side on the real lab (issue 13): a changed host key on the standby is unknown in
 * status and vip status, and a critical alert from the coordinator's agent; so is a witness's changed
 * host key, which is no vote; status works from sdw1, a host that is neither coordinator.
 */
@Tag("lab")
class OperatorIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void up() {
        Lab.lab(Duration.ofMinutes(2), "down");
        Lab.labOk(Duration.ofMinutes(5), "up", "--gp", "7");
        Lab.prepareGpfo();
    }

    @AfterAll
    static void down() {
        Lab.agents("stop");
        Lab.lab(Duration.ofMinutes(2), "down");
    }

    @Test
    void statusFromSdw1NamesTheObserverAndSeesBothHosts() throws Exception {
        Lab.installBuild("sdw1");
        Lab.writeConfig("sdw1", Lab.config());

        CommandResult result = Lab.gpfo("sdw1", "status", "--json");

        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        JsonNode json = JSON.readTree(result.stdout());
        assertThat(json.get("local_host").isNull()).isTrue();
        assertThat(json.get("observed_from").asText()).isEqualTo("sdw1");
        assertThat(json.at("/vip/state").asText()).isEqualTo("ok");
        assertThat(json.get("health").asText()).isEqualTo("ok");
        CommandResult table = Lab.gpfo("sdw1", "status");
        assertThat(table.stdout()).contains("(observed from sdw1, not a coordinator host)");
    }

    @Test
    void aChangedHostKeyOnTheStandbyIsUnknownInStatusAndACriticalAlertOfTheAgent() throws Exception {
        // the only fault must be the key: mdw may have been healed by the test before this one a moment ago
        Agents.await(() -> Lab.pings("mdw", "smdw"), Duration.ofSeconds(30), "mdw to reach smdw");
        CommandResult forged = Lab.exec("mdw", "sh", "-c", "cd /home/gpadmin/.ssh && " + Lab.forgeKnownHostKeys("smdw"));
        assertThat(forged.ok()).as(forged.stderr()).isTrue();

        CommandResult status = Lab.gpfo("mdw", "status", "--json");
        assertThat(status.exitCode()).as(status.stdout() + status.stderr()).isEqualTo(4);
        JsonNode json = JSON.readTree(status.stdout());
        assertThat(json.at("/vip/state").asText()).isEqualTo("unknown");
        assertThat(json.at("/nodes/1/detail").asText()).contains("has CHANGED").contains("ssh-keygen -R smdw");
        assertThat(json.get("health").asText()).isNotEqualTo("ok");

        CommandResult vip = Lab.gpfo("mdw", "vip", "status");
        assertThat(vip.exitCode()).isEqualTo(4);
        assertThat(vip.stdout()).startsWith("unknown").contains("smdw could not be asked").contains("has CHANGED");

        Lab.agents("start");
        Agents.awaitEvent("mdw", EventRecord.Kind.ALERT, "host-key-unverified", Duration.ofSeconds(30));
        assertThat(Lab.events("mdw")).filteredOn(event -> event.event().equals("host-key-unverified"))
                .allSatisfy(event -> assertThat(event.severity()).isEqualTo("critical"));
    }

    /**
     * smdw's record of sdw2's key is forged, then mdw is lost: smdw's agent asks the witnesses, sdw2's
     * refused key is a critical alert naming it, and its missing vote keeps the quorum (2 of 2) unmet.
     */
    @Test
    void aWitnessWithAChangedHostKeyIsNoVoteAndACriticalAlertOfTheStandbysAgent() {
        CommandResult forged = Lab.exec("smdw", "sh", "-c", "cd /home/gpadmin/.ssh && cp -p known_hosts known_hosts.orig && "
                + Lab.forgeKnownHostKeys("sdw2"));
        assertThat(forged.ok()).as(forged.stderr()).isTrue();
        Lab.agents("stop");
        Lab.agents("start");
        try {
            Lab.labOk(Duration.ofSeconds(30), "fail", "mdw");

            Agents.awaitEvent("smdw", EventRecord.Kind.ALERT, "host-key-unverified", Duration.ofSeconds(30));
            assertThat(Agents.message("smdw", EventRecord.Kind.ALERT, "host-key-unverified"))
                    .contains("to the witness sdw2 refused").contains("has CHANGED").contains("ssh-keygen -R sdw2")
                    .contains("sdw2 casts no vote");
            Agents.awaitEvent("smdw", EventRecord.Kind.ALERT, "no-quorum", Duration.ofSeconds(30));
            assertThat(Lab.events("smdw")).filteredOn(event -> event.event().equals("host-key-unverified"))
                    .allSatisfy(event -> assertThat(event.severity()).isEqualTo("critical"));
            assertThat(Agents.promotions("smdw")).as("a refused witness is never a yes").isZero();
        } finally {
            Lab.agents("stop");
            Lab.labOk(Duration.ofSeconds(30), "heal", "mdw");
            Agents.await(() -> Lab.pings("mdw", "smdw"), Duration.ofSeconds(30), "mdw to reach smdw again");
            CommandResult restored = Lab.exec("smdw", "sh", "-c", "cd /home/gpadmin/.ssh && cat known_hosts.orig > known_hosts"
                    + " && rm known_hosts.orig");
            assertThat(restored.ok()).as(restored.stderr()).isTrue();
        }
    }
}
