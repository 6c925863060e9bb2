package io.gpfo.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.decision.Observation.WitnessVote;
import io.gpfo.decision.Observation.WitnessVote.Reach;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The witness script's one line read back as a vote; anything else is no vote, never a guess. */
class WitnessVoteTest {

    @Test
    void theScriptsLineWithItsNewline() {
        assertThat(WitnessVote.parse("sdw1", "db=no icmp=no\n")).isEqualTo(new WitnessVote("sdw1", Optional.of(new Reach(false,
                false))));
        assertThat(WitnessVote.parse("sdw1", "db=yes icmp=no\n").reach()).hasValue(new Reach(true, false));
    }

    @Test
    void theLineWithoutNewlineOrWithSurroundingBlanks() {
        assertThat(WitnessVote.parse("sdw2", "db=no icmp=yes").reach()).hasValue(new Reach(false, true));
        assertThat(WitnessVote.parse("sdw2", "  db=yes icmp=yes \r\n").reach()).hasValue(new Reach(true, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "db=maybe icmp=yes", "db=yes icmp=", "db=YES icmp=NO", "db=yes", "icmp=yes db=yes",
            "db=yes icmp=yes extra", "bash: timeout: command not found", "Warning: Permanently added 'sdw1'\ndb=no icmp=no"})
    void anythingElseIsNoAnswer(String output) {
        WitnessVote vote = WitnessVote.parse("sdw1", output);

        assertThat(vote).isEqualTo(WitnessVote.silent("sdw1"));
        assertThat(vote.answered()).isFalse();
        assertThat(vote).hasToString("sdw1: no answer");
    }

    @Test
    void votesCountOnlyWhenTheWitnessReachesTheHostNeitherWay() {
        Observation.Witnesses witnesses = new Observation.Witnesses(4, List.of(WitnessVote.parse("sdw1", "db=no icmp=no\n"),
                WitnessVote.parse("sdw2", "db=no icmp=yes\n"), WitnessVote.parse("sdw3", "db=yes icmp=no\n"),
                WitnessVote.parse("sdw4", "db=maybe icmp=no\n")));

        assertThat(witnesses.answered()).isEqualTo(3);
        assertThat(witnesses.sayHostUnreachable()).isEqualTo(1);
        assertThat(witnesses.detail()).containsExactly("sdw1: db=no icmp=no", "sdw2: db=no icmp=yes", "sdw3: db=yes icmp=no",
                "sdw4: no answer");
    }
}
