package io.gpfo.vip;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.node.Role;
import io.gpfo.vip.VipClaim.Kind;
import io.gpfo.vip.VipClaim.PeerRole;
import io.gpfo.vip.VipClaim.PeerVip;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The VIP-claim judgement, once for every caller: one row per rule. */
class VipClaimTest {

    static final Optional<DuplicateProbe> SILENT = Optional.of(new DuplicateProbe(false, Optional.empty()));
    static final Optional<DuplicateProbe> ANSWERED = Optional.of(new DuplicateProbe(true, Optional.of("aa:bb:cc:dd:ee:ff")));

    static Stream<Arguments> table() {
        return Stream.of(
                row("primary, peer a standby without the VIP, ARP silent: claim", Role.PRIMARY, false, PeerVip.FREE,
                        PeerRole.NOT_PRIMARY, SILENT, Kind.CLAIM, "is not a primary"),
                row("peer unreachable but nobody answers ARP, peer known not primary: claim", Role.PRIMARY, false,
                        PeerVip.UNKNOWN, PeerRole.NOT_PRIMARY, SILENT, Kind.CLAIM, "nobody answers ARP"),
                row("held here already", Role.PRIMARY, true, PeerVip.UNKNOWN, PeerRole.UNKNOWN, Optional.empty(), Kind.HELD,
                        "already"),
                row("a standby, the peer holding it: refused, naming the holder", Role.STANDBY, false, PeerVip.HOLDS,
                        PeerRole.PRIMARY, SILENT, Kind.REFUSED, "mdw holds the VIP"),
                row("a standby never claims", Role.STANDBY, false, PeerVip.FREE, PeerRole.NOT_PRIMARY, SILENT, Kind.REFUSED,
                        "a standby"),
                row("a database that does not answer never claims", Role.UNKNOWN, false, PeerVip.FREE, PeerRole.NOT_PRIMARY,
                        SILENT, Kind.REFUSED, "not answering"),
                row("a stopped database never claims, even holding it", Role.DOWN, true, PeerVip.FREE, PeerRole.NOT_PRIMARY,
                        SILENT, Kind.REFUSED, "not running"),
                row("the peer holds it", Role.PRIMARY, false, PeerVip.HOLDS, PeerRole.NOT_PRIMARY, SILENT, Kind.REFUSED,
                        "mdw holds the VIP"),
                row("the peer is a primary too", Role.PRIMARY, false, PeerVip.FREE, PeerRole.PRIMARY, SILENT, Kind.REFUSED,
                        "primary too"),
                row("someone answers ARP", Role.PRIMARY, false, PeerVip.FREE, PeerRole.NOT_PRIMARY, ANSWERED, Kind.REFUSED,
                        "aa:bb:cc:dd:ee:ff"),
                row("no ARP probe: unknown", Role.PRIMARY, false, PeerVip.FREE, PeerRole.NOT_PRIMARY, Optional.empty(),
                        Kind.UNKNOWN, "no ARP probe"),
                row("peer role unknown: unknown", Role.PRIMARY, false, PeerVip.UNKNOWN, PeerRole.UNKNOWN, SILENT, Kind.UNKNOWN,
                        "cannot establish that mdw is not a primary"));
    }

    static Arguments row(String situation, Role local, boolean heldHere, PeerVip peerVip, PeerRole peerRole,
            Optional<DuplicateProbe> arp, Kind kind, String reason) {
        return Arguments.of(situation, new VipClaim.Facts("mdw", local, heldHere, peerVip, peerRole, arp), kind, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void judges(String situation, VipClaim.Facts facts, Kind kind, String reason) {
        VipClaim.Verdict verdict = VipClaim.judge(facts);

        assertThat(verdict.kind()).as(verdict.reason()).isEqualTo(kind);
        assertThat(verdict.reason()).contains(reason);
        assertThat(verdict.claim()).isEqualTo(kind == Kind.CLAIM);
    }
}
