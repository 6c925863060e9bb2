package io.gpfo.promote;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.config.ConfigLoader;
import io.gpfo.config.GpfoConfig;
import io.gpfo.greenplum.ControlData;
import io.gpfo.node.Inspection;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.vip.DuplicateProbe;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The manual promotion's judgement, one row per situation: may this standby be promoted? */
class PromotionEvidenceTest {

    private static final GpfoConfig CONFIG = config("max_lag_bytes: 1000");

    private static GpfoConfig config(String promotion) {
        try {
            return new ConfigLoader(user -> Optional.of(Path.of("/home", user)), false).parse("""
                    coordinator: {host: mdw}
                    standby: {host: smdw}
                    vip: {address: 10.77.0.100, prefix: 24, interface: eth0, gateway: 10.77.0.1}
                    promotion: {%s}
                    """.formatted(promotion), Path.of("gpfo.yaml"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static final Optional<DatabaseStatus> STANDBY = Optional.of(new DatabaseStatus(true, 150018, OptionalInt.of(1), List.of(),
            Optional.of(new DatabaseStatus.Receiver(Optional.of("0/3000000"), Optional.of("0/3000000"), OptionalLong.of(0),
                    Optional.empty(), OptionalDouble.empty()))));
    private static final Optional<DatabaseStatus> NEVER_STREAMED = Optional.of(new DatabaseStatus(true, 150018, OptionalInt.of(1),
            List.of(), Optional.of(new DatabaseStatus.Receiver(Optional.empty(), Optional.empty(), OptionalLong.empty(),
                    Optional.empty(), OptionalDouble.empty()))));
    private static final Optional<DatabaseStatus> PRIMARY = Optional.of(new DatabaseStatus(false, 150018, OptionalInt.of(1),
            List.of(), Optional.empty()));
    private static final Optional<DatabaseStatus> NO_ANSWER = Optional.empty();

    private static Optional<Inspection> inspection(Inspection.Postmaster postmaster, String state, String processState) {
        return Optional.of(new Inspection(postmaster, OptionalLong.of(42), Optional.ofNullable(processState),
                Optional.of(new ControlData(state, OptionalInt.of(1)))));
    }

    private static final Optional<Inspection> UNREACHABLE = Optional.empty();
    private static final Optional<Inspection> CRASHED = inspection(Inspection.Postmaster.NOT_RUNNING, "in production", null);
    private static final Optional<Inspection> CLEAN_STOP = inspection(Inspection.Postmaster.NOT_RUNNING, "shut down", null);
    private static final Optional<Inspection> HUNG = inspection(Inspection.Postmaster.RUNNING, "in production", "T");
    private static final Optional<Inspection> RUNNING = inspection(Inspection.Postmaster.RUNNING, "in production", "S");
    private static final Optional<DuplicateProbe> SILENT = Optional.of(new DuplicateProbe(false, Optional.empty()));
    private static final Optional<DuplicateProbe> ANSWERED = Optional.of(new DuplicateProbe(true, Optional.of("aa:bb:cc:dd:ee:ff")));

    static Stream<Arguments> situations() {
        return Stream.of(
                row("host gone: promote", STANDBY, NO_ANSWER, UNREACHABLE, SILENT, 0, null, null),
                row("crash on a live host: promote (fence first)", STANDBY, NO_ANSWER, CRASHED, SILENT, 0, null, null),
                row("coordinator answers SQL", STANDBY, PRIMARY, RUNNING, ANSWERED, 0,
                        "the coordinator mdw still answers SQL as primary", null),
                row("hung postmaster", STANDBY, NO_ANSWER, HUNG, ANSWERED, 0,
                        "postmaster stopped (SIGSTOP, pid 42) that does not answer SQL", null),
                row("planned gpstop", STANDBY, NO_ANSWER, CLEAN_STOP, SILENT, 0, "was shut down cleanly", null),
                row("VIP answers while mdw is unreachable over SSH: partition", STANDBY, NO_ANSWER, UNREACHABLE, ANSWERED, 0,
                        "the VIP still answers ARP from aa:bb:cc:dd:ee:ff", null),
                row("lag above the limit", STANDBY, NO_ANSWER, UNREACHABLE, SILENT, 5000,
                        "replication lag 5000 bytes exceeds promotion.max_lag_bytes 1000", null),
                row("local database down", NO_ANSWER, NO_ANSWER, UNREACHABLE, SILENT, 0,
                        "this host's database does not answer SQL", null),
                row("standby that never streamed", NEVER_STREAMED, NO_ANSWER, UNREACHABLE, SILENT, 0,
                        "this host is not a streaming standby", null),
                row("this host is already primary: refused even with --force", PRIMARY, NO_ANSWER, UNREACHABLE, SILENT, 0,
                        "already a primary", "already a primary"));
    }

    private static Arguments row(String situation, Optional<DatabaseStatus> local, Optional<DatabaseStatus> peerSql,
            Optional<Inspection> peer, Optional<DuplicateProbe> probe, long lag, String refusal, String hardRefusal) {
        return Arguments.of(situation, local, peerSql, peer, probe, lag, refusal, hardRefusal);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("situations")
    void judges(String situation, Optional<DatabaseStatus> local, Optional<DatabaseStatus> peerSql, Optional<Inspection> peer,
            Optional<DuplicateProbe> probe, long lag, String refusal, String hardRefusal) {
        PromotionEvidence evidence = new PromotionEvidence("mdw", local, "connection refused", peerSql, peer, "timed out",
                probe, OptionalLong.of(lag));

        List<String> refusals = evidence.refusals(CONFIG);
        if (refusal == null) {
            assertThat(refusals).as(situation).isEmpty();
        } else {
            assertThat(refusals).as(situation).anySatisfy(reason -> assertThat(reason).contains(refusal));
        }
        if (hardRefusal == null) {
            assertThat(evidence.hardRefusals()).as("--force may override: " + situation).isEmpty();
        } else {
            assertThat(evidence.hardRefusals()).anySatisfy(reason -> assertThat(reason).contains(hardRefusal));
        }
        assertThat(evidence.peerReachable()).isEqualTo(peer.isPresent());
        assertThat(evidence.describe()).isNotEmpty().allSatisfy(line -> assertThat(line).isNotBlank());
    }

    @org.junit.jupiter.api.Test
    void withoutALagLimitAnyLagIsAccepted() {
        PromotionEvidence evidence = new PromotionEvidence("mdw", STANDBY, "", NO_ANSWER, UNREACHABLE, "", SILENT,
                OptionalLong.of(Long.MAX_VALUE));

        assertThat(evidence.refusals(config("max_lag_bytes: null"))).isEmpty();
    }
}
