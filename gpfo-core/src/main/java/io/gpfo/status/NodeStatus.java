package io.gpfo.status;

import io.gpfo.node.NodeName;
import io.gpfo.node.Role;
import io.gpfo.sql.DatabaseStatus;
import java.util.Optional;

/** One coordinator host as a survey saw it. */
public record NodeStatus(NodeName name, String host, boolean reachable, Role role, Optional<Boolean> holdsVip,
        Optional<DatabaseStatus> database, String detail) {
}
