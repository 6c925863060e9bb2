package io.gpfo.cli;

import io.gpfo.sql.CoordinatorSql;
import io.gpfo.sql.DatabaseStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** SQL of a healthy pair: both hosts answer, mdw as the primary and every other host as a standby. */
final class HealthyPairSql implements CoordinatorSql {

    @Override
    public boolean answers(String host, int port, Duration timeout) {
        return true;
    }

    @Override
    public DatabaseStatus status(String host, int port, Duration timeout) {
        return new DatabaseStatus(!host.equals("mdw"), 150018, OptionalInt.of(1), List.of(), Optional.empty());
    }

    @Override
    public long databaseBytes(String host, int port, Duration timeout) {
        return 64L << 20;
    }
}
