package io.gpfo.status;

import io.gpfo.node.NodeName;
import io.gpfo.sql.DatabaseStatus;
import java.util.Locale;
import java.util.Optional;

/** One coordinator host as a survey saw it. */
public record NodeStatus(NodeName name, String host, boolean reachable, Role role, Optional<Boolean> holdsVip,
        Optional<DatabaseStatus> database, String detail) {

    public enum Role {
        PRIMARY, STANDBY, DOWN, UNKNOWN;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
