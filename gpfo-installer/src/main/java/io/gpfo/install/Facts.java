package io.gpfo.install;

import io.gpfo.port.CommandResult;
import io.gpfo.port.Scripts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Gathers a host's {@link HostFacts} with {@code facts.sh}, read-only, on any {@link Target}. */
public final class Facts {

    private static final String FACTS = Scripts.load(Facts.class, "facts.sh");

    private Facts() {
    }

    public static HostFacts gather(Target target, String adminUser) throws TargetException {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", FACTS, "facts", adminUser));
        argv.addAll(HostFacts.PROBED);
        CommandResult result = target.run(argv, Duration.ofSeconds(30));
        if (!result.ok()) {
            throw new TargetException("cannot look at " + target.host() + ": " + result.failureSummary());
        }
        return HostFacts.parse(result.stdout());
    }
}
