package io.gpfo.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrintedStepLogTest {

    @Test
    void aStepQuotingAnotherHostPrintsOneCleanLine() {
        List<String> lines = new ArrayList<>();
        StepLog log = new PrintedStepLog(lines::add);

        log.failed("stop the postmaster on mdw", "pg_ctl: \u001b[2Jdone\nOK      everything");

        assertThat(lines).containsExactly("FAILED  stop the postmaster on mdw: pg_ctl: ?[2Jdone OK      everything");
    }
}
