package io.gpfo.sql;

import java.time.Duration;

/** SQL to a coordinator host's database: the port behind every SQL probe. */
public interface CoordinatorSql {

    /** {@code SELECT 1} within the timeout; the cheapest proof the database answers. */
    boolean answers(String host, int port, Duration timeout);

    /**
     * Role, version, timeline and replication state in one connection.
     *
     * @throws SqlUnavailable when the database cannot be reached or refuses the connection
     */
    DatabaseStatus status(String host, int port, Duration timeout) throws SqlUnavailable;

    /**
     * The size of every database in the cluster, in bytes: what a full copy of the data directory
     * (a new standby's base backup) needs, WAL aside.
     */
    long databaseBytes(String host, int port, Duration timeout) throws SqlUnavailable;

    final class SqlUnavailable extends Exception {
        public SqlUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
